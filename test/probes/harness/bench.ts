/**
 * @module probes/harness/bench — run one conformance case: render the Pod's readiness probe with
 * the engine, execute that argv as the kubelet does (after its probe-time $(VAR) expansion) with
 * the container's environment, record the row and
 * assert the contract (exit status as expected, finished within the probe's timeoutSeconds).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { containerEnvironment, podEnv } from './env.js';
import { startHangListener } from './hang.js';
import { renderProbe } from './pod.js';
import { freePort } from './ports.js';
import type { RenderedReadiness, Subject } from './pod.js';
import type { ProbeKind } from '../../../src/core/index.js';
import { probeTimeCommand } from '../../../src/core/kubelet-expansion.js';
import { recordRow } from './results.js';
import { runArgv } from './run.js';
import type { RunResult } from './run.js';
import { removeScratch, scratchRoot } from './servers.js';

/** One case: a subject (Pod), the state it meets, and what readiness must say. */
export interface CaseSpec {
  readonly subject: Subject;
  /** Short name of the situation (`ready`, `stopped`, `wrong port (PGPORT)`, …). */
  readonly case: string;
  /** `ready` expects exit 0, `not-ready` any other exit. */
  readonly expect: 'ready' | 'not-ready';
  /** What the probe dials, for the report (`PostgreSQL 15.18 (Debian)`, `hang listener`). */
  readonly server: string;
  /** The image stand-in from the server's probe.env (see env.ts). */
  readonly tools?: Readonly<Record<string, string>>;
  /** The port the rendered command must name: proves it came from the Pod's env/args. */
  readonly port?: number;
  /** A different image PATH (an image that lacks some tools). */
  readonly path?: string;
  /** Run the argv inside a wrapper that recreates the image's filesystem (see kafka). */
  readonly wrap?: (argv: readonly string[]) => readonly string[];
  /** The probe to run (readiness unless said). */
  readonly kind?: ProbeKind;
}

/** The run, with what the engine rendered. */
export interface CaseOutcome extends RunResult {
  readonly rendered: RenderedReadiness;
  readonly output: string;
}

/** A test file's bench: its scratch root, the container HOME, and where its rows go. */
export class ProbeBench {
  readonly root: string;
  readonly home: string;

  constructor(readonly file: string) {
    this.root = scratchRoot(file);
    this.home = join(this.root, 'home');
    mkdirSync(this.home, { mode: 0o755 });
  }

  /** check runs one case, records it, and asserts exit status and duration. */
  async check(spec: CaseSpec): Promise<CaseOutcome> {
    const rendered = renderProbe(spec.subject, spec.kind);
    const shown = showArgv(rendered.command);
    if (spec.port !== undefined) expect(shown, 'rendered port').toMatch(portPattern(spec.port));
    const env = containerEnvironment({
      home: this.home,
      tools: spec.tools ?? {},
      pod: podEnv(spec.subject.container.env ?? [], spec.subject.secrets ?? {}),
    });
    if (spec.path !== undefined) env.PATH = spec.path;
    // What the kubelet runs: the command after its probe-time $(VAR) expansion.
    const command = probeTimeCommand(rendered.command, { env: spec.subject.container.env ?? [] });
    const argv = spec.wrap === undefined ? command : spec.wrap(command);
    const limitMs = rendered.timeoutSeconds * 1000;
    const run = await runArgv(argv, { env, cwd: this.home, killAfterMs: limitMs + 30_000 });
    const output = firstLines(run.stdout, run.stderr);
    const exitOk = spec.expect === 'ready' ? run.exit === 0 : run.exit !== 0;
    const inTime = run.durationMs < limitMs && !run.killedByHarness;
    recordRow(this.file, {
      family: rendered.family,
      variant: rendered.variant,
      image: spec.subject.container.image,
      case: spec.case,
      expected: spec.expect === 'ready' ? '0' : 'non-zero',
      exit: run.exit,
      durationMs: run.durationMs,
      timeoutSeconds: rendered.timeoutSeconds,
      verdict: exitOk && inTime ? 'pass' : 'FAIL',
      server: spec.server,
      command: shown,
      output,
    });
    const context = `${spec.subject.container.image} / ${spec.case}: ${shown}\n  exit ${run.exit} after ${run.durationMs} ms; output: ${output}`;
    if (spec.expect === 'ready') expect(run.exit, context).toBe(0);
    else expect(run.exit, context).not.toBe(0);
    expect(run.killedByHarness, context).toBe(false);
    expect(run.durationMs, `${context}\n  must finish within timeoutSeconds`).toBeLessThan(limitMs);
    return { ...run, rendered, output };
  }

  /**
   * checkWrongPort renders the subject for a free port nothing listens on: readiness must say
   * not ready, and the rendered command must name that port (`label` says where it came from).
   */
  async checkWrongPort(
    subjectAt: (port: number) => Subject,
    label: string,
    extra: Pick<CaseSpec, 'tools' | 'kind'> = {},
  ): Promise<void> {
    const wrong = await freePort();
    await this.check({
      subject: subjectAt(wrong),
      case: `wrong port (${label})`,
      expect: 'not-ready',
      server: 'nothing listening',
      port: wrong,
      ...extra,
    });
  }

  /**
   * checkHang points the subject at a listener that accepts TCP and never answers: readiness must
   * say not ready within timeoutSeconds, and must really have connected. The rendered command
   * names the listener's port unless `portInCommand` is false (a port read from the env).
   */
  async checkHang(
    subjectAt: (port: number) => Subject,
    options: Partial<Pick<CaseSpec, 'case' | 'server' | 'tools' | 'kind' | 'expect'>> & {
      readonly portInCommand?: boolean;
    } = {},
  ): Promise<void> {
    const { portInCommand = true, ...spec } = options;
    const hang = await startHangListener();
    try {
      await this.check({
        subject: subjectAt(hang.port),
        case: 'hang (accepts, never answers)',
        expect: 'not-ready',
        server: 'hang listener',
        ...(portInCommand ? { port: hang.port } : {}),
        ...spec,
      });
      expect(hang.accepted()).toBeGreaterThan(0);
    } finally {
      await hang.close();
    }
  }

  /** dispose removes the scratch root (servers must be stopped first). */
  dispose(): void {
    removeScratch(this.root);
  }
}

/** showArgv joins an argv for display, JSON-quoting words with spaces or quotes. */
export function showArgv(argv: readonly string[]): string {
  return argv.map((a) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

function portPattern(port: number): RegExp {
  return new RegExp(`(^|[^0-9])${port}([^0-9]|$)`);
}

function firstLines(stdout: string, stderr: string): string {
  const pick = (s: string): string =>
    s
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .slice(0, 2)
      .join(' / ');
  return [pick(stdout), pick(stderr)]
    .filter((s) => s !== '')
    .join(' | ')
    .slice(0, 300);
}
