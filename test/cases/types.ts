/**
 * The shared case table's shape: one table of Pods and the expected decisions, run against the
 * core, the CLI (`explain -o json`, `inject`) and the webhook (`POST /mutate`), so every surface
 * makes the same decisions (Hono's shared router contract test is the model).
 */
import type { Family, MeshSetting, ProbeKind, ReasonCode } from '../../src/core/index.js';

/** What one container should come out as. */
export interface ExpectedContainer {
  readonly family: Family | null;
  readonly action: 'inject' | 'skip';
  /** Exactly the probe kinds added (empty for skip). */
  readonly probes: readonly ProbeKind[];
  /** Reason codes that must be present (others may be too). */
  readonly reasons?: readonly ReasonCode[];
  /** Expected tcpSocket.port of the added liveness/startup/readiness TCP probes, if any. */
  readonly port?: number | string;
  /** Expected readiness exec argv (exact), when readiness is exec. */
  readonly readinessCommand?: readonly string[];
  /** Substrings that must appear in the readiness command (joined with spaces). */
  readonly readinessIncludes?: readonly string[];
  /** Substrings that must appear in the liveness exec command (joined with spaces). */
  readonly livenessIncludes?: readonly string[];
}

/** One case: a Pod (metadata + spec) and the expected decision per container name. */
export interface Case {
  readonly name: string;
  readonly pod: {
    readonly metadata?: Record<string, unknown>;
    readonly spec: Record<string, unknown>;
  };
  readonly expect: Readonly<Record<string, ExpectedContainer>>;
  /**
   * The Pod's namespace, where the case depends on it (a mesh's injection marker). The webhook and
   * the apiserver surfaces create it; the CLI, which sees no namespace, is told `cliMesh` instead.
   */
  readonly namespace?: {
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly cliMesh: MeshSetting;
  };
}
