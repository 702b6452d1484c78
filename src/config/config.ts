/**
 * @module config/config — validate a raw config object (from YAML) into a frozen Config, reporting
 * every problem at once (Fastify's initial-config-validation pattern).
 */
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import {
  AutoprobeError,
  DEFAULT_CATALOG,
  FAMILIES,
  buildEngineConfig,
  deepFreeze,
  findVariant,
  isImageRef,
  parseImageRef,
} from '../core/index.js';
import type {
  EngineConfig,
  EngineOverrides,
  Family,
  Mode,
  Scope,
  TimingPatch,
} from '../core/index.js';
import { applyOverrides } from './overrides.js';
import type { ConfigOverrides } from './overrides.js';
import { CONFIG_SCHEMA } from './schema.js';

/**
 * Self-managed certificates: a CA and serving certificate kept in a Secret of the webhook's own
 * namespace, the webhook configuration's caBundle kept in step (kube/certs).
 */
export interface SelfManagedTls {
  readonly secretName: string;
  readonly webhookConfigName: string;
  /** The Service in front of the webhook; the certificate names `<svc>.<ns>.svc[.<domain>]`. */
  readonly serviceName: string;
  readonly clusterDomain: string;
  /** Lifetime of a serving certificate. */
  readonly validityDays: number;
  readonly caValidityDays: number;
  /** A certificate (CA or serving) is replaced once it has less than this left. */
  readonly rotateBeforeDays: number;
  /** How often each replica compares the Secret, the caBundle and its files. */
  readonly resyncSeconds: number;
}

/** Server settings (ignored by the CLI). */
export interface ServerSettings {
  readonly host: string;
  readonly port: number;
  readonly metricsPort: number;
  readonly tls: {
    readonly certFile?: string;
    readonly keyFile?: string;
    readonly generatedDir?: string;
    readonly hosts?: readonly string[];
    readonly selfManaged?: SelfManagedTls;
  };
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly shutdownDelayMs: number;
  /** Request bodies in flight (MiB) beyond which a request is refused with 503, unread. */
  readonly maxInFlightMiB: number;
}

/** The whole validated configuration. */
export interface Config {
  readonly mode: Mode;
  readonly scope: Scope;
  readonly excludedNamespaces: readonly string[];
  readonly logLevel: string;
  readonly server: ServerSettings;
  readonly engine: EngineConfig;
}

/** The kube-apiserver drops idle connections after 90 s; stay open longer (webhook-practices §1.5). */
export const DEFAULTS = {
  mode: 'enforce',
  scope: 'optin',
  excludedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  logLevel: 'info',
  server: {
    host: '0.0.0.0',
    port: 8443,
    metricsPort: 8080,
    tls: {},
    requestTimeoutMs: 2000,
    keepAliveTimeoutMs: 95000,
    shutdownDelayMs: 5000,
    // Measured: docs/benchmarks.md, "Under abuse".
    maxInFlightMiB: 32,
  },
} as const;

/** Defaults of `server.tls.selfManaged` (the Helm chart's names for a release called autoprobe). */
export const SELF_MANAGED_DEFAULTS: SelfManagedTls = {
  secretName: 'autoprobe-tls',
  webhookConfigName: 'autoprobe',
  serviceName: 'autoprobe',
  clusterDomain: 'cluster.local',
  validityDays: 365,
  caValidityDays: 1825,
  rotateBeforeDays: 30,
  resyncSeconds: 300,
};

// Compiled on first use: compiling costs ~0.2 s, which every CLI start would otherwise pay.
let compiled: ReturnType<Ajv['compile']> | undefined;

function validator(): ReturnType<Ajv['compile']> {
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile(CONFIG_SCHEMA);
  return compiled;
}

/**
 * problemsOf lists every schema and cross-key problem of a raw config together. A cross-key rule
 * reads only sections the schema found well-formed, so it never trips over a wrong type.
 */
