/**
 * @module plan — the engine: for every container of a Pod or Pod template, decide whether it runs
 * one of the engines and which probes to add. Pure: (template, config) → decisions. Every probe
 * the planner wants passes the safety gate (safety/gate.ts) before it is part of a decision.
 */
import type { ImageVariant, ToolRule } from './catalog/index.js';
import { classifyImage } from './classify-image.js';
import type { Classification } from './classify-image.js';
import type { ImageRef } from './image-ref.js';
import { argvOf, envSourcesOf, literalLookup, readEnv } from './container-env.js';
import type { EngineConfig } from './engine-config.js';
import { findVariant } from './engine-config.js';
import { PROBE_KINDS } from './families.js';
import type { Family, ProbeKind } from './families.js';
import { detectHa } from './ha.js';
import type { ContainerList, JsonObject, PodTemplate, Probe } from './k8s.js';
import {
  CONTAINER_LISTS,
  asArray,
  asString,
  isObject,
  listContainers,
  metadataOf,
  specOf,
  stringRecord,
} from './k8s.js';
import type { PodMetadata } from './k8s.js';
import { ANNOTATIONS, MIRROR_POD_ANNOTATION } from './keys.js';
import { lintContainer, resolvedBy, userProbes } from './lint/lint.js';
import type { Finding } from './lint/lint.js';
import {
  MAX_ANNOTATIONS_BYTES,
  MAX_CONTAINERS,
  MAX_POD_ARGV_CHARS,
  MAX_POD_ENV_ENTRIES,
  MAX_VALUE,
} from './limits.js';
import { detectMesh } from './mesh.js';
import type { Mesh, NamespaceView } from './mesh.js';
import { notice } from './notices.js';
import type { Notice } from './notices.js';
import { detectOperator } from './operator.js';
import { readOverrides } from './overrides.js';
import type { ContainerOverrides } from './overrides.js';
import { buildProbes } from './probes.js';
import { causeOf, formatReason, reason } from './reasons.js';
import type { Reason } from './reasons.js';
import { detectRole } from './role.js';
import type { Role } from './role.js';
import { gate, readContainerFacts, vetoCode } from './safety/gate.js';
import type { Veto } from './safety/gate.js';
import { quoted } from './text.js';
import type { ImageFacts } from './tools.js';
import { argsEnvWords, candidateWords } from './words.js';

/** What every decision says: which container, why, and what the safety gate vetoed. */
interface DecisionBase {
  readonly container: string;
  readonly list: ContainerList;
  readonly index: number;
  readonly image: string;
  readonly reasons: readonly Reason[];
  /** Probes the planner wanted and the safety gate dropped, with the invariant each broke. */
  readonly vetoed: readonly Veto[];
  /** What the lint finds in the probes the container already has (lint/lint.ts). */
  readonly findings: readonly Finding[];
}

/** autoprobe adds probes to this container. */
export interface InjectDecision extends DecisionBase {
  readonly action: 'inject';
  readonly family: Family;
  readonly variant: string;
  readonly probes: Readonly<Partial<Record<ProbeKind, Probe>>>;
  /** The kinds it adds, in liveness/readiness/startup order. */
  readonly kinds: readonly ProbeKind[];
}

/** autoprobe leaves this container as it is, for `cause`. */
export interface SkipDecision extends DecisionBase {
  readonly action: 'skip';
  readonly family: Family | null;
  readonly variant: string | null;
  readonly cause: Reason;
}

/** The decision for one container: what it is, what autoprobe does, and why. */
export type ContainerDecision = InjectDecision | SkipDecision;

/** The decisions for a pod, plus notices about what was ignored (invalid annotations). */
export interface PodPlan {
  readonly decisions: readonly ContainerDecision[];
  readonly notices: readonly Notice[];
}

/** probesOf returns the probes a decision adds (none for a skip). */
export function probesOf(decision: ContainerDecision): Readonly<Partial<Record<ProbeKind, Probe>>> {
  return decision.action === 'inject' ? decision.probes : {};
}

/** What the edge knows about the Pod's surroundings (the webhook: its namespace). */
export interface PodFacts {
  readonly namespace: NamespaceView | null;
}

