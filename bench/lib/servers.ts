/**
 * @module bench/lib/servers — start the servers under test as separate processes, pinned to a
 * CPU with `taskset` when it exists, and read their CPU time and memory from /proc.
 *
 * Both servers get the same ECDSA P-256 certificate (made once per run by the project's own
 * development-CA code) and listen on loopback only.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { generateDevCertificate } from '../../src/server/dev-certificate.js';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '..', '..');

/** Certificate files of a run. */
export interface TlsFiles {
  readonly dir: string;
  readonly ca: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** writeTls generates a CA and a serving certificate for localhost into `dir`. */
export async function writeTls(dir: string, name = 'tls'): Promise<TlsFiles> {
  mkdirSync(dir, { recursive: true });
  const material = await generateDevCertificate({ validDays: 2 });
  const files = {
    dir,
    ca: material.caCert,
    certFile: join(dir, `${name}.crt`),
    keyFile: join(dir, `${name}.key`),
  };
  writeFileSync(files.certFile, material.cert);
  writeFileSync(files.keyFile, material.key, { mode: 0o600 });
  writeFileSync(join(dir, `${name}-ca.crt`), material.caCert);
  return files;
}

/** freePort asks the kernel for an unused loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolvePort(port);
      });
    });
  });
}

/** hasTaskset says whether processes can be pinned to CPUs. */
export function hasTaskset(): boolean {
  return spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;
}

/**
 * The scheduling priority of the processes under test. The machine may be shared (other work
 * running on the same two CPUs); a higher priority keeps the measured processes from waiting
 * behind it, which would otherwise show up as their latency. With autogroup scheduling (Linux's
 * default for desktop and many server kernels) nice only ranks threads inside one session, so
 * each server gets its own session and the session's autogroup gets the priority too
 * (sched(7), "The autogroup feature"). Needs root; without it the processes run at the default
 * priority and the report says so.
 */
export const NICE = -10;

/** canRaisePriority says whether processes can be started with NICE. */
export function canRaisePriority(): boolean {
  return (
    spawnSync('nice', ['-n', String(NICE), 'true'], { stdio: 'ignore' }).status === 0 &&
    process.getuid?.() === 0
  );
}

/** pinSelf moves every thread of this process to `cpus` (e.g. "1"); false when it cannot. */
export function pinSelf(cpus: string): boolean {
  if (!hasTaskset()) return false;
  return (
    spawnSync('taskset', ['-a', '-cp', cpus, String(process.pid)], { stdio: 'ignore' }).status === 0
  );
}

/** prioritiseSelf gives every thread of this process the NICE priority; false when it cannot. */
export function prioritiseSelf(): boolean {
  if (!canRaisePriority()) return false;
  prioritiseAutogroup(process.pid);
  const tids = readdirSync(`/proc/${process.pid}/task`);
  return tids.every(
    (tid) => spawnSync('renice', ['-n', String(NICE), '-p', tid], { stdio: 'ignore' }).status === 0,
  );
}

/** prioritiseAutogroup sets the nice value of the process's session autogroup, where there is one. */
function prioritiseAutogroup(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(NICE));
  } catch {
    // No autogroup scheduling here: nice alone ranks the threads.
  }
}

/** Machine-wide busy CPU time in seconds (all CPUs, from /proc/stat). */
export function machineBusyS(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  const ticks = [user, nice, system, irq, softirq, steal].reduce<number>((a, b) => a + (b ?? 0), 0);
  return ticks / CLOCK_TICKS;
}

/** A server process under test. */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  readonly child: ChildProcess;
  /** Stops the process (SIGINT) and waits for it to exit. */
  stop(): Promise<number | null>;
}

/** command is the argv that runs node with `node` arguments, pinned and prioritised if possible. */
export function command(cpu: string | undefined, node: readonly string[]): [string, string[]] {
  const pinned = cpu !== undefined && hasTaskset() ? ['taskset', '-c', cpu] : [];
  const nice = canRaisePriority() ? ['nice', '-n', String(NICE)] : [];
  const argv = [...nice, ...pinned, process.execPath, ...node];
  return [argv[0] ?? process.execPath, argv.slice(1)];
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * owned puts a server in its own session (spawned detached) at the benchmark's priority, and
 * makes sure it does not outlive this process.
 */
export function owned(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (child.pid !== undefined && canRaisePriority()) prioritiseAutogroup(child.pid);
}

function stopper(child: ChildProcess): () => Promise<number | null> {
  return () =>
    new Promise((resolveExit) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolveExit(child.exitCode);
        return;
      }
      child.once('exit', (code) => {
        resolveExit(code);
      });
      child.kill('SIGINT');
    });
}