function problemsOf(input: unknown): string[] {
  const validate = validator();
  if (validate(input)) return semanticProblems(input as RawConfig, () => true);
  const errors = validate.errors ?? [];
  // A section is readable when no error lies inside it and none above it says "wrong type".
  const clean = (section: string): boolean =>
    !errors.some(
      (e) =>
        e.instancePath === section ||
        e.instancePath.startsWith(`${section}/`) ||
        (e.keyword === 'type' && section.startsWith(`${e.instancePath}/`)),
    );
  return [...errors.map(formatAjvError), ...semanticProblems(input as RawConfig, clean)];
}

/** The defaults need no validation; skipping it keeps `autoprobe explain` quick to start. */
function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0
  );
}

/**
 * parseConfig validates `raw` (undefined means defaults), with command-line `overrides` merged in
 * first, and returns a deeply frozen Config.
 */
export function parseConfig(raw: unknown, source: string, overrides?: ConfigOverrides): Config {
  const input = applyOverrides(raw, overrides) ?? {};
  const problems = isEmptyObject(input) ? [] : problemsOf(input);
  if (problems.length > 0) {
    throw new AutoprobeError(
      'AP_ERR_CONFIG_INVALID',
      `${source}: ${problems.length} problem(s) in the configuration`,
      {
        details: problems.map((p) => `${source}: ${p}`),
      },
    );
  }
  const c = input as RawConfig;
  return deepFreeze({
    mode: c.mode ?? DEFAULTS.mode,
    scope: c.scope ?? DEFAULTS.scope,
    excludedNamespaces: c.excludedNamespaces ?? [...DEFAULTS.excludedNamespaces],
    logLevel: c.logLevel ?? DEFAULTS.logLevel,
    server: serverSettings(c.server),
    engine: buildEngineConfig(engineOverrides(c)),
  });
}

/** The raw `server` after schema validation. */
type RawServer = Partial<Omit<ServerSettings, 'tls'>> & {
  readonly tls?: Omit<ServerSettings['tls'], 'selfManaged'> & {
    readonly selfManaged?: Partial<SelfManagedTls>;
  };
};

/** The raw shape after schema validation. */
interface RawConfig extends EngineOverrides {
  readonly mode?: Mode;
  readonly scope?: Scope;
  readonly excludedNamespaces?: string[];
  readonly logLevel?: string;
  readonly server?: RawServer;
}

function serverSettings(raw: RawServer | undefined): ServerSettings {
  const { selfManaged, ...tls } = raw?.tls ?? {};
  return {
    ...DEFAULTS.server,
    ...raw,
    tls:
      selfManaged === undefined
        ? tls
        : { ...tls, selfManaged: { ...SELF_MANAGED_DEFAULTS, ...selfManaged } },
  };
}

function engineOverrides(c: RawConfig): EngineOverrides {
  const out: { -readonly [K in keyof EngineOverrides]: EngineOverrides[K] } = {};
  if (c.families !== undefined) out.families = c.families;
  if (c.mirrors !== undefined) out.mirrors = c.mirrors;
  if (c.images !== undefined) out.images = c.images;
  if (c.negatives !== undefined) out.negatives = c.negatives;
  if (c.operators !== undefined) out.operators = c.operators;
  if (c.mesh !== undefined) out.mesh = c.mesh;
  return out;
}

/** Checks a schema cannot express, each over sections that `clean` says are well-formed. */
function semanticProblems(c: RawConfig, clean: (section: string) => boolean): string[] {
  const problems: string[] = [];
  if (clean('/images')) problems.push(...imageProblems(c.images ?? []));
  for (const family of FAMILIES) {
    if (clean(`/families/${family}`)) problems.push(...timingProblems(c, family));
  }
  if (clean('/server')) problems.push(...portProblems(c.server), ...tlsProblems(c.server?.tls));
  return problems;
}