/** planPod decides, for each container of `template`, which probes to add. It never mutates input. */
export function planPod(
  template: PodTemplate,
  config: EngineConfig,
  facts: PodFacts = { namespace: null },
): PodPlan {
  const metadata = metadataOf(template);
  const spec = specOf(template);
  // First, from the raw lists: a Pod too large to review costs a count, not a read.
  const tooLarge = podTooLarge(spec, metadata.annotations);
  if (tooLarge !== undefined) return { decisions: [], notices: [tooLarge] };
  // Read once: a Pod may carry any number of them, and every reader below looks at them.
  const labels = stringRecord(metadata.labels);
  const annotations = stringRecord(metadata.annotations);
  const mesh = detectMesh({
    labels,
    annotations,
    spec,
    namespace: facts.namespace,
    setting: config.mesh,
    rules: config.catalog.meshes,
  });
  const slots = listContainers(spec);
  const probeable = slots.filter((s) => s.list === 'containers' || s.sidecar).map((s) => s.name);
  const overrides = readOverrides(annotations, probeable);
  const podSkip = podWideSkip({ metadata, labels, annotations }, spec, config, overrides.optOut);
  const restartNever = asString(spec.restartPolicy) === 'Never';

  const decisions = slots.map((slot): ContainerDecision => {
    const image = asString(slot.container.image) ?? '';
    const base = {
      container: slot.name,
      list: slot.list,
      index: slot.index,
      image,
      vetoed: [],
      findings: [],
    };
    if (slot.list === 'ephemeralContainers') {
      return skip(base, null, null, [
        reason('ephemeral-container', 'the API forbids probes on ephemeral containers'),
      ]);
    }
    if (slot.list === 'initContainers' && !slot.sidecar) {
      return skip(base, null, null, [
        reason('init-container', 'init containers run to completion; the API forbids probes'),
      ]);
    }
    return decideContainer(base, image, {
      container: slot.container,
      spec,
      mesh,
      config,
      overrides: overrides.containers.get(slot.name) ?? {},
      restartNever: restartNever && !slot.sidecar,
      podSkip,
    });
  });
  return { decisions, notices: overrides.notices };
}

interface ContainerContext {
  readonly container: JsonObject;
  readonly spec: JsonObject;
  readonly mesh: Mesh;
  readonly config: EngineConfig;
  readonly overrides: ContainerOverrides;
  readonly restartNever: boolean;
  readonly podSkip: Reason | undefined;
}

type Base = Pick<DecisionBase, 'container' | 'list' | 'index' | 'image' | 'vetoed' | 'findings'>;

function decideContainer(base: Base, reference: string, ctx: ContainerContext): ContainerDecision {
  const identity = identify(reference, ctx);
  if ('skip' in identity) return skip(base, identity.family, null, [identity.skip]);
  const { variant, image, tools, reasons } = identity;
  const family = variant.family;
  const reject = (why: Reason): ContainerDecision =>
    skip(base, family, variant.variant, [...reasons, why]);
  if (ctx.podSkip !== undefined) return reject(ctx.podSkip);
  if (!ctx.config.families[family].enabled)
    return reject(reason('family-disabled', `${family} is disabled in config`));

  const { catalog } = ctx.config;
  const env = readEnv(ctx.container, envSourcesOf(ctx.spec));
  const argv = argvOf(ctx.container, env);
  const role = detectRole(
    { command: argv.command, args: argv.args, lookup: literalLookup(env) },
    catalog.roles[family],
  );
  const server = serverWords(role, ctx.overrides.family !== undefined);
  if ('skip' in server) return reject(server.skip);
  // The server is known: the probes it already has can be judged, whatever autoprobe adds. The
  // gate reads the container the same way (its facts do not depend on the probes), once.
  const own = {
    family,
    variant,
    tools,
    image,
    container: ctx.container,
    spec: ctx.spec,
    mesh: ctx.mesh,
    portOverride: ctx.overrides.port,
    catalog,
    probes: userProbes(ctx.container),
  };
  const facts = readContainerFacts(own);
  const judged: Base = { ...base, findings: lintContainer(own, facts) };
  if (ctx.overrides.probes?.size === 0)
    return skip(judged, family, variant.variant, [
      ...reasons,
      reason('container-opted-out', `${ANNOTATIONS.probes} is none`),
    ]);

  const all = candidateWords(
    [...argv.command, ...argv.args],
    env,
    catalog.roles[family],
    variant.argsEnv,
  );
  const oversize =
    env.oversize || argv.oversize
      ? [reason('value-too-large', `a value over ${MAX_VALUE} characters is treated as unknown`)]
      : [];
  const built = buildProbes({
    family,
    variant,
    tools,
    image,
    container: ctx.container,
    env,
    words: [...server.words, ...argsEnvWords(env, variant.argsEnv ?? [])],
    policy: ctx.config.families[family],
    profile: catalog.profiles[family],
    overrides: ctx.overrides,
    restartNever: ctx.restartNever,
    mesh: ctx.mesh,
    ha: detectHa({
      family,
      variant,
      container: ctx.container,
      spec: ctx.spec,
      env,
      words: all,
      catalog,
    }),
    catalog,
  });
  const gated = gate({ ...own, probes: built.probes }, facts);
  const vetoes = gated.vetoes.map((v) => reason(vetoCode(v), `${v.kind}: ${v.detail}`));
  const kinds = PROBE_KINDS.filter((k) => gated.probes[k] !== undefined);
  const decided = [...reasons, ...oversize, ...built.reasons, ...vetoes];
  if (kinds.length === 0) {
    // When the gate vetoed what the planner wanted, the veto is what decided the skip.
    const skipped = skip(judged, family, variant.variant, decided);
    return { ...skipped, cause: vetoes[0] ?? skipped.cause, vetoed: gated.vetoes };
  }
  return {
    ...judged,
    findings: resolvedBy(judged.findings, kinds),
    action: 'inject',
    family,
    variant: variant.variant,
    reasons: [...decided, reason('injected', kinds.join(', '))],
    probes: gated.probes,
    kinds,
    vetoed: gated.vetoes,
  };
}

