/**
 * @module bench/lib/load — open-loop (fixed offered rate) and closed-loop (saturation) load over
 * keep-alive HTTPS connections, with every latency kept.
 *
 * Fixed rate works like wrk2: request i is due at start + i/rate whether or not earlier answers
 * have come back, and its latency is measured from that due time, so a server stall shows up in
 * the percentiles instead of silently slowing the client down (coordinated omission). The
 * scheduler spins on `setImmediate` when the next request is due within 2 ms, so the client adds
 * microseconds, not a timer tick, to each latency. Saturation runs `connections` loops that each
 * send the next request as soon as the previous answer arrives.
 */
import { Connection } from './client.js';
import type { Reply, Target } from './client.js';

/** One request of a load: the serialised bytes and what a correct answer must contain. */
export interface LoadRequest {
  readonly bytes: Buffer;
  /** The review uid, which the answer must echo. */
  readonly uid: string;
}

/** checkReply returns why an answer is wrong, or null when it is right. */
export type ReplyCheck = (reply: Reply, request: LoadRequest) => string | null;

/** Latency percentiles in milliseconds. */
export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** The outcome of one load phase. */
export interface LoadResult {
  readonly offeredRps: number | null;
  readonly connections: number;
  readonly durationS: number;
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly achievedRps: number;
  readonly latencyMs: Percentiles;
  /** Share of one core the load generator itself used (it must stay well under 100 %). */
  readonly clientCpuPct: number;
  /** Requests still waiting for a free connection at the end (fixed rate only). */
  readonly backlog: number;
}

/** Per-second progress of a running load. */
export interface Progress {
  readonly elapsedS: number;
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
}

/** Options shared by both kinds of load. */
export interface LoadOptions {
  readonly connections: number;
  readonly durationS: number;
  readonly check?: ReplyCheck;
  /** Close and reopen a connection after this many answers (forces new TLS handshakes). */
  readonly recycleAfter?: number;
  readonly onSecond?: (progress: Progress) => void;
  /** Stop after this many requests even if time remains. */
  readonly maxRequests?: number;
}

/** defaultCheck wants HTTP 200 and the uid echoed. */
export const defaultCheck: ReplyCheck = (reply, request) => {
  if (reply.status === 0) return reply.error ?? 'transport error';
  if (reply.status !== 200) return `HTTP ${reply.status}`;
  return reply.body.includes(`"uid":"${request.uid}"`) ? null : 'uid not echoed';
};

/** percentiles computes exact percentiles of `values` (milliseconds). */
export function percentiles(values: Float64Array): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number =>
    sorted.length === 0
      ? 0
      : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    p999: round(at(0.999)),
    max: round(sorted[sorted.length - 1] ?? 0),
    mean: round(sorted.length === 0 ? 0 : sum / sorted.length),
  };
}

/** median is the middle of `values` (the mean of the two middle ones for an even count), NaN if empty. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/**
 * Go's http.Transport (the apiserver's client) closes a connection idle for 90 s, ahead of the
 * server's 95 s keep-alive timeout, so it never sends on a connection the server is closing.
 */
const CLIENT_IDLE_TIMEOUT_MS = 90_000;

/** A pool of keep-alive connections that replaces closed, recycled or long-idle ones. */
class Pool {
  private readonly idle: Connection[] = [];
  private readonly idleSince = new Map<Connection, number>();
  private opening = 0;
  private stopped = false;

  constructor(
    private readonly target: Target,
    private readonly size: number,
    private readonly recycleAfter: number | undefined,
    private readonly onIdle: () => void,
  ) {}

  async open(): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, () => this.add()));
  }

  /** release returns a connection after an answer; a closed or worn one is replaced. */
  release(connection: Connection): void {
    const worn = this.recycleAfter !== undefined && connection.served >= this.recycleAfter;
    if (worn) connection.close();
    if (connection.closed) {
      if (!this.stopped) void this.add().catch(() => undefined);
      return;
    }
    this.park(connection);
  }

  /**
   * take returns an open connection, or undefined when none is idle. A connection the server
   * closed while it sat idle, or one idle past the client's own timeout, is replaced, not used:
   * sending on it would fail a request that never reached the server.
   */
  take(): Connection | undefined {
    for (;;) {
      const connection = this.idle.pop();
      if (connection === undefined) return undefined;
      const since = this.idleSince.get(connection) ?? 0;
      this.idleSince.delete(connection);
      if (connection.closed || performance.now() - since > CLIENT_IDLE_TIMEOUT_MS) {
        connection.close();
        if (!this.stopped) void this.add().catch(() => undefined);
        continue;
      }
      return connection;
    }
  }

  private park(connection: Connection): void {
    this.idleSince.set(connection, performance.now());
    this.idle.push(connection);
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.idle) c.close();
    this.idle.length = 0;
    this.idleSince.clear();
  }

  private async add(): Promise<void> {
    this.opening += 1;
    const connection = new Connection(this.target);
    try {
      await connection.open();
    } finally {
      this.opening -= 1;
    }
    if (this.stopped) {
      connection.close();
      return;
    }
    this.park(connection);
    this.onIdle();
  }
}

