/**
 * @module engine-config — the engine's settings: the catalog plus per-family policy, built once
 * from defaults and validated user overrides, then frozen and passed in.
 */
import { DEFAULT_CATALOG } from './catalog/index.js';
import type {
  Catalog,
  ImageVariant,
  MirrorRule,
  NegativeImage,
  OperatorRule,
  Timing,
} from './catalog/index.js';
import { FAMILIES, PROBE_KINDS } from './families.js';
import type { Family, ProbeKind } from './families.js';
import type { MeshSetting } from './mesh.js';
import { mergeTiming } from './timing.js';
import type { TimingPatch } from './timing.js';

/** How one family is probed, after config. */
export interface FamilyPolicy {
  readonly enabled: boolean;
  readonly probes: Readonly<Record<ProbeKind, boolean>>;
  readonly readinessMode: 'exec' | 'tcp';
  readonly liveness: Timing | null;
  readonly startup: Timing;
  readonly readinessExec: Timing;
  readonly readinessTcp: Timing;
}

/** Everything the pure engine needs besides the object itself. */
export interface EngineConfig {
  readonly catalog: Catalog;
  readonly families: Readonly<Record<Family, FamilyPolicy>>;
  /** Which service mesh the Pods run in: detected per Pod (`auto`), or one for all. */
  readonly mesh: MeshSetting;
}

/** User overrides of the engine, already validated by the config edge. */
export interface EngineOverrides {
  readonly families?: Partial<
    Record<
      Family,
      {
        readonly enabled?: boolean;
        readonly probes?: Partial<Record<ProbeKind, boolean>>;
        readonly readinessMode?: 'exec' | 'tcp';
        readonly timings?: Partial<Record<ProbeKind, TimingPatch>>;
      }
    >
  >;
  readonly mirrors?: readonly { readonly prefix: string; readonly upstream: string }[];
  /** Extra image names, each behaving like an existing variant (`like`, default `official`). */
  readonly images?: readonly {
    readonly name: string;
    readonly family: Family;
    readonly like?: string;
  }[];
  readonly negatives?: readonly { readonly name: string; readonly why: string }[];
  readonly mesh?: MeshSetting;
  readonly operators?: readonly {
    readonly operator: string;
    readonly labelKeys?: readonly string[];
    readonly labels?: Readonly<Record<string, string>>;
    readonly ownerApiGroups?: readonly string[];
  }[];
}

/** buildEngineConfig merges overrides into the default catalog and profiles; the result is frozen. */
export function buildEngineConfig(
  overrides: EngineOverrides = {},
  base: Catalog = DEFAULT_CATALOG,
): EngineConfig {
  const catalog: Catalog = {
    ...base,
    images: [...base.images, ...extraImages(overrides, base)],
    negatives: [...base.negatives, ...extraNegatives(overrides)],
    // User mirrors first: a more specific prefix of theirs wins over a built-in one.
    mirrors: [
      ...(overrides.mirrors ?? []).map((m): MirrorRule => ({ ...m, sources: ['config'] })),
      ...base.mirrors,
    ],
    operators: [
      ...base.operators,
      ...(overrides.operators ?? []).map((o): OperatorRule => ({ ...o, sources: ['config'] })),
    ],
  };
  const families = Object.fromEntries(
    FAMILIES.map((family) => [family, familyPolicy(family, catalog, overrides)]),
  ) as Record<Family, FamilyPolicy>;
  return deepFreeze({ catalog, families, mesh: overrides.mesh ?? 'auto' });
}

/** findVariant looks a family's variant up by id. */
export function findVariant(
  catalog: Catalog,
  family: Family,
  variant: string,
): ImageVariant | undefined {
  return catalog.images.find((v) => v.family === family && v.variant === variant);
}

function familyPolicy(family: Family, catalog: Catalog, overrides: EngineOverrides): FamilyPolicy {
  const profile = catalog.profiles[family];
  const o = overrides.families?.[family];
  const t = o?.timings ?? {};
  const probes = Object.fromEntries(PROBE_KINDS.map((k) => [k, o?.probes?.[k] ?? true])) as Record<
    ProbeKind,
    boolean
  >;
  return {
    enabled: o?.enabled ?? true,
    probes,
    readinessMode: o?.readinessMode ?? profile.readinessMode,
    liveness: profile.liveness === null ? null : mergeTiming(profile.liveness, t.liveness),
    startup: mergeTiming(profile.startup, t.startup),
    readinessExec: mergeTiming(profile.readinessExec, t.readiness),
    readinessTcp: mergeTiming(profile.readinessTcp, t.readiness),
  };
}

function extraImages(overrides: EngineOverrides, base: Catalog): ImageVariant[] {
  return (overrides.images ?? []).flatMap((image) => {
    const like = findVariant(base, image.family, image.like ?? 'official');
    return like === undefined
      ? []
      : [{ ...like, names: [image.name], notes: `${like.notes} (from config)` }];
  });
}

function extraNegatives(overrides: EngineOverrides): NegativeImage[] {
  return (overrides.negatives ?? []).map((n) => ({
    names: [n.name],
    category: 'configured' as const,
    why: n.why,
    sources: ['config'],
  }));
}

/** deepFreeze freezes an object graph in place and returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The engine configuration with no overrides. */
export const DEFAULT_ENGINE_CONFIG: EngineConfig = buildEngineConfig();
