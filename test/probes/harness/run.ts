/**
 * @module probes/harness/run — execute a probe argv the way the kubelet's exec probe does: the
 * argv as given (no shell added), the container's environment only, and a wall-clock measurement
 * from spawn to exit.
 */
import { spawn } from 'node:child_process';

/** The outcome of one run. */
export interface RunResult {
  /** The exit status, or 128 + signal number when the process died from a signal. */
  readonly exit: number;
  readonly signal: NodeJS.Signals | null;
  /** Wall time from spawn to the process's exit, in milliseconds. */
  readonly durationMs: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The harness had to kill it (it outlived `killAfterMs`): never expected for a probe. */
  readonly killedByHarness: boolean;
}

export interface RunOptions {
  /** The complete environment of the process (nothing is inherited from the test process). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Safety net: SIGKILL the process group after this long. */
  readonly killAfterMs: number;
}

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGKILL: 9,
  SIGPIPE: 13,
  SIGTERM: 15,
};
const OUTPUT_LIMIT = 64 * 1024;
/** How long to keep reading output after exit (a daemon a CLI forked may hold the pipes). */
const DRAIN_MS = 2000;

/** runArgv spawns argv[0] with argv[1..] and resolves when it has exited. */
export function runArgv(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error('empty argv'));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // detached: its own process group, so the safety net can kill everything it started.
    const child = spawn(file, args, {
      env: { ...options.env },
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < OUTPUT_LIMIT) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < OUTPUT_LIMIT) stderr += chunk.toString('utf8');
    });
    let killedByHarness = false;
    const safety = setTimeout(() => {
      killedByHarness = true;
      killGroup(child.pid);
    }, options.killAfterMs);
    child.on('error', (error) => {
      clearTimeout(safety);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      const durationMs = Math.round(performance.now() - started);
      clearTimeout(safety);
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        resolve({
          exit: code ?? 128 + (signal === null ? 0 : (SIGNALS[signal] ?? 0)),
          signal,
          durationMs,
          stdout,
          stderr,
          killedByHarness,
        });
      };
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, DRAIN_MS);
      child.on('close', () => {
        clearTimeout(drain);
        finish();
      });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
