/**
 * @module probes/harness/servers — private database servers for the probe suite, driven through
 * test/probes/servers/start-<engine>.sh (start DIR PORT [options] / stop DIR / status DIR and
 * engine extras such as `populate` or `stop-app`), each in its own directory under a scratch root.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESULTS_DIR, SERVERS_DIR } from './paths.js';

/** The engines test/probes/servers can start. */
export type Engine = 'postgres' | 'redis' | 'mariadb' | 'mysql' | 'rabbitmq' | 'kafka' | 'mongodb';

/** The file of server dirs started in this run; the global teardown stops any left running. */
export const STARTED_LOG = join(RESULTS_DIR, 'started-servers.txt');

/** How long a server script may take (first starts of MySQL, RabbitMQ and Kafka are slow). */
const SCRIPT_TIMEOUT_MS = 300_000;

/** scratchRoot makes a temp dir the postgres/mysql users can traverse (mode 755). */
export function scratchRoot(label: string): string {
  const root = mkdtempSync(join(tmpdir(), `autoprobe-probes-${label}-`));
  chmodSync(root, 0o755);
  return root;
}

/** removeScratch deletes a scratch root unless AUTOPROBE_PROBES_KEEP is set (for debugging). */
export function removeScratch(root: string): void {
  if (process.env.AUTOPROBE_PROBES_KEEP === undefined)
    rmSync(root, { recursive: true, force: true });
}

/** runScript runs a server script and returns its stdout; rejects with its stderr tail. */
export function runScript(script: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [join(SERVERS_DIR, script), ...args],
      { timeout: SCRIPT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout);
        else {
          const tail = stderr.split('\n').slice(-30).join('\n');
          reject(new Error(`${script} ${args.join(' ')} failed: ${error.message}\n${tail}`));
        }
      },
    );
  });
}

/** One private server: its engine, directory and client port. */
export class TestServer {
  constructor(
    readonly engine: Engine,
    readonly dir: string,
    readonly port: number,
  ) {}

  private get script(): string {
    return `start-${this.engine}.sh`;
  }

  /** start launches the server and waits until the script says it is ready (or, with options, in the asked state). */
  async start(options: readonly string[] = []): Promise<void> {
    mkdirSync(RESULTS_DIR, { recursive: true });
    appendFileSync(STARTED_LOG, `${this.engine} ${this.dir}\n`);
    await runScript(this.script, ['start', this.dir, String(this.port), ...options]);
  }

  /** stop shuts the server down gracefully and waits for it to exit. */
  async stop(): Promise<void> {
    await runScript(this.script, ['stop', this.dir]);
  }

  /** running says whether the server process is alive. */
  async running(): Promise<boolean> {
    try {
      await runScript(this.script, ['status', this.dir]);
      return true;
    } catch {
      return false;
    }
  }

  /** extra runs an engine-specific script command (`populate`, `stop-app`, `start-app`). */
  async extra(command: string, ...args: string[]): Promise<string> {
    return runScript(this.script, [command, this.dir, ...args]);
  }

  /** The server's own log or data files, for assertions about what it did. */
  read(relative: string): string {
    return readFileSync(join(this.dir, relative), 'utf8');
  }
}

/** newServer names a server directory under `root` without starting anything. */
export function newServer(
  engine: Engine,
  root: string,
  port: number,
  name: string = engine,
): TestServer {
  return new TestServer(engine, join(root, name), port);
}
