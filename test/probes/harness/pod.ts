/**
 * @module probes/harness/pod — realistic Pods for a family/variant, and the readiness probe the
 * engine renders for them. The suite never writes a probe command itself: it takes
 * `readinessProbe.exec.command` and `timeoutSeconds` from `mutateTemplate`.
 */
import { DEFAULT_ENGINE_CONFIG, PROBE_FIELD, mutateTemplate } from '../../../src/core/index.js';
import type { Family, PodTemplate, ProbeKind } from '../../../src/core/index.js';
import type { EnvVar } from './env.js';

/** The server container of a test Pod (named `server`). */
export interface ServerContainer {
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
}

/** A family/variant under test: the Pod that would run it, and the Secret values it references. */
export interface Subject {
  readonly family: Family;
  readonly container: ServerContainer;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Secret values keyed `secret/key`, as the kubelet would resolve `secretKeyRef`. */
  readonly secrets?: Readonly<Record<string, string>>;
}

/** What the engine decided for the server container's readiness. */
export interface RenderedReadiness {
  readonly family: Family;
  readonly variant: string;
  readonly command: readonly string[];
  readonly timeoutSeconds: number;
}

/** The annotation that asks for exec readiness (RabbitMQ and Kafka default to TCP). */
export const EXEC_READINESS = { 'autoprobe.dev/readiness': 'server=exec' } as const;

/** secretRef is an env entry whose value comes from a Secret. */
export function secretRef(name: string, secret: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/** literal is a plain env entry. */
export function literal(name: string, value: string | number): EnvVar {
  return { name, value: String(value) };
}

/** podOf builds the Pod for a subject. */
export function podOf(subject: Subject): PodTemplate {
  return {
    metadata: {
      name: 'probe-test',
      namespace: 'default',
      ...(subject.annotations === undefined ? {} : { annotations: { ...subject.annotations } }),
    },
    spec: { containers: [{ name: 'server', ...subject.container }] },
  };
}

/**
 * renderProbe runs the engine over the subject's Pod and returns its `kind` probe (readiness by
 * default); it fails unless that probe is an exec command.
 */
export function renderProbe(subject: Subject, kind: ProbeKind = 'readiness'): RenderedReadiness {
  const { plan, mutated } = mutateTemplate(podOf(subject), DEFAULT_ENGINE_CONFIG);
  const decision = plan.decisions.find((d) => d.container === 'server');
  const spec = mutated.spec as { containers: Record<string, unknown>[] };
  const probe = spec.containers[0]?.[PROBE_FIELD[kind]] as
    { exec?: { command: string[] }; timeoutSeconds: number } | undefined;
  if (
    decision === undefined ||
    decision.family === null ||
    decision.variant === null ||
    probe?.exec === undefined
  ) {
    throw new Error(
      `${subject.container.image}: the engine rendered no exec ${kind} (${decision?.reasons.map((r) => `${r.code}: ${r.detail}`).join('; ') ?? 'no decision'})`,
    );
  }
  return {
    family: decision.family,
    variant: decision.variant,
    command: probe.exec.command,
    timeoutSeconds: probe.timeoutSeconds,
  };
}
