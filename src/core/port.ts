/**
 * @module port — the port a server really listens on, and how the probe should name it.
 *
 * Order (DESIGN §2.4): the annotation override; the engine's own settings in args and env; a
 * declared containerPort that matches (its name is used in the probe); the engine default.
 * Env values that look like service links (`tcp://10.0.0.1:6379`) are not ports
 * (kubernetes#65130). Whenever the spec cannot tell, the answer is "ambiguous", never a guess.
 *
 * `listeningPort` is what the server's own args and env say, and nothing else: the planner builds
 * on it, and the safety gate checks every probe against it.
 */
import type { FamilyProfile, HiddenConfig, PortRule } from './catalog/index.js';
import type { ContainerEnv } from './container-env.js';
import { flagValue, hasFlag } from './argv.js';
import { ANNOTATIONS } from './keys.js';
import { asArray, asString, isObject } from './k8s.js';
import type { JsonObject } from './k8s.js';
import { resolveKafkaPort } from './kafka-listeners.js';
import { truncate } from './text.js';

/** A port error: a setting exists but cannot be read, or the spec cannot tell. */
export type PortError = 'port-ambiguous' | 'port-unresolved';

/** What the server's own args and env say about its port. */
export type Listening =
  /** A setting names the port (`--port 5433`, `PGPORT`, a Kafka listener). */
  | {
      readonly kind: 'explicit';
      readonly port: number;
      readonly source: string;
      readonly tlsOnly: boolean;
    }
  /** A config file or envFrom may set it where the spec does not show. */
  | { readonly kind: 'hidden'; readonly why: string }
  /** Nothing sets it: the engine default. */
  | { readonly kind: 'default'; readonly port: number }
  | { readonly kind: 'error'; readonly code: PortError; readonly detail: string };

/** The port decision for one container. */
export type PortResult =
  | {
      readonly ok: true;
      readonly number: number;
      /** What tcpSocket.port gets: the containerPort's name when it has one, else the number. */
      readonly probePort: number | string;
      readonly source: string;
      /** Only a TLS listener is open (Redis `--port 0 --tls-port N`, Bitnami TLS). */
      readonly tlsOnly: boolean;
    }
  | { readonly ok: false; readonly code: PortError; readonly detail: string };

/** A port requested by annotation, already validated as a number or an IANA name. */
export type PortOverride = { readonly value: number | string } | { readonly invalid: string };

/** What the port rules read. */
export interface ListenInput {
  readonly rules: readonly PortRule[];
  readonly hidden: HiddenConfig;
  readonly profile: FamilyProfile;
  /** The server's arguments (argv, or the words of its shell script). */
  readonly words: readonly string[];
  readonly env: ContainerEnv;
  readonly container: JsonObject;
}

export interface PortInput extends ListenInput {
  readonly override?: PortOverride | undefined;
}

/** A containerPort of the container (TCP only). */
export interface DeclaredPort {
  readonly number: number;
  readonly name: string | undefined;
}

type Found =
  | { readonly port: number; readonly source: string; readonly tlsOnly?: boolean }
  | { readonly error: PortError; readonly detail: string }
  | undefined;

/** listeningPort applies the variant's port rules, then its hidden-config rules, to the words and env. */
export function listeningPort(input: ListenInput): Listening {
  const explicit = firstFound(input.rules, input);
  if (explicit !== undefined && 'error' in explicit) {
    return { kind: 'error', code: explicit.error, detail: explicit.detail };
  }
  if (explicit !== undefined) {
    return {
      kind: 'explicit',
      port: explicit.port,
      source: explicit.source,
      tlsOnly: explicit.tlsOnly ?? false,
    };
  }
  const hidden = hiddenConfigOf(input);
  if (hidden !== undefined) return { kind: 'hidden', why: hidden };
  return { kind: 'default', port: input.profile.defaultPort };
}

/** resolvePort decides the port of a server container. */
export function resolvePort(input: PortInput): PortResult {
  const declared = declaredPorts(input.container);
  if (input.override !== undefined) return fromOverride(input.override, declared);
  const listening = listeningPort(input);
  switch (listening.kind) {
    case 'error':
      return { ok: false, code: listening.code, detail: listening.detail };
    case 'explicit':
      return withName(listening, declared);
    case 'hidden':
      return fromDeclared(listening.why, declared, input.profile);
    case 'default':
      return fromDefault(listening.port, declared);
  }
}

function fromDefault(port: number, declared: readonly DeclaredPort[]): PortResult {
  if (declared.length > 0 && !declared.some((d) => d.number === port)) {
    const list = declared.map((d) => d.number).join(', ');
    return {
      ok: false,
      code: 'port-ambiguous',
      detail: `declared containerPorts (${list}) do not include the engine default ${port}`,
    };
  }
  return withName({ port, source: 'engine default', tlsOnly: false }, declared);
}