/** A running tally shared by both kinds of load. */
class Tally {
  sent = 0;
  ok = 0;
  failed = 0;
  readonly failures: Record<string, number> = {};
  readonly latencies: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.latencies = new Float64Array(capacity);
  }

  record(ms: number, error: string | null): void {
    if (error === null) {
      this.ok += 1;
      if (this.count < this.latencies.length) this.latencies[this.count++] = ms;
    } else {
      this.failed += 1;
      this.failures[error] = (this.failures[error] ?? 0) + 1;
    }
  }

  recorded(): Float64Array {
    return this.latencies.subarray(0, this.count);
  }
}

function result(
  tally: Tally,
  options: LoadOptions,
  offered: number | null,
  timing: { started: number; cpu: NodeJS.CpuUsage; backlog: number },
): LoadResult {
  const wallMs = performance.now() - timing.started;
  const cpu = process.cpuUsage(timing.cpu);
  return {
    offeredRps: offered,
    connections: options.connections,
    durationS: Math.round(wallMs) / 1000,
    sent: tally.sent,
    ok: tally.ok,
    failed: tally.failed,
    failures: tally.failures,
    achievedRps: Math.round((tally.ok / wallMs) * 1000 * 10) / 10,
    latencyMs: percentiles(tally.recorded()),
    clientCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
    backlog: timing.backlog,
  };
}

/** fixedRate offers `rate` requests per second for `durationS`, cycling through `requests`. */
export async function fixedRate(
  target: Target,
  requests: readonly LoadRequest[],
  options: LoadOptions & { readonly rate: number },
): Promise<LoadResult> {
  const check = options.check ?? defaultCheck;
  const total = Math.min(
    Math.round(options.rate * options.durationS),
    options.maxRequests ?? Number.MAX_SAFE_INTEGER,
  );
  const tally = new Tally(Math.min(total, 50_000_000));
  const interval = 1000 / options.rate;
  const queue: number[] = [];
  let next = 0;
  let answered = 0;
  let started = 0;
  const pool = new Pool(target, options.connections, options.recycleAfter, () => {
    dispatch();
  });
  await pool.open();
  const cpu = process.cpuUsage();
  started = performance.now();

  function dispatch(): void {
    while (queue.length > 0) {
      const connection = pool.take();
      if (connection === undefined) return;
      const i = queue.shift() ?? 0;
      const request = requests[i % requests.length];
      if (request === undefined) continue;
      const due = started + i * interval;
      tally.sent += 1;
      connection.send(request.bytes, (reply) => {
        tally.record(performance.now() - due, check(reply, request));
        answered += 1;
        pool.release(connection);
        dispatch();
      });
    }
  }

  await new Promise<void>((resolve) => {
    let lastSecond = 0;
    const tick = (): void => {
      const now = performance.now();
      while (next < total && started + next * interval <= now) queue.push(next++);
      dispatch();
      const elapsed = (now - started) / 1000;
      if (options.onSecond !== undefined && Math.floor(elapsed) > lastSecond) {
        lastSecond = Math.floor(elapsed);
        options.onSecond({
          elapsedS: lastSecond,
          sent: tally.sent,
          ok: tally.ok,
          failed: tally.failed,
        });
      }
      if (next >= total && answered >= tally.sent && queue.length === 0) {
        resolve();
        return;
      }
      // Past the end plus a grace period, stop waiting for lost answers.
      if (next >= total && now - started > total * interval + 30_000) {
        resolve();
        return;
      }
      const wait = started + next * interval - now;
      if (next < total && wait > 2) setTimeout(tick, Math.min(wait - 1.5, 50));
      else if (next < total) setImmediate(tick);
      else setTimeout(tick, 1);
    };
    tick();
  });
  const backlog = queue.length;
  pool.stop();
  return result(tally, options, options.rate, { started, cpu, backlog });
}

/** saturate runs `connections` closed loops for `durationS` and reports what got through. */
export async function saturate(
  target: Target,
  requests: readonly LoadRequest[],
  options: LoadOptions,
): Promise<LoadResult> {
  const check = options.check ?? defaultCheck;
  const tally = new Tally(10_000_000);
  let running = true;
  let inFlight = 0;
  let index = 0;
  let finish: (() => void) | undefined;
  const pool = new Pool(target, options.connections, options.recycleAfter, () => {
    pump();
  });
  await pool.open();
  const cpu = process.cpuUsage();
  const started = performance.now();

  function pump(): void {
    while (running) {
      const connection = pool.take();
      if (connection === undefined) return;
      const request = requests[index++ % requests.length];
      if (request === undefined) return;
      const sentAt = performance.now();
      tally.sent += 1;
      inFlight += 1;
      connection.send(request.bytes, (reply) => {
        inFlight -= 1;
        tally.record(performance.now() - sentAt, check(reply, request));
        pool.release(connection);
        if (options.maxRequests !== undefined && tally.sent >= options.maxRequests) running = false;
        if (running) pump();
        else if (inFlight === 0) finish?.();
      });
    }
  }

  pump();
  let second = 0;
  const timer = setInterval(() => {
    second += 1;
    options.onSecond?.({ elapsedS: second, sent: tally.sent, ok: tally.ok, failed: tally.failed });
  }, 1000);
  await new Promise<void>((resolve) => {
    finish = resolve;
    setTimeout(() => {
      running = false;
      if (inFlight === 0) resolve();
    }, options.durationS * 1000);
  });
  clearInterval(timer);
  pool.stop();
  return result(tally, options, null, { started, cpu, backlog: 0 });
}
