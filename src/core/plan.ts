/**
 * @module plan — the engine: for every container of a Pod or Pod template, decide whether it runs
 * one of the seven engines and which probes to add. Pure: (template, config) → decisions.
 */
import type { ImageVariant } from './catalog/index.js';
import { classifyImage } from './classify-image.js';
import type { Classification } from './classify-image.js';
import { argvOf, readEnv } from './container-env.js';
import type { EngineConfig } from './engine-config.js';
import { findVariant } from './engine-config.js';
import type { Family, ProbeKind } from './families.js';
import type { ContainerList, JsonObject, PodTemplate, Probe } from './k8s.js';
import { asString, listContainers, metadataOf, specOf, stringList, stringRecord } from './k8s.js';
import { ANNOTATIONS, MIRROR_POD_ANNOTATION } from './keys.js';
import { detectOperator } from './operator.js';
import { readOverrides } from './overrides.js';
import type { ContainerOverrides } from './overrides.js';
import { buildProbes } from './probes.js';
import { reason } from './reasons.js';
import type { Reason } from './reasons.js';
import { detectRole } from './role.js';
import type { Role } from './role.js';
import type { EngineVersion } from './version.js';

/** The decision for one container: what it is, what autoprobe does, why, and the probes it adds. */
export interface ContainerDecision {
  readonly container: string;
  readonly list: ContainerList;
  readonly index: number;
  readonly image: string;
  readonly family: Family | null;
  readonly variant: string | null;
  readonly action: 'inject' | 'skip';
  readonly reasons: readonly Reason[];
  readonly probes: Readonly<Partial<Record<ProbeKind, Probe>>>;
}

/** The decisions for a pod, plus notices about ignored (invalid) annotations. */
export interface PodPlan {
  readonly decisions: readonly ContainerDecision[];
  readonly notices: readonly string[];
}

/** planPod decides, for each container of `template`, which probes to add. It never mutates input. */
export function planPod(template: PodTemplate, config: EngineConfig): PodPlan {
  const metadata = metadataOf(template);
  const spec = specOf(template);
  const slots = listContainers(spec);
  const probeable = slots.filter((s) => s.list === 'containers' || s.sidecar).map((s) => s.name);
  const overrides = readOverrides(stringRecord(metadata.annotations), probeable);
  const podSkip = podWideSkip(metadata, spec, config, overrides.optOut);
  const restartNever = asString(spec.restartPolicy) === 'Never';

  const decisions = slots.map((slot): ContainerDecision => {
    const image = asString(slot.container.image) ?? '';
    const base = { container: slot.name, list: slot.list, index: slot.index, image };
    const ctx: ContainerContext = {
      container: slot.container,
      config,
      overrides: overrides.containers.get(slot.name) ?? {},
      restartNever: restartNever && !slot.sidecar,
      podSkip,
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
    return decideContainer(base, image, ctx);
  });
  return { decisions, notices: overrides.notices };
}

interface ContainerContext {
  readonly container: JsonObject;
  readonly config: EngineConfig;
  readonly overrides: ContainerOverrides;
  readonly restartNever: boolean;
  readonly podSkip: Reason | undefined;
}

type DecisionBase = Pick<ContainerDecision, 'container' | 'list' | 'index' | 'image'>;

function decideContainer(
  base: DecisionBase,
  image: string,
  ctx: ContainerContext,
): ContainerDecision {
  const identity = identify(image, ctx);
  if ('skip' in identity) return skip(base, identity.family, null, [identity.skip]);
  const { variant, version, reasons } = identity;
  const family = variant.family;
  if (ctx.podSkip !== undefined)
    return skip(base, family, variant.variant, [...reasons, ctx.podSkip]);
  if (!ctx.config.families[family].enabled) {
    return skip(base, family, variant.variant, [
      ...reasons,
      reason('family-disabled', `${family} is disabled in config`),
    ]);
  }

  const env = readEnv(ctx.container);
  const { command, args } = argvOf(ctx.container, env);
  const role = detectRole(command, args, ctx.config.catalog.roles[family]);
  const serverWords = roleSkip(role, ctx.overrides.family !== undefined);
  if ('skip' in serverWords)
    return skip(base, family, variant.variant, [...reasons, serverWords.skip]);
  if (ctx.overrides.probes?.size === 0) {
    return skip(base, family, variant.variant, [
      ...reasons,
      reason('container-opted-out', `${ANNOTATIONS.probes} is none`),
    ]);
  }
  const raw = { command: stringList(ctx.container.command), args: stringList(ctx.container.args) };
  const rawRole = detectRole(raw.command, raw.args, ctx.config.catalog.roles[family]);

  const built = buildProbes({
    family,
    variant,
    version,
    container: ctx.container,
    env,
    words: serverWords.words,
    rawWords: rawRole.kind === 'server' ? rawRole.words : serverWords.words,
    policy: ctx.config.families[family],
    profile: ctx.config.catalog.profiles[family],
    overrides: ctx.overrides,
    restartNever: ctx.restartNever,
  });
  const all = [...reasons, ...built.reasons];
  return Object.keys(built.probes).length > 0
    ? {
        ...base,
        family,
        variant: variant.variant,
        action: 'inject',
        reasons: all,
        probes: built.probes,
      }
    : skip(base, family, variant.variant, all);
}

type Identity =
  | {
      readonly variant: ImageVariant;
      readonly version: EngineVersion | null;
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
    case 'unknown':
      return {
        skip: reason('image-not-in-catalog', `${found.lookedUp} is not a known engine image`),
        family: null,
      };
    case 'negative':
      return {
        skip: reason(
          'image-negative',
          `${found.ref.name}: ${found.entry.category}: ${found.entry.why}`,
        ),
        family: null,
      };
    case 'match':
      return { variant: found.variant, version: found.version, reasons: [classified(found)] };
  }
}

