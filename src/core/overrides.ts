/**
 * @module overrides — read and validate the per-pod/per-container annotations.
 *
 * Every invalid value is reported as a notice and ignored; an annotation never rejects a Pod
 * (DESIGN §3). Values are lists `container=value,…`; a bare value applies to every container
 * (for `family` and `port` only when the pod has a single container, to keep sidecars safe).
 */
import { FAMILIES, PROBE_KINDS, isFamily, isProbeKind } from './families.js';
import type { Family, ProbeKind } from './families.js';
import { ANNOTATIONS, PREFIX } from './keys.js';
import { notice } from './notices.js';
import type { Notice } from './notices.js';
import type { PortOverride } from './port.js';
import { TIMING_MAX, isTimingField, minimumOf } from './timing.js';
import type { TimingPatch } from './timing.js';

/** What the annotations ask of one container. */
export interface ContainerOverrides {
  family?: Family;
  port?: PortOverride;
  probes?: ReadonlySet<ProbeKind>;
  readiness?: 'exec' | 'tcp';
  timings?: Partial<Record<ProbeKind, TimingPatch>>;
}

/** All overrides of a pod, and the notices for what was ignored. */
export interface Overrides {
  readonly optOut: boolean;
  readonly containers: ReadonlyMap<string, ContainerOverrides>;
  readonly notices: readonly Notice[];
}

const KNOWN_KEYS = new Set<string>(Object.values(ANNOTATIONS));
// IANA_SVC_NAME: what a named containerPort may be (k8s.io/apimachinery validation).
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/** readOverrides validates the autoprobe annotations against the pod's container names. */
export function readOverrides(
  annotations: Readonly<Record<string, string>>,
  containerNames: readonly string[],
): Overrides {
  const notices: Notice[] = [];
  const containers = new Map<string, ContainerOverrides>();
  const names = new Set(containerNames);
  const entry = (name: string): ContainerOverrides => {
    let found = containers.get(name);
    if (found === undefined) containers.set(name, (found = {}));
    return found;
  };
  const ctx: ParseContext = { names, containerNames, notices, entry };

  for (const key of Object.keys(annotations)) {
    if (key.startsWith(PREFIX) && !KNOWN_KEYS.has(key))
      notices.push(notice('annotation-unknown', `${key}: unknown autoprobe annotation, ignored`));
  }
  const inject = annotations[ANNOTATIONS.inject];
  if (inject !== undefined && inject !== 'true' && inject !== 'false') {
    notices.push(
      notice('annotation-invalid', `${ANNOTATIONS.inject}: must be "true" or "false", ignored`),
    );
  }
  perContainer(annotations, ctx, {
    key: ANNOTATIONS.family,
    singleForBare: true,
    parse: parseFamily,
  });
  perContainer(annotations, ctx, { key: ANNOTATIONS.port, singleForBare: true, parse: parsePort });
  perContainer(annotations, ctx, {
    key: ANNOTATIONS.probes,
    singleForBare: false,
    parse: parseProbes,
  });
  perContainer(annotations, ctx, {
    key: ANNOTATIONS.readiness,
    singleForBare: false,
    parse: parseReadiness,
  });
  readTimings(annotations[ANNOTATIONS.timings], ctx);
  return { optOut: inject === 'false', containers, notices };
}

interface ParseContext {
  readonly names: ReadonlySet<string>;
  readonly containerNames: readonly string[];
  readonly notices: Notice[];
  readonly entry: (name: string) => ContainerOverrides;
}

/** A parser sets the field on the overrides, or returns why the value is invalid. */
type FieldParser = (overrides: ContainerOverrides, value: string) => string | undefined;

/** A per-container annotation: its key, whether a bare value needs a single container, its parser. */
interface FieldSpec {
  readonly key: string;
  readonly singleForBare: boolean;
  readonly parse: FieldParser;
}

function perContainer(
  annotations: Readonly<Record<string, string>>,
  ctx: ParseContext,
  field: FieldSpec,
): void {
  const { key, singleForBare, parse } = field;
  const raw = annotations[key];
  if (raw === undefined) return;
  for (const item of splitItems(raw)) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      if (singleForBare && ctx.containerNames.length !== 1) {
        ctx.notices.push(
          notice(
            'annotation-needs-container',
            `${key}: ${quote(item)} needs the form container=value when the pod has several containers, ignored`,
          ),
        );
        continue;
      }
      for (const name of ctx.containerNames) report(ctx, key, name, parse(ctx.entry(name), item));
      continue;
    }
    const name = item.slice(0, eq).trim();
    if (!ctx.names.has(name)) {
      ctx.notices.push(
        notice('annotation-no-container', `${key}: no container named ${quote(name)}, ignored`),
      );
      continue;
    }
    report(ctx, key, name, parse(ctx.entry(name), item.slice(eq + 1).trim()));
  }
}

