/**
 * @module classify-image — which family and image variant a reference names.
 *
 * Lookup is by exact canonical name after mirror resolution; nothing is substring-matched, so
 * `prometheuscommunity/postgres-exporter` can never be PostgreSQL.
 */
import type { Catalog, ImageVariant, MirrorRule, NegativeImage } from './catalog/index.js';
import { isImageRef, parseImageRef } from './image-ref.js';
import type { ImageRef } from './image-ref.js';
import { versionFromTag } from './version.js';
import type { EngineVersion } from './version.js';

/** The result of classifying one image reference. */
export type Classification =
  | {
      readonly kind: 'match';
      readonly ref: ImageRef;
      readonly variant: ImageVariant;
      readonly version: EngineVersion | null;
      /** The canonical name looked up, when a mirror was resolved. */
      readonly via: string | null;
    }
  | { readonly kind: 'negative'; readonly ref: ImageRef; readonly entry: NegativeImage }
  | {
      readonly kind: 'unknown';
      readonly ref: ImageRef;
      readonly lookedUp: string;
      /** A catalog image this one looks like, on a registry that is not a configured mirror. */
      readonly lookalike?: Lookalike;
    }
  | { readonly kind: 'invalid'; readonly error: string };

/** A catalog image an unknown reference looks like, and the mirror rule that would map it. */
export interface Lookalike {
  readonly name: string;
  readonly family: ImageVariant['family'];
  /** The `mirrors` entry to add: `prefix` stands for `upstream`. */
  readonly prefix: string;
  readonly upstream: string;
}

interface CatalogIndex {
  readonly images: ReadonlyMap<string, ImageVariant>;
  readonly negatives: ReadonlyMap<string, NegativeImage>;
  readonly patterns: readonly { readonly re: RegExp; readonly entry: NegativeImage }[];
  /** Classifications by image string: a cluster runs the same few images over and over. */
  readonly memo: Map<string, Classification>;
}

/** Entries kept per catalog before the memo starts over (it stays small whatever the input). */
const MEMO_LIMIT = 1024;

// The catalog is immutable, so its index is computed once per catalog object.
const INDEXES = new WeakMap<Catalog, CatalogIndex>();

/**
 * classifyImage parses `image` and looks it up in the catalog. The answer depends only on the
 * two, so it is remembered per catalog object (frozen, as it is shared between callers).
 */
export function classifyImage(image: string, catalog: Catalog): Classification {
  const index = indexOf(catalog);
  const known = index.memo.get(image);
  if (known !== undefined) return known;
  const found = Object.freeze(lookUp(image, catalog, index));
  if (index.memo.size >= MEMO_LIMIT) index.memo.clear();
  index.memo.set(image, found);
  return found;
}

function lookUp(image: string, catalog: Catalog, index: CatalogIndex): Classification {
  const parsed = parseImageRef(image);
  if (!isImageRef(parsed)) return { kind: 'invalid', error: parsed.error };
  const upstream = resolveMirror(parsed, catalog.mirrors);
  const name = upstream ?? parsed.name;

  // Negatives first: built-in ones never collide with images, and a configured negative
  // ("we run PostgreSQL only through an operator here") must win over the built-in image.
  const negative = index.negatives.get(name) ?? index.patterns.find((p) => p.re.test(name))?.entry;
  if (negative !== undefined) return { kind: 'negative', ref: parsed, entry: negative };
  const variant = index.images.get(name);
  if (variant !== undefined) {
    return {
      kind: 'match',
      ref: parsed,
      variant,
      version: versionFromTag(parsed.tag, variant.tagVersion),
      via: upstream,
    };
  }
  const lookalike = upstream === null ? lookalikeOf(parsed, catalog) : undefined;
  return lookalike === undefined
    ? { kind: 'unknown', ref: parsed, lookedUp: name }
    : { kind: 'unknown', ref: parsed, lookedUp: name, lookalike };
}

/**
 * lookalikeOf finds the catalog image a reference on another registry most likely mirrors:
 * `harbor.example.com/proxy/bitnami/redis` (the whole path at the end), `harbor.example.com/mariadb`
 * (a Docker Official Image by its short name), `registry.local:5000/postgresql` (the last component
 * of a catalog path). Docker Hub references are never lookalikes: `myorg/postgres` is someone's own.
 */
export function lookalikeOf(ref: ImageRef, catalog: Catalog): Lookalike | undefined {
  if (ref.registry === 'docker.io') return undefined;
  const parts = ref.path.split('/');
  const last = parts.at(-1) ?? '';
  let best: { rank: number; like: Lookalike } | undefined;
  for (const variant of catalog.images) {
    for (const name of variant.names) {
      const slash = name.indexOf('/');
      const registry = name.slice(0, slash);
      const path = name.slice(slash + 1).split('/');
      const found = matchRank(parts, path);
      if (found === undefined || (best !== undefined && best.rank <= found.rank)) continue;
      const kept = parts.slice(0, parts.length - found.consumed);
      const upstreamPath = path.slice(0, path.length - found.consumed);
      best = {
        rank: found.rank,
        like: {
          name,
          family: variant.family,
          prefix: [ref.registry, ...kept].join('/'),
          upstream: [registry, ...upstreamPath].join('/'),
        },
      };
    }
  }
  return last === '' ? undefined : best?.like;
}

/** How well a path matches a catalog path: 0 whole path, 1 official short name, 2 last component. */
function matchRank(
  parts: readonly string[],
  path: readonly string[],
): { rank: number; consumed: number } | undefined {
  const tail = parts.slice(-path.length);
  if (tail.length === path.length && tail.every((p, i) => p === path[i])) {
    return { rank: 0, consumed: path.length };
  }
  if (path.length === 2 && path[0] === 'library' && parts.at(-1) === path[1]) {
    return { rank: 1, consumed: 1 };
  }
  return parts.at(-1) === path.at(-1) ? { rank: 2, consumed: 1 } : undefined;
}

/** resolveMirror maps a mirrored name to its upstream canonical name, or null. */
export function resolveMirror(ref: ImageRef, mirrors: readonly MirrorRule[]): string | null {
  for (const mirror of mirrors) {
    if (ref.name !== mirror.prefix && !ref.name.startsWith(`${mirror.prefix}/`)) continue;
    const rest = ref.name.slice(mirror.prefix.length).replace(/^\//, '');
    const upstream = rest === '' ? mirror.upstream : `${mirror.upstream}/${rest}`;
    // Re-normalise: `docker.io/postgres` means `docker.io/library/postgres`.
    const reparsed = parseImageRef(upstream);
    return isImageRef(reparsed) ? reparsed.name : upstream;
  }
  return null;
}

function indexOf(catalog: Catalog): CatalogIndex {
  const cached = INDEXES.get(catalog);
  if (cached !== undefined) return cached;
  const images = new Map<string, ImageVariant>();
  for (const variant of catalog.images) for (const name of variant.names) images.set(name, variant);
  const negatives = new Map<string, NegativeImage>();
  const patterns: { re: RegExp; entry: NegativeImage }[] = [];
  for (const entry of catalog.negatives) {
    for (const name of entry.names) negatives.set(name, entry);
    for (const p of entry.patterns ?? []) patterns.push({ re: new RegExp(p), entry });
  }
  const index = { images, negatives, patterns, memo: new Map<string, Classification>() };
  INDEXES.set(catalog, index);
  return index;
}