function fromOverride(override: PortOverride, declared: readonly DeclaredPort[]): PortResult {
  if ('invalid' in override) {
    return {
      ok: false,
      code: 'port-unresolved',
      detail: `port annotation ignored (${override.invalid})`,
    };
  }
  const { value } = override;
  if (typeof value === 'string') {
    const named = declared.find((d) => d.name === value);
    if (named === undefined) {
      return {
        ok: false,
        code: 'port-unresolved',
        detail: `port annotation names "${value}", which is not a containerPort`,
      };
    }
    return {
      ok: true,
      number: named.number,
      probePort: value,
      source: 'annotation',
      tlsOnly: false,
    };
  }
  return withName({ port: value, source: 'annotation', tlsOnly: false }, declared);
}

function withName(
  found: { readonly port: number; readonly source: string; readonly tlsOnly: boolean },
  declared: readonly DeclaredPort[],
): PortResult {
  const match = declared.find((d) => d.number === found.port);
  return {
    ok: true,
    number: found.port,
    probePort: match?.name ?? found.port,
    source: found.source,
    tlsOnly: found.tlsOnly,
  };
}

/** With a hidden config, only a declared port the engine would plausibly use is trusted. */
function fromDeclared(
  why: string,
  declared: readonly DeclaredPort[],
  profile: FamilyProfile,
): PortResult {
  const plausible = declared.filter(
    (d) =>
      d.number === profile.defaultPort ||
      (d.name !== undefined && profile.portNames.includes(d.name)),
  );
  const numbers = [...new Set(plausible.map((d) => d.number))];
  const only = numbers.length === 1 ? plausible[0] : undefined;
  if (only === undefined) {
    return {
      ok: false,
      code: 'port-ambiguous',
      detail: `${why} may set the port and no single declared containerPort confirms it; declare it or set the ${ANNOTATIONS.port} annotation`,
    };
  }
  return {
    ok: true,
    number: only.number,
    probePort: only.name ?? only.number,
    source: `declared containerPort (${why} may set the port)`,
    tlsOnly: false,
  };
}

function firstFound(rules: readonly PortRule[], input: ListenInput): Found {
  for (const rule of rules) {
    const found = applyRule(rule, input);
    if (found !== undefined) return found;
  }
  return undefined;
}

function applyRule(rule: PortRule, input: ListenInput): Found {
  switch (rule.from) {
    case 'env':
      return fromEnv(rule.name, input.env);
    case 'flag':
      return fromFlag(rule.flags, rule.zeroFallback, input.words);
    case 'pg-setting':
      return fromPgSetting(input.words);
    case 'flag-implies':
      return hasFlag(input.words, [rule.flag])
        ? { port: rule.port, source: `${rule.flag} default` }
        : undefined;
    case 'kafka-listeners':
      return resolveKafkaPort(rule, input.env);
    case 'tls-env':
      return fromTlsEnv(rule, input);
    case 'listen-env':
      return fromListenEnv(rule.name, input.env);
  }
}

function fromTlsEnv(rule: Extract<PortRule, { from: 'tls-env' }>, input: ListenInput): Found {
  const switchValue = input.env.get(rule.enabledBy);
  if (switchValue.kind === 'hidden') {
    return {
      error: 'port-unresolved',
      detail: `${rule.enabledBy} is not visible in the spec; TLS mode and port unknown`,
    };
  }
  if (switchValue.kind !== 'literal' || !isTrue(switchValue.value)) return undefined;
  const inner = firstFound(rule.rules, input);
  if (inner !== undefined && 'error' in inner) return inner;
  return {
    port: inner?.port ?? rule.defaultPort,
    source: `${inner?.source ?? 'TLS default'} (TLS)`,
    tlsOnly: true,
  };
}