/** startBaseline starts bench/baseline-server.ts. */
export async function startBaseline(tls: TlsFiles, cpu?: string): Promise<ServerProcess> {
  const port = await freePort();
  const [bin, args] = command(cpu, [
    '--import',
    'tsx',
    join(ROOT, 'bench', 'baseline-server.ts'),
    '--port',
    String(port),
    '--cert',
    tls.certFile,
    '--key',
    tls.keyFile,
  ]);
  const child = spawn(bin, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  owned(child);
  await new Promise<void>((resolveReady, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('listening')) resolveReady();
    });
    child.once('exit', (code) => {
      reject(new Error(`baseline server exited with ${String(code)}`));
    });
  });
  return { name: 'baseline', pid: child.pid ?? 0, port, child, stop: stopper(child) };
}

/** Options of startAutoprobe. */
export interface AutoprobeOptions {
  readonly tls: TlsFiles;
  readonly dir: string;
  readonly cpu?: string;
  /** Where the JSON log lines go (a file path or /dev/null). */
  readonly logFile: string;
  /** Extra node flags, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
  /** Extra YAML appended to the config file. */
  readonly extraConfig?: string;
  readonly logLevel?: string;
  /** Use this config file (already written, e.g. in a ConfigMap-like volume) instead. */
  readonly configFile?: string;
  /** The ports, when the config file is given (it names them). */
  readonly ports?: { readonly port: number; readonly metricsPort: number };
  /** The autoprobe entry point (default: this checkout's dist/main.js). */
  readonly main?: string;
}

/** A running `autoprobe serve`. */
export interface AutoprobeProcess extends ServerProcess {
  readonly metricsPort: number;
  readonly configFile: string;
}

/** configText is the config file of a benchmark run: enforce, cluster scope, info logs. */
export function configText(
  options: Pick<AutoprobeOptions, 'tls' | 'extraConfig' | 'logLevel'>,
  ports: { port: number; metricsPort: number },
): string {
  return [
    'mode: enforce',
    'scope: cluster',
    `logLevel: ${options.logLevel ?? 'info'}`,
    'server:',
    '  host: 127.0.0.1',
    `  port: ${ports.port}`,
    `  metricsPort: ${ports.metricsPort}`,
    '  shutdownDelayMs: 0',
    '  tls:',
    `    certFile: ${options.tls.certFile}`,
    `    keyFile: ${options.tls.keyFile}`,
    options.extraConfig ?? '',
    '',
  ].join('\n');
}

/** startAutoprobe starts the built `dist/main.js serve` and waits until /readyz answers 200. */
export async function startAutoprobe(options: AutoprobeOptions): Promise<AutoprobeProcess> {
  const main = options.main ?? join(ROOT, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const port = options.ports?.port ?? (await freePort());
  const metricsPort = options.ports?.metricsPort ?? (await freePort());
  mkdirSync(options.dir, { recursive: true });
  const configFile = options.configFile ?? join(options.dir, 'config.yaml');
  if (options.configFile === undefined) {
    writeFileSync(configFile, configText(options, { port, metricsPort }));
  }
  const [bin, args] = command(options.cpu, [
    ...(options.nodeArgs ?? []),
    main,
    'serve',
    '--config',
    configFile,
  ]);
  const log = openSync(options.logFile, 'w');
  const child = spawn(bin, args, {
    cwd: ROOT,
    stdio: ['ignore', log, 'inherit'],
    env: { ...process.env, KUBECONFIG: '', HOME: options.dir, POD_NAMESPACE: 'autoprobe' },
    detached: true,
  });
  closeSync(log);
  owned(child);
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`autoprobe serve exited with ${String(code)}; see ${options.logFile}`));
    });
  });
  await Promise.race([waitReady(metricsPort), exited]);
  exited.catch(() => undefined);
  return {
    name: 'autoprobe',
    pid: child.pid ?? 0,
    port,
    metricsPort,
    configFile,
    child,
    stop: stopper(child),
  };
}

async function waitReady(metricsPort: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('autoprobe serve did not become ready within 30 s');
}

/** scrape reads the Prometheus text of a running autoprobe and returns the series asked for. */
export async function scrape(metricsPort: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/** Memory and CPU time of a process, from /proc. */
export interface ProcStats {
  readonly rssMb: number;
  /** Peak RSS since start or the last resetPeak. */
  readonly peakRssMb: number;
  /** User + system CPU seconds. */
  readonly cpuS: number;
}

const CLOCK_TICKS = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number.parseInt(out.stdout, 10);
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** procStats reads /proc/PID/status and /proc/PID/stat. */
export function procStats(pid: number): ProcStats {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match?.[1] === undefined ? 0 : Number.parseInt(match[1], 10);
  };
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at state (field 3).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const mb = (v: number): number => Math.round((v / 1024) * 10) / 10;
  return { rssMb: mb(kb('VmRSS')), peakRssMb: mb(kb('VmHWM')), cpuS: ticks / CLOCK_TICKS };
}

/** resetPeak resets the process's peak RSS (Linux ≥ 4.0); false when not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
