/**
 * @module bench/abuse-bench — `npm run bench -- --abuse`: what one hostile or unlucky client
 * costs everyone else (issue 12). Two measurements against a fresh `autoprobe serve` each:
 *
 * - stall: /healthz is polled every 5 ms while one body is sent; the longest /healthz wait, next
 *   to the longest wait of a quiet spell, is how long that body held the event loop. Bodies: 3 MiB
 *   of nested arrays (refused by the depth guard before parsing), the largest valid review (a
 *   postgres container with as many env entries as the engine reads, 3 MiB in all, parsed and
 *   decided).
 * - memory: 50 connections send the largest valid review at the same moment, three rounds; the
 *   peak RSS (VmHWM) of the server and the answers' statuses, for budgets of bytes in flight
 *   from none (4096 MiB) to 16 MiB.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULTS } from '../src/config/config.js';
import { MAX_POD_ENV_ENTRIES, MAX_VALUE } from '../src/core/index.js';
import { BODY_LIMIT_BYTES } from '../src/server/mutate-route.js';
import { reviewOf } from './corpus.js';
import { Connection, buildRequest } from './lib/client.js';
import type { Reply, Target } from './lib/client.js';
import { procStats, startAutoprobe } from './lib/servers.js';
import type { AutoprobeProcess, TlsFiles } from './lib/servers.js';

/** One body's hold on the event loop. */
export interface StallFigure {
  readonly body: string;
  readonly bytes: number;
  readonly status: number;
  /** Longest /healthz wait while the body was sent and answered. */
  readonly maxHealthzMs: number;
}

/** Peak memory of a burst of the largest reviews. */
export interface MemoryFigure {
  readonly maxInFlightMiB: number;
  readonly concurrent: number;
  readonly rounds: number;
  readonly bodyBytes: number;
  readonly startRssMb: number;
  readonly peakRssMb: number;
  /** Answers by HTTP status (0: transport failure). */
  readonly statuses: Readonly<Record<string, number>>;
}

/** The abuse figures of results.json. */
export interface AbuseReport {
  /** Longest /healthz wait of a quiet second: the floor of the stall figures. */
  readonly quietMaxHealthzMs: number;
  readonly stall: readonly StallFigure[];
  readonly memory: readonly MemoryFigure[];
}

/** Options of runAbuseBench. */
export interface AbuseOptions {
  readonly tls: TlsFiles;
  readonly dir: string;
  readonly log: (line: string) => void;
  readonly main?: string;
}

const CONCURRENT = 50;
const ROUNDS = 3;
/** Above any cap worth setting: the server without one. */
const UNCAPPED = 4096;

/** nestedArrays is a body of `bytes` bytes that is one array nested as deep as it fits. */
function nestedArrays(bytes: number): string {
  const depth = Math.floor(bytes / 2);
  return '['.repeat(depth) + ']'.repeat(depth);
}

/**
 * widestReview is a valid AdmissionReview of exactly `bytes` bytes that the engine reads in
 * full: a postgres Pod whose container has as many env entries as the engine reads
 * (MAX_POD_ENV_ENTRIES), their values as long as fits, the rest padding in an annotation.
 */
export function widestReview(bytes: number): string {
  const reviewWith = (valueLength: number, pad: string): string =>
    JSON.stringify(
      reviewOf(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'wide', annotations: { pad } },
          spec: {
            containers: [
              {
                name: 'db',
                image: 'postgres:16',
                env: Array.from({ length: MAX_POD_ENV_ENTRIES }, (_, i) => ({
                  name: `E${i}`,
                  value: 'v'.repeat(valueLength),
                })),
              },
            ],
          },
        },
        'abuse',
        'abuse',
      ),
    );
  const perChar = reviewWith(1, '').length - reviewWith(0, '').length;
  const valueLength = Math.min(MAX_VALUE, Math.floor((bytes - reviewWith(0, '').length) / perChar));
  const body = reviewWith(valueLength, '');
  return reviewWith(valueLength, 'x'.repeat(Math.max(0, bytes - body.length)));
}

