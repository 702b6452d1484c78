/**
 * @module image-ref — parse container image references with the real grammar.
 *
 * Grammar and normalisation follow distribution/reference (`reference.go`, `normalize.go`):
 * https://github.com/distribution/reference/blob/main/reference.go
 * A reference is `[domain/]path[:tag][@digest]`; the first path component is a domain only if it
 * contains `.` or `:`, is `localhost`, or has an uppercase letter. Docker Hub names are normalised
 * to `docker.io` and single-component names there to `library/NAME`.
 */

/** A parsed, normalised image reference. */
export interface ImageRef {
  /** Registry host, lower-cased, with its port if any (`docker.io`, `localhost:5000`). */
  readonly registry: string;
  /** Repository path inside the registry (`library/postgres`, `bitnami/redis`). */
  readonly path: string;
  readonly tag: string | null;
  readonly digest: string | null;
  /** `registry/path`, the name the catalog is keyed by. */
  readonly name: string;
}

/** Why a reference did not parse. */
export interface ImageRefError {
  readonly error: string;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set([
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
]);
const MAX_NAME_LENGTH = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_RE = new RegExp(`^(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?$`);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

// Parsed references by input string: a Pod names the same few images in several places (the
// engine, the operator check), and a cluster the same few images in every Pod.
const MEMO = new Map<string, ImageRef | ImageRefError>();
const MEMO_LIMIT = 1024;

/**
 * parseImageRef parses `raw` into a normalised reference, or says why it is not one. Results are
 * remembered (frozen, since they are shared); the memo starts over past MEMO_LIMIT entries.
 */
export function parseImageRef(raw: string): ImageRef | ImageRefError {
  const known = MEMO.get(raw);
  if (known !== undefined) return known;
  const parsed = Object.freeze(parse(raw));
  if (MEMO.size >= MEMO_LIMIT) MEMO.clear();
  MEMO.set(raw, parsed);
  return parsed;
}

function parse(raw: string): ImageRef | ImageRefError {
  if (raw.length === 0) return { error: 'empty image reference' };
  if (raw.trim() !== raw) return { error: 'image reference has surrounding whitespace' };

  const at = raw.indexOf('@');
  const digest = at >= 0 ? raw.slice(at + 1) : null;
  const nameAndTag = at >= 0 ? raw.slice(0, at) : raw;
  if (digest !== null && !DIGEST_RE.test(digest)) return { error: `invalid digest "${digest}"` };

  // A tag is whatever follows the last ':' that comes after the last '/', so that a
  // registry port (`localhost:5000/x`) is never mistaken for a tag.
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? nameAndTag.slice(colon + 1) : null;
  const name = colon >= 0 ? nameAndTag.slice(0, colon) : nameAndTag;
  if (tag !== null && !TAG_RE.test(tag)) return { error: `invalid tag "${tag}"` };

  const split = splitDomain(name);
  if ('error' in split) return split;
  const { registry, path } = split;
  if (`${registry}/${path}`.length > MAX_NAME_LENGTH) {
    return { error: `repository name longer than ${MAX_NAME_LENGTH} characters` };
  }
  return { registry, path, tag, digest, name: `${registry}/${path}` };
}

/** isImageRef tells a parsed reference from a parse error. */
export function isImageRef(value: ImageRef | ImageRefError): value is ImageRef {
  return !('error' in value);
}

/** formatImageRef prints a reference in its fully qualified form. */
export function formatImageRef(ref: ImageRef): string {
  const tag = ref.tag === null ? '' : `:${ref.tag}`;
  const digest = ref.digest === null ? '' : `@${ref.digest}`;
  return `${ref.name}${tag}${digest}`;
}

function splitDomain(name: string): { registry: string; path: string } | ImageRefError {
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const looksLikeDomain =
    slash >= 0 &&
    (first.includes('.') ||
      first.includes(':') ||
      first === 'localhost' ||
      first !== first.toLowerCase());

  let registry = DOCKER_HUB;
  let path = name;
  if (looksLikeDomain) {
    if (!DOMAIN_RE.test(first)) return { error: `invalid registry host "${first}"` };
    registry = first.toLowerCase();
    path = name.slice(slash + 1);
  }
  if (DOCKER_HUB_ALIASES.has(registry)) registry = DOCKER_HUB;

  const components = path.split('/');
  for (const component of components) {
    if (!PATH_COMPONENT_RE.test(component)) {
      const hint =
        component !== component.toLowerCase() ? ' (repository names must be lowercase)' : '';
      return { error: `invalid repository path component "${component}"${hint}` };
    }
  }
  if (registry === DOCKER_HUB && components.length === 1) path = `library/${path}`;
  return { registry, path };
}