function identifyOverridden(
  found: Classification,
  family: Family,
  ctx: ContainerContext,
): Identity {
  if (found.kind === 'match' && found.variant.family === family) {
    return { variant: found.variant, version: found.version, reasons: [classified(found)] };
  }
  const official = findVariant(ctx.config.catalog, family, 'official');
  if (official === undefined)
    return { skip: reason('image-not-in-catalog', `no ${family} profile`), family };
  // A custom image: the engine's settings are assumed, its tools are not (readiness stays TCP
  // unless the readiness annotation asks for exec).
  const custom: ImageVariant = {
    ...official,
    variant: 'custom',
    names: [],
    execTools: false,
    notes: 'family from annotation',
  };
  const version =
    found.kind === 'match' || found.kind === 'unknown' || found.kind === 'negative'
      ? found.ref.tag
      : null;
  return {
    variant: custom,
    version: null,
    reasons: [
      reason(
        'family-override',
        `${ANNOTATIONS.family} says ${family} (tag ${version ?? 'none'}, version not assumed)`,
      ),
    ],
  };
}

function classified(found: Extract<Classification, { kind: 'match' }>): Reason {
  const version = found.version === null ? 'version unknown' : `version ${found.version.text}`;
  const via = found.via === null ? '' : ` via mirror of ${found.via}`;
  return reason(
    'classified',
    `${found.ref.name}${via}: ${found.variant.family} ${found.variant.variant}, ${version}`,
  );
}

/** roleSkip returns the server's words, or why this container is not a server. */
function roleSkip(
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
    case 'unknown':
      // The family annotation is the user saying "this is the server".
      if (familyAsserted) return { words: [role.program] };
      return {
        skip: reason(
          'role-unknown',
          `command ${shorten(role.program)} is not a known server start; set ${ANNOTATIONS.family} to assert it`,
        ),
      };
  }
}

function podWideSkip(
  metadata: JsonObject,
  spec: JsonObject,
  config: EngineConfig,
  optOut: boolean,
): Reason | undefined {
  if (optOut) return reason('pod-opted-out', `${ANNOTATIONS.inject} is "false"`);
  if (MIRROR_POD_ANNOTATION in stringRecord(metadata.annotations)) {
    return reason('mirror-pod', 'mirror pods of static pods cannot be changed');
  }
  const operator = detectOperator(metadata, spec, config.catalog.operators);
  if (operator !== undefined)
    return reason(
      'operator-managed',
      `${operator.operator} owns these probes (${operator.evidence})`,
    );
  return undefined;
}

function skip(
  base: DecisionBase,
  family: Family | null,
  variant: string | null,
  reasons: Reason[],
): ContainerDecision {
  return { ...base, family, variant, action: 'skip', reasons, probes: {} };
}

function shorten(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
}