function report(ctx: ParseContext, key: string, name: string, problem: string | undefined): void {
  if (problem === undefined) return;
  // An invalid port is not replaced by detection: the user said the port differs from it.
  const tail = problem.endsWith(PORT_CONSEQUENCE) ? '' : ', ignored';
  ctx.notices.push(
    notice('annotation-invalid', `${key}: container ${quote(name)}: ${problem}${tail}`),
  );
}

const PORT_CONSEQUENCE = 'no port probes added';

function parseFamily(o: ContainerOverrides, value: string): string | undefined {
  if (!isFamily(value)) return `unknown family ${quote(value)} (one of ${FAMILIES.join(', ')})`;
  o.family = value;
  return undefined;
}

function parsePort(o: ContainerOverrides, value: string): string | undefined {
  if (/^\d+$/.test(value)) {
    const n = Number.parseInt(value, 10);
    if (n >= 1 && n <= 65535) {
      o.port = { value: n };
      return undefined;
    }
    o.port = { invalid: `port ${value} out of range` };
    return `port ${value} out of range 1-65535; ${PORT_CONSEQUENCE}`;
  }
  if (PORT_NAME.test(value)) {
    o.port = { value };
    return undefined;
  }
  o.port = { invalid: `${quote(value)} is neither a port number nor a port name` };
  return `${quote(value)} is neither a port number nor a port name; ${PORT_CONSEQUENCE}`;
}

function parseProbes(o: ContainerOverrides, value: string): string | undefined {
  if (value === 'none') {
    o.probes = new Set();
    return undefined;
  }
  const kinds = value.split('+').map((s) => s.trim());
  const bad = kinds.filter((k) => !isProbeKind(k));
  if (bad.length > 0)
    return `unknown probe ${quote(bad.join('+'))} (use ${PROBE_KINDS.join('+')} or none)`;
  o.probes = new Set(kinds.filter(isProbeKind));
  return undefined;
}

function parseReadiness(o: ContainerOverrides, value: string): string | undefined {
  if (value !== 'exec' && value !== 'tcp')
    return `readiness must be "exec" or "tcp", not ${quote(value)}`;
  o.readiness = value;
  return undefined;
}

/** `container.probe.field=N` or `probe.field=N` (every container), comma-separated. */
function readTimings(raw: string | undefined, ctx: ParseContext): void {
  if (raw === undefined) return;
  const key = ANNOTATIONS.timings;
  for (const item of splitItems(raw)) {
    const m = /^(?:([^.=\s]+)\.)?([a-z]+)\.([A-Za-z]+)\s*=\s*(\S+)$/.exec(item);
    const [, container, kind, field, value] = m ?? [];
    if (kind === undefined || field === undefined || value === undefined) {
      ctx.notices.push(
        notice(
          'annotation-invalid',
          `${key}: ${quote(item)} is not container.probe.field=N, ignored`,
        ),
      );
      continue;
    }
    const problem = checkTiming(kind, field, value);
    if (problem !== undefined) {
      ctx.notices.push(notice('annotation-invalid', `${key}: ${quote(item)}: ${problem}, ignored`));
      continue;
    }
    if (container !== undefined && !ctx.names.has(container)) {
      ctx.notices.push(
        notice(
          'annotation-no-container',
          `${key}: no container named ${quote(container)}, ignored`,
        ),
      );
      continue;
    }
    for (const name of container === undefined ? ctx.containerNames : [container]) {
      const o = ctx.entry(name);
      const timings = (o.timings ??= {});
      const probe = kind as ProbeKind;
      timings[probe] = { ...timings[probe], [field]: Number.parseInt(value, 10) };
    }
  }
}

function checkTiming(kind: string, field: string, value: string): string | undefined {
  if (!isProbeKind(kind)) return `unknown probe ${quote(kind)}`;
  if (!isTimingField(field)) return `unknown field ${quote(field)}`;
  if (!/^\d+$/.test(value)) return 'value must be a whole number';
  const n = Number.parseInt(value, 10);
  if (n < minimumOf(field) || n > TIMING_MAX)
    return `${field} must be at least ${minimumOf(field)}`;
  // The API requires successThreshold 1 for liveness and startup probes.
  if (field === 'successThreshold' && kind !== 'readiness' && n !== 1)
    return `${kind} successThreshold must be 1`;
  return undefined;
}

function splitItems(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** quote shows a user value in a notice, shortened so a notice stays one short line. */
function quote(value: string): string {
  return JSON.stringify(value.length > 32 ? `${value.slice(0, 29)}...` : value);
}