function imageProblems(images: NonNullable<RawConfig['images']>): string[] {
  const problems: string[] = [];
  images.forEach((image, i) => {
    const like = image.like ?? 'official';
    if (findVariant(DEFAULT_CATALOG, image.family, like) === undefined) {
      const known = DEFAULT_CATALOG.images
        .filter((v) => v.family === image.family)
        .map((v) => v.variant);
      problems.push(
        `/images/${i}/like: ${image.family} has no variant "${like}" (one of ${[...new Set(known)].join(', ')})`,
      );
    }
    const ref = parseImageRef(image.name);
    if (!isImageRef(ref) || ref.tag !== null || ref.digest !== null || ref.name !== image.name) {
      problems.push(
        `/images/${i}/name: must be a canonical name without tag (e.g. registry.example.com/team/postgres)`,
      );
    }
  });
  return problems;
}

/** Both listeners on one port would fail at start with EADDRINUSE (0 picks a free port each). */
function portProblems(server: RawServer | undefined): string[] {
  const port = server?.port ?? DEFAULTS.server.port;
  const metricsPort = server?.metricsPort ?? DEFAULTS.server.metricsPort;
  return port !== 0 && port === metricsPort
    ? [`/server/metricsPort: must differ from server.port (both are ${port})`]
    : [];
}

function tlsProblems(tls: RawServer['tls']): string[] {
  const lone = (tls?.certFile === undefined) !== (tls?.keyFile === undefined);
  return [
    ...(lone
      ? ['/server/tls: certFile and keyFile (--tls-cert, --tls-key) must be given together']
      : []),
    ...selfManagedProblems(tls),
  ];
}

function selfManagedProblems(tls: RawServer['tls']): string[] {
  if (tls?.selfManaged === undefined) return [];
  const where = '/server/tls/selfManaged';
  const s = { ...SELF_MANAGED_DEFAULTS, ...tls.selfManaged };
  const problems: string[] = [];
  if (tls.certFile !== undefined || tls.keyFile !== undefined) {
    problems.push(
      `${where}: cannot be combined with server.tls.certFile/keyFile (--tls-cert/--tls-key); it writes its own files into server.tls.generatedDir`,
    );
  }
  // Otherwise a certificate would be due for renewal the moment it is issued, every resync.
  for (const key of ['validityDays', 'caValidityDays'] as const) {
    if (s.rotateBeforeDays >= s[key]) {
      problems.push(
        `${where}/rotateBeforeDays: must be less than ${key} (${s.rotateBeforeDays} >= ${s[key]})`,
      );
    }
  }
  return problems;
}

function timingProblems(c: RawConfig, family: Family): string[] {
  const settings = c.families?.[family];
  const t = settings?.timings ?? {};
  const problems: string[] = [];
  for (const kind of ['liveness', 'startup'] as const) {
    if ((t[kind]?.successThreshold ?? 1) !== 1) {
      problems.push(`/families/${family}/timings/${kind}/successThreshold: must be 1 (API rule)`);
    }
  }
  const profile = DEFAULT_CATALOG.profiles[family];
  problems.push(...startupBudgetProblems(family, t.startup));
  const mode = settings?.readinessMode ?? profile.readinessMode;
  if (mode === 'exec' && (t.readiness?.timeoutSeconds ?? 2) < 2) {
    problems.push(
      `/families/${family}/timings/readiness/timeoutSeconds: must be at least 2 for exec readiness`,
    );
  }
  return problems;
}

/** A startup budget under the family's recovery minimum would be vetoed on every Pod. */
function startupBudgetProblems(family: Family, patch: TimingPatch | undefined): string[] {
  const profile = DEFAULT_CATALOG.profiles[family];
  const startup = { ...profile.startup, ...patch };
  const budget = startup.initialDelaySeconds + startup.periodSeconds * startup.failureThreshold;
  return budget >= profile.recoveryMinimumSeconds
    ? []
    : [
        `/families/${family}/timings/startup: a ${budget} s budget is below ${profile.displayName}'s recovery minimum of ${profile.recoveryMinimumSeconds} s (docs/safety.md); the safety gate would drop every startup probe and the liveness behind it`,
      ];
}

function formatAjvError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '/' : e.instancePath;
  if (e.keyword === 'additionalProperties') {
    return `${where}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (e.keyword === 'enum') {
    return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${where}: ${e.message ?? e.keyword}`;
}