type Identity =
  | {
      readonly variant: ImageVariant;
      readonly image: ImageFacts;
      readonly tools: readonly ToolRule[];
      readonly reasons: Reason[];
    }
  | { readonly skip: Reason; readonly family: Family | null };

/** identify turns the image (and a family annotation) into a catalog variant. */
function identify(image: string, ctx: ContainerContext): Identity {
  const found = classifyImage(image, ctx.config.catalog);
  const wanted = ctx.overrides.family;
  if (wanted !== undefined) return identifyOverridden(found, wanted, ctx);
  switch (found.kind) {
    case 'invalid':
      return {
        skip: reason('image-unparseable', image === '' ? 'no image' : found.error),
        family: null,
      };
    case 'unknown': {
      const like = found.lookalike;
      return {
        skip:
          like === undefined
            ? reason('image-not-in-catalog', `${found.lookedUp} is not a known engine image`)
            : reason(
                'image-lookalike',
                `${found.ref.name} looks like ${like.name} (${like.family}) on ${found.ref.registry}, which is not a configured mirror; add mirrors: [{prefix: ${like.prefix}, upstream: ${like.upstream}}]`,
              ),
        family: null,
      };
    }
    case 'negative':
      return {
        skip: reason(
          'image-negative',
          `${found.ref.name}: ${found.entry.category}: ${found.entry.why}`,
        ),
        family: null,
      };
    case 'match':
      return {
        variant: found.variant,
        image: { version: found.version, tag: tagOf(found.ref) },
        tools: found.variant.tools,
        reasons: [classified(found)],
      };
  }
}

function identifyOverridden(
  found: Classification,
  family: Family,
  ctx: ContainerContext,
): Identity {
  if (found.kind === 'match' && found.variant.family === family) {
    return {
      variant: found.variant,
      image: { version: found.version, tag: tagOf(found.ref) },
      tools: found.variant.tools,
      reasons: [classified(found)],
    };
  }
  const official = findVariant(ctx.config.catalog, family, 'official');
  if (official === undefined)
    return { skip: reason('image-not-in-catalog', `no ${family} profile`), family };
  // A custom image: the engine's settings are assumed, its tools are not, unless the readiness
  // annotation asks for exec (the user asserts the official image's tools are there).
  const custom: ImageVariant = {
    ...official,
    variant: 'custom',
    names: [],
    tools: [],
    notes: 'family from annotation',
  };
  const tag = found.kind === 'invalid' ? null : found.ref.tag;
  return {
    variant: custom,
    image: { version: null, tag },
    tools: ctx.overrides.readiness === 'exec' ? official.tools : [],
    reasons: [
      reason(
        'family-override',
        `${ANNOTATIONS.family} says ${family} (tag ${tag ?? 'none'}, version not assumed)`,
      ),
    ],
  };
}

/** A reference without tag or digest means `latest` (distribution/reference); digest-only: unknown. */
function tagOf(ref: ImageRef): string | null {
  return ref.tag ?? (ref.digest === null ? 'latest' : null);
}