function fromEnv(name: string, env: ContainerEnv): Found {
  const value = env.get(name);
  if (value.kind === 'absent') return undefined;
  if (value.kind === 'hidden') {
    return { error: 'port-unresolved', detail: `${name} ${hiddenWhy(value.via)}` };
  }
  // A value like tcp://10.0.0.1:6379 is a service link, not a port (kubernetes#65130).
  if (/^[a-z]+:\/\//.test(value.value)) return undefined;
  return parsed(value.value, `env ${name}`);
}

/** `host:port` listen settings (`PATRONI_POSTGRESQL_LISTEN=0.0.0.0:5432`); the port is the last part. */
function fromListenEnv(name: string, env: ContainerEnv): Found {
  const value = env.get(name);
  if (value.kind === 'absent') return undefined;
  if (value.kind === 'hidden') {
    return { error: 'port-unresolved', detail: `${name} ${hiddenWhy(value.via)}` };
  }
  const port = /:(\d{1,5})\s*$/.exec(value.value)?.[1];
  return port === undefined ? undefined : parsed(port, `env ${name}`);
}

/** hiddenWhy says why an env value is not visible, for a reason's detail. */
export function hiddenWhy(via: 'valueFrom' | 'too-large'): string {
  return via === 'valueFrom'
    ? 'comes from a Secret/ConfigMap/field reference'
    : 'is larger than autoprobe reads';
}

function fromFlag(
  flags: readonly string[],
  zeroFallback: readonly string[] | undefined,
  words: readonly string[],
): Found {
  const value = flagValue(words, flags);
  if (value === undefined) return undefined;
  if (value === '0' && zeroFallback !== undefined) {
    const tls = flagValue(words, zeroFallback);
    if (tls === undefined)
      return { error: 'port-unresolved', detail: `${flags[0] ?? ''} 0 disables TCP` };
    const found = parsed(tls, `arg ${zeroFallback[0] ?? ''}`);
    return found !== undefined && 'port' in found ? { ...found, tlsOnly: true } : found;
  }
  return parsed(value, `arg ${flags[0] ?? ''}`);
}

/** PostgreSQL's `-c port=N`; the last setting wins, as in PostgreSQL's own option parsing. */
function fromPgSetting(words: readonly string[]): Found {
  const settings = pgSettings(words, 'port');
  const value = settings.at(-1);
  return value === undefined
    ? undefined
    : parsed(value.replace(/^['"]|['"]$/g, ''), 'arg -c port=');
}

/** pgSettings returns the values of a run-time setting given as `-c name=value` or `-cname=value`. */
export function pgSettings(words: readonly string[], name: string): string[] {
  const out: string[] = [];
  const pattern = new RegExp(`^${name}\\s*=\\s*(.*)$`);
  words.forEach((word, i) => {
    const setting =
      word === '-c' ? words[i + 1] : word.startsWith('-c') ? word.slice(2) : undefined;
    const m = pattern.exec(setting ?? '');
    if (m?.[1] !== undefined) out.push(m[1]);
  });
  return out;
}

function parsed(raw: string, source: string): Found {
  if (!/^\d{1,5}$/.test(raw.trim())) {
    // The value itself is not echoed: env values never reach reasons, logs or warnings.
    return { error: 'port-unresolved', detail: `${source} is not a port number` };
  }
  const port = Number.parseInt(raw, 10);
  if (port < 1 || port > 65535)
    return { error: 'port-unresolved', detail: `${source} ${port} is out of range` };
  return { port, source };
}

/** hiddenConfigOf says where a config file or envFrom may set what the spec does not show. */
export function hiddenConfigOf(input: ListenInput): string | undefined {
  const { hidden, words, env } = input;
  const flag = hidden.fileFlags.find((f) => flagValue(words, [f]) !== undefined);
  if (flag !== undefined) return `config file (${flag})`;
  const file = words.find(
    (w) => !w.startsWith('-') && hidden.fileSuffixes.some((s) => w.endsWith(s)),
  );
  if (file !== undefined) return `config file ${truncate(file, 40)}`;
  const mount = mountedConfig(input.container, hidden.mountPaths);
  if (mount !== undefined) return `config mounted at ${mount}`;
  if (
    env.hasEnvFrom &&
    input.rules.some(
      (r) => r.from === 'env' || r.from === 'kafka-listeners' || r.from === 'listen-env',
    )
  ) {
    return 'envFrom (env not visible in the spec)';
  }
  return undefined;
}

function mountedConfig(container: JsonObject, paths: readonly string[]): string | undefined {
  for (const mount of asArray(container.volumeMounts)) {
    const at = isObject(mount) ? asString(mount.mountPath) : undefined;
    if (at === undefined) continue;
    const norm = at.replace(/\/+$/, '') || '/';
    const hit = paths.some(
      (p) => p === norm || p.startsWith(`${norm}/`) || norm.startsWith(`${p}/`) || norm === '/',
    );
    if (hit) return norm;
  }
  return undefined;
}

/** declaredPorts lists the container's TCP containerPorts. */
export function declaredPorts(container: JsonObject): DeclaredPort[] {
  const out: DeclaredPort[] = [];
  for (const p of asArray(container.ports)) {
    if (!isObject(p)) continue;
    const protocol = asString(p.protocol) ?? 'TCP';
    const number = p.containerPort;
    if (protocol !== 'TCP' || typeof number !== 'number' || !Number.isInteger(number)) continue;
    if (number < 1 || number > 65535) continue;
    out.push({ number, name: asString(p.name) });
  }
  return out;
}

function isTrue(value: string): boolean {
  return ['yes', 'true', '1'].includes(value.trim().toLowerCase());
}