/** A plain one-container review, to warm the server up. */
const SMALL_REVIEW = JSON.stringify(
  reviewOf(
    { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
    'warm',
    'abuse',
  ),
);

function targetOf(server: AutoprobeProcess, tls: TlsFiles): Target {
  return { host: '127.0.0.1', port: server.port, ca: [tls.ca], servername: 'localhost' };
}

function send(target: Target, body: string): Promise<Reply> {
  const connection = new Connection(target);
  return connection.open().then(
    () =>
      new Promise<Reply>((resolve) => {
        connection.send(buildRequest(target, '/mutate', body), (reply) => {
          connection.close();
          resolve(reply);
        });
      }),
    (error: unknown) => ({ status: 0, body: Buffer.alloc(0), error: String(error) }),
  );
}

/** pollHealthz polls /healthz until stopped and returns the longest wait. */
function pollHealthz(metricsPort: number): { stop: () => Promise<number> } {
  const state = { running: true };
  let longest = 0;
  const loop = (async () => {
    while (state.running) {
      const start = performance.now();
      await fetch(`http://127.0.0.1:${metricsPort}/healthz`).then((r) => r.arrayBuffer());
      longest = Math.max(longest, performance.now() - start);
      await sleep(5);
    }
  })();
  return {
    stop: async () => {
      state.running = false;
      await loop;
      return Math.round(longest * 10) / 10;
    },
  };
}

async function measureStall(
  server: AutoprobeProcess,
  tls: TlsFiles,
  name: string,
  body: string,
): Promise<StallFigure> {
  // A first request warms the TLS and JSON paths so the figure is the body's alone.
  await send(targetOf(server, tls), SMALL_REVIEW);
  const poll = pollHealthz(server.metricsPort);
  await sleep(200);
  const reply = await send(targetOf(server, tls), body);
  await sleep(200);
  return { body: name, bytes: body.length, status: reply.status, maxHealthzMs: await poll.stop() };
}

async function measureMemory(
  options: AbuseOptions,
  maxInFlightMiB: number,
  body: string,
): Promise<MemoryFigure> {
  const dir = join(options.dir, `abuse-memory-${maxInFlightMiB}`);
  const server = await startAutoprobe({
    tls: options.tls,
    dir,
    logFile: '/dev/null',
    extraConfig: `  maxInFlightMiB: ${maxInFlightMiB}`,
    ...(options.main === undefined ? {} : { main: options.main }),
  });
  try {
    const startRssMb = procStats(server.pid).rssMb;
    const statuses: Record<string, number> = {};
    const target = targetOf(server, options.tls);
    for (let round = 0; round < ROUNDS; round += 1) {
      const connections = Array.from({ length: CONCURRENT }, () => new Connection(target));
      await Promise.all(connections.map((c) => c.open()));
      const request = buildRequest(target, '/mutate', body);
      const replies = await Promise.all(
        connections.map(
          (c) =>
            new Promise<Reply>((resolve) => {
              c.send(request, resolve);
            }),
        ),
      );
      for (const c of connections) c.close();
      for (const r of replies) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
    return {
      maxInFlightMiB,
      concurrent: CONCURRENT,
      rounds: ROUNDS,
      bodyBytes: body.length,
      startRssMb,
      peakRssMb: procStats(server.pid).peakRssMb,
      statuses,
    };
  } finally {
    await server.stop();
  }
}

/** runAbuseBench measures the stalls and the memory of a burst. */
export async function runAbuseBench(options: AbuseOptions): Promise<AbuseReport> {
  const widest = widestReview(BODY_LIMIT_BYTES - 1);
  options.log('abuse: stalls of one body');
  const server = await startAutoprobe({
    tls: options.tls,
    dir: join(options.dir, 'abuse-stall'),
    logFile: '/dev/null',
    ...(options.main === undefined ? {} : { main: options.main }),
  });
  let quietMaxHealthzMs: number;
  const stall: StallFigure[] = [];
  try {
    const quiet = pollHealthz(server.metricsPort);
    await sleep(1000);
    quietMaxHealthzMs = await quiet.stop();
    stall.push(
      await measureStall(server, options.tls, 'nested arrays', nestedArrays(BODY_LIMIT_BYTES - 1)),
    );
    stall.push(await measureStall(server, options.tls, 'widest valid review', widest));
  } finally {
    await server.stop();
  }
  const memory: MemoryFigure[] = [];
  for (const cap of [UNCAPPED, 64, DEFAULTS.server.maxInFlightMiB, 16]) {
    options.log(`abuse: ${CONCURRENT} concurrent 3 MiB reviews, maxInFlightMiB ${cap}`);
    memory.push(await measureMemory(options, cap, widest));
  }
  return { quietMaxHealthzMs, stall, memory };
}
