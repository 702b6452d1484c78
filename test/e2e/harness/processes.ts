/**
 * @module e2e/harness/processes — child processes that cannot outlive the suite. Each runs in its
 * own process group (so a shell wrapper's children go too), logs to a file, and is stopped with
 * SIGTERM, then SIGKILL after a grace period. Three safety nets catch what a failed test leaves
 * behind: this process's `exit` and SIGINT/SIGTERM handlers kill every live group synchronously,
 * and a pid file per process lets the global teardown (or the next run) stop processes whose
 * owner died, after checking /proc that the pid still runs the same command line.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** What startProcess needs. */
export interface ProcessSpec {
  /** A short name for messages ("etcd", "kube-apiserver", "autoprobe"). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** stdout and stderr go here (appended). */
  readonly logFile: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** A directory for the pid file that lets a later cleanup find the process (see killRecorded). */
  readonly pidDir?: string;
}

/** A started process. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  running(): boolean;
  /** The log so far. */
  log(): string;
  /** The last `lines` lines of the log, for error messages. */
  tail(lines?: number): string;
  /** Sends a signal to the process group (SIGSTOP/SIGCONT freeze and thaw it). */
  signal(signal: NodeJS.Signals): void;
  /** Stops the group: `signal` (SIGTERM), then SIGKILL after `graceMs` (10 s). Idempotent. */
  stop(options?: { readonly signal?: NodeJS.Signals; readonly graceMs?: number }): Promise<Exit>;
}

const live = new Map<number, string>();
let handlersInstalled = false;

/** startProcess spawns a command in its own process group with its output in a log file. */
export function startProcess(spec: ProcessSpec): ManagedProcess {
  installSafetyNets();
  const fd = openSync(spec.logFile, 'a');
  let child;
  try {
    child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  live.set(pid, spec.name);
  const pidFile = spec.pidDir === undefined ? undefined : join(spec.pidDir, String(pid));
  if (pidFile !== undefined && spec.pidDir !== undefined) {
    mkdirSync(spec.pidDir, { recursive: true });
    writeFileSync(pidFile, [spec.command, ...spec.args].join('\0'));
  }
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      live.delete(pid);
      if (pidFile !== undefined) rmSync(pidFile, { force: true });
      resolve(exit);
    });
    child.once('error', () => {
      exit = { code: null, signal: null };
      live.delete(pid);
      if (pidFile !== undefined) rmSync(pidFile, { force: true });
      resolve(exit);
    });
  });
  const log = (): string => (existsSync(spec.logFile) ? readFileSync(spec.logFile, 'utf8') : '');
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (exit === undefined) killGroup(pid, signal);
  };
  return {
    name: spec.name,
    pid,
    logFile: spec.logFile,
    exited,
    running: () => exit === undefined,
    log,
    tail: (lines = 30) => log().trimEnd().split('\n').slice(-lines).join('\n'),
    signal: signalGroup,
    stop: async (options = {}) => {
      if (exit !== undefined) return exit;
      signalGroup('SIGCONT'); // a frozen (SIGSTOPped) process cannot act on SIGTERM
      signalGroup(options.signal ?? 'SIGTERM');
      const graceMs = options.graceMs ?? 10_000;
      // An unref'd timer: the child keeps the event loop alive while it runs, the timer alone must not.
      const timer = sleep(graceMs, undefined, { ref: false }).then(() => undefined);
      const done = await Promise.race([exited, timer]);
      if (done !== undefined) return done;
      signalGroup('SIGKILL');
      return exited;
    },
  };
}

/** killGroup signals a process group, ignoring a group that is already gone. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

const exitCleanups = new Set<() => void>();

/**
 * onExitSync registers a synchronous cleanup (e.g. removing a run directory) that runs after
 * every live group is killed when this process exits or is interrupted; the returned function
 * unregisters it (call it once the owner cleaned up normally).
 */
export function onExitSync(cleanup: () => void): () => void {
  installSafetyNets();
  exitCleanups.add(cleanup);
  return () => {
    exitCleanups.delete(cleanup);
  };
}

/** killAllSync SIGKILLs every live group this process started (for exit and signal handlers). */
export function killAllSync(): void {
  for (const pid of live.keys()) killGroup(pid, 'SIGKILL');
  for (const cleanup of exitCleanups) {
    try {
      cleanup();
    } catch {
      // best effort: a stale directory is removed by the next run's sweep
    }
  }
  exitCleanups.clear();
}

/**
 * installSafetyNets kills every live group when this process exits or gets SIGINT/SIGTERM. A
 * signal is re-raised afterwards when nobody else handles it, so the default action (exit) still
 * happens; when another handler exists (vitest's), that handler decides.
 */
function installSafetyNets(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllSync();
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * killRecorded SIGKILLs the groups recorded in `pidDir` whose pid still runs the recorded command
 * line (a reused pid is left alone), and removes the pid files. It returns the names it killed.
 */
export function killRecorded(pidDir: string): string[] {
  if (!existsSync(pidDir)) return [];
  const killed: string[] = [];
  for (const entry of readdirSync(pidDir)) {
    const pid = Number.parseInt(entry, 10);
    const file = join(pidDir, entry);
    if (!Number.isInteger(pid) || pid <= 1) continue;
    const recorded = readFileSync(file, 'utf8');
    if (commandLineOf(pid) === recorded) {
      killGroup(pid, 'SIGCONT');
      killGroup(pid, 'SIGKILL');
      killed.push(`${recorded.split('\0')[0] ?? '?'} (pid ${pid})`);
    }
    rmSync(file, { force: true });
  }
  return killed;
}

function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '');
  } catch {
    return undefined;
  }
}

/** isAlive tells whether a pid exists (used for a run directory's owner). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