function classified(found: Extract<Classification, { kind: 'match' }>): Reason {
  const version = found.version === null ? 'version unknown' : `version ${found.version.text}`;
  const via = found.via === null ? '' : ` via mirror of ${found.via}`;
  return reason(
    'classified',
    `${found.ref.name}${via}: ${found.variant.family} ${found.variant.variant}, ${version}`,
  );
}

/** serverWords returns the server's words, or why this container is not a server. */
function serverWords(
  role: Role,
  familyAsserted: boolean,
): { words: readonly string[] } | { skip: Reason } {
  switch (role.kind) {
    case 'server':
      return { words: role.words };
    case 'client':
      return { skip: reason('role-client', `runs ${role.tool}, a client or one-shot tool`) };
    case 'side':
      return { skip: reason('role-side', `runs as ${role.role}, not the data server`) };
    case 'mixed':
      return { skip: reason('role-mixed', role.detail) };
    case 'unknown': {
      // The family annotation is the user saying "this is the server": read all its words.
      if (familyAsserted && role.unreadable === undefined) return { words: role.words };
      const what =
        role.unreadable === undefined
          ? `command ${quoted(role.program, 40)} is not a known server start`
          : `cannot read ${quoted(role.program, 40)}: ${role.unreadable}`;
      return {
        skip: reason('role-unknown', `${what}; set ${ANNOTATIONS.family} to assert it`),
      };
    }
  }
}

/** podTooLarge says why a Pod is past what autoprobe reviews (limits.ts), before reading it. */
function podTooLarge(spec: JsonObject, annotations: unknown): Notice | undefined {
  const tooLarge = (what: string): Notice =>
    notice('pod-too-large', `${what}: the pod is left alone`);
  const count = CONTAINER_LISTS.reduce((n, list) => n + asArray(spec[list]).length, 0);
  if (count > MAX_CONTAINERS) {
    return tooLarge(`${count} containers, over the ${MAX_CONTAINERS} autoprobe reviews`);
  }
  let env = 0;
  let argv = 0;
  for (const list of CONTAINER_LISTS) {
    for (const container of asArray(spec[list])) {
      if (!isObject(container)) continue;
      env += asArray(container.env).length;
      argv += charsOf(container.command) + charsOf(container.args);
    }
  }
  if (env > MAX_POD_ENV_ENTRIES) {
    return tooLarge(`${env} env entries, over the ${MAX_POD_ENV_ENTRIES} autoprobe reads`);
  }
  if (argv > MAX_POD_ARGV_CHARS) {
    return tooLarge(
      `${argv} characters of command and args, over the ${MAX_POD_ARGV_CHARS} autoprobe reads`,
    );
  }
  let bytes = 0;
  if (isObject(annotations)) {
    for (const key in annotations) {
      const value = annotations[key];
      bytes += key.length + (typeof value === 'string' ? value.length : 0);
      if (bytes > MAX_ANNOTATIONS_BYTES) break;
    }
  }
  return bytes > MAX_ANNOTATIONS_BYTES
    ? tooLarge(
        `annotations over the API's ${MAX_ANNOTATIONS_BYTES} bytes (the apiserver refuses it)`,
      )
    : undefined;
}

/** charsOf sums the lengths of a list's strings, stopping past the budget. */
function charsOf(words: unknown): number {
  let chars = 0;
  for (const word of asArray(words)) {
    chars += typeof word === 'string' ? word.length : 0;
    if (chars > MAX_POD_ARGV_CHARS) break;
  }
  return chars;
}

function podWideSkip(
  pod: PodMetadata,
  spec: JsonObject,
  config: EngineConfig,
  optOut: boolean,
): Reason | undefined {
  if (optOut) return reason('pod-opted-out', `${ANNOTATIONS.inject} is "false"`);
  if (MIRROR_POD_ANNOTATION in pod.annotations) {
    return reason('mirror-pod', 'mirror pods of static pods cannot be changed');
  }
  const operator = detectOperator(pod, spec, config.catalog.operators);
  if (operator !== undefined)
    return reason(
      'operator-managed',
      `${operator.operator} owns these probes (${operator.evidence})`,
    );
  return undefined;
}

function skip(
  base: Base,
  family: Family | null,
  variant: string | null,
  reasons: Reason[],
): SkipDecision {
  const cause = causeOf(reasons) ?? reasons.at(-1) ?? reason('role-unknown', '');
  return { ...base, family, variant, action: 'skip', reasons, cause };
}

/** describeDecision renders a decision's reasons on one line (for logs and tests). */
export function describeDecision(decision: ContainerDecision): string {
  return decision.reasons.map(formatReason).join(' | ');
}
