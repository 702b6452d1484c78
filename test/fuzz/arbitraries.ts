/**
 * @module test/fuzz/arbitraries — what the webhook fuzzer sends: arbitrary JSON and non-JSON
 * bodies, real AdmissionReviews put through a program of mutations, reviews of generated Pods,
 * and reviews of heavy Pods (reference chains, long words, wide Pods).
 *
 * A mutation program is data (where to go, what to do, with what payload), applied
 * deterministically to a seed review, so fast-check can shrink a failure to the fewest and
 * smallest mutations. Mutations: delete a field or element, swap a value's type, huge strings,
 * deep nesting, unusual Unicode (lone surrogates, NUL, RTL, astral), numbers where strings go,
 * prototype-poisoning keys, and duplicated containers.
 */
import fc from 'fast-check';
import { fixedCorpus, mixedCorpus, reviewOf } from '../../bench/corpus.js';
import { heavyPodArb } from '../generators/heavy-pods.js';
import { podArb } from '../generators/pods.js';
import type { FuzzRequest } from './harness.js';

type Json = Record<string, unknown>;

const JSON_TYPE = 'application/json';
const CONTENT_TYPES = [
  JSON_TYPE,
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  undefined,
] as const;

/** The seed reviews: the real-world fixture shape plus a spread of the benchmark corpus. */
export function seedReviews(): Json[] {
  const seeds = [...mixedCorpus(60, 7), ...fixedCorpus(12, 2, 7)];
  return seeds.map((e) => JSON.parse(e.body) as Json);
}

const SEEDS = seedReviews();

/** printable gives a request a short description for fast-check's failure report. */
export function printable(request: FuzzRequest): FuzzRequest {
  const text = typeof request.body === 'string' ? request.body : request.body.toString('latin1');
  const summary = `${request.contentType ?? '(no content type)'} ${request.url ?? '/mutate'} ${text.length} chars: ${text.length > 400 ? `${text.slice(0, 200)} … ${text.slice(-150)}` : text}`;
  return Object.defineProperty({ ...request }, fc.toStringMethod, { value: () => summary });
}

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant<string | undefined>(JSON_TYPE) },
  { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
);

const query = fc.oneof(
  { weight: 6, arbitrary: fc.constant('/mutate') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/mutate?timeout=10s',
      '/mutate?timeout=1s',
      '/mutate?timeout=0s',
      '/mutate?timeout=abc',
      '/mutate?timeout=99999s',
    ),
  },
);

/** Arbitrary bodies: any JSON value, any string, any bytes. */
export const arbitraryBody: fc.Arbitrary<FuzzRequest> = fc
  .record({
    body: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
      },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
      {
        weight: 2,
        arbitrary: fc
          .record(
            {
              apiVersion: fc.oneof(
                fc.constant('admission.k8s.io/v1'),
                fc.jsonValue({ maxDepth: 1 }),
              ),
              kind: fc.oneof(fc.constant('AdmissionReview'), fc.jsonValue({ maxDepth: 1 })),
              request: fc.jsonValue({ maxDepth: 4 }),
            },
            { requiredKeys: [] },
          )
          .map((v) => JSON.stringify(v)),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
    ),
    contentType,
    url: query,
  })
  .map(printable);

const hugeString = fc
  .tuple(
    fc.integer({ min: 10_000, max: 300_000 }),
    fc.constantFrom('a', 'é', '😀', '\u0000', ' ', 'postgres:16 '),
  )
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

const oddUnicode = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '\ud800',
    'a\udc00b',
    '\u0000',
    'postgres\u202e:16',
    'ｐｏｓｔｇｒｅｓ',
    'POSTGRES:16',
    'postgres:16\n',
    'Ⅻ',
    '\ufeffredis',
  ),
);

// Deep nesting is spliced into the body text after serialisation, so that nothing on the
// generating side recurses (JSON.stringify would overflow at a few thousand levels).
const DEEP_MARK = '\u0001deep';
const DEEP_TOKEN = /"\\u0001deep:(\d+):([ao])"/g;

function deepMarker(depth: number, array: boolean): string {
  return `${DEEP_MARK}:${depth}:${array ? 'a' : 'o'}`;
}

/** withDeepValues replaces the markers in serialised JSON with values nested that deep. */
function withDeepValues(json: string): string {
  return json.replace(DEEP_TOKEN, (_, depth: string, kind: string) => {
    const n = Number(depth);
    return kind === 'a'
      ? `${'['.repeat(n)}"deep"${']'.repeat(n)}`
      : `${'{"n":'.repeat(n)}"deep"${'}'.repeat(n)}`;
  });
}

const payload = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.constantFrom(0, -0, 1e308, -1, 65536, 5432.5, 2 ** 53),
    ),
  },
  { weight: 1, arbitrary: hugeString },
  { weight: 2, arbitrary: oddUnicode },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 50, max: 50_000 }), fc.boolean())
      .map(([depth, array]) => deepMarker(depth, array)),
  },
);

const KINDS = ['delete', 'set', 'swap', 'poison', 'duplicate'] as const;

/** One step of a mutation program. */
interface Mutation {
  readonly kind: (typeof KINDS)[number];
  readonly from: 'root' | 'request' | 'object' | 'container' | 'metadata';
  readonly steps: readonly number[];
  readonly value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...KINDS),
  from: fc.constantFrom('root', 'request', 'object', 'container', 'container', 'metadata'),
  steps: fc.array(fc.nat(), { maxLength: 8 }),
  value: payload,
});

function start(review: Json, from: Mutation['from']): unknown {
  const request = review.request as Json | undefined;
  const object = request?.object as Json | undefined;
  switch (from) {
    case 'root':
      return review;
    case 'request':
      return request;
    case 'object':
      return object;
    case 'metadata':
      return object?.metadata;
    case 'container':
      return ((object?.spec as Json | undefined)?.containers as unknown[] | undefined)?.[0];
  }
}

/** walk follows the steps from a node; it returns the last container reached and a key in it. */
function walk(
  node: unknown,
  steps: readonly number[],
): { parent: Json | unknown[]; key: string | number } | null {
  let parent: Json | unknown[] | null = null;
  let key: string | number = '';
  let at: unknown = node;
  for (const step of steps) {
    if (Array.isArray(at) && at.length > 0) {
      parent = at;
      key = step % at.length;
    } else if (typeof at === 'object' && at !== null && Object.keys(at).length > 0) {
      const keys = Object.keys(at);
      parent = at as Json;
      key = keys[step % keys.length] ?? '';
    } else break;
    at = (parent as Record<string | number, unknown>)[key];
  }
  return parent === null ? null : { parent, key };
}

function apply(review: Json, m: Mutation): void {
  const target = walk(start(review, m.from), m.steps.length === 0 ? [0] : m.steps);
  if (target === null) return;
  const { parent, key } = target;
  const bag = parent as Record<string | number, unknown>;
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
      else Reflect.deleteProperty(bag, key);
      return;
    case 'set':
      bag[key] = m.value;
      return;
    case 'swap':
      bag[key] = swapped(bag[key], m.value);
      return;
    case 'poison':
      if (!Array.isArray(parent)) {
        Object.defineProperty(parent, m.steps.length % 2 === 0 ? '__proto__' : 'constructor', {
          value: { prototype: { polluted: true } },
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }
      return;
    case 'duplicate':
      if (Array.isArray(parent) && typeof key === 'number')
        parent.push(structuredClone(parent[key]));
      return;
  }
}

/** swapped returns a value of another JSON type than `value`. */
function swapped(value: unknown, payloadValue: unknown): unknown {
  if (typeof value === 'string') return Number.isFinite(Number(value)) ? Number(value) : 42;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 0;
  if (Array.isArray(value)) return Object.fromEntries(value.entries());
  if (typeof value === 'object' && value !== null) return Object.values(value);
  return payloadValue;
}

/** Real reviews put through one to four mutations. */
export const mutatedReview: fc.Arbitrary<FuzzRequest> = fc
  .record({
    seed: fc.nat({ max: SEEDS.length - 1 }),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    contentType,
    url: query,
  })
  .map(({ seed, mutations, contentType: type, url }) => {
    const review = structuredClone(SEEDS[seed]) as Json;
    for (const m of mutations) apply(review, m);
    const request: FuzzRequest = { body: withDeepValues(JSON.stringify(review)), url };
    return printable(type === undefined ? request : { ...request, contentType: type });
  });

/** Reviews of generated Pods (every catalog image, negatives, annotations, existing probes). */
export const generatedReview: fc.Arbitrary<FuzzRequest> = fc
  .record({
    pod: podArb,
    uid: fc.uuid(),
    namespace: fc.constantFrom('team', 'kube-system', 'default', ''),
    operation: fc.constantFrom('CREATE', 'CREATE', 'CREATE', 'UPDATE'),
    dryRun: fc.boolean(),
  })
  .map(({ pod, uid, namespace, operation, dryRun }) => ({
    body: JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid,
        kind: { group: '', version: 'v1', kind: 'Pod' },
        resource: { group: '', version: 'v1', resource: 'pods' },
        namespace,
        operation,
        object: { apiVersion: 'v1', kind: 'Pod', ...pod },
        dryRun,
      },
    }),
    contentType: JSON_TYPE,
  }))
  .map(printable);

/** Reviews of heavy Pods: reference chains, long words and scripts, wide Pods (heavy-pods.ts). */
export const heavyReview: fc.Arbitrary<FuzzRequest> = fc
  .record({ pod: heavyPodArb, uid: fc.uuid() })
  .map(({ pod, uid }) => ({
    body: JSON.stringify(reviewOf({ apiVersion: 'v1', kind: 'Pod', ...pod }, uid, 'team')),
    contentType: JSON_TYPE,
  }))
  .map(printable);

/** The families of the long run. */
export const FAMILIES = {
  arbitrary: arbitraryBody,
  mutated: mutatedReview,
  generated: generatedReview,
  heavy: heavyReview,
} as const;
