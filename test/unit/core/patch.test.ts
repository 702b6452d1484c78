// The patch check: sameJson is the equality of the diff, and verifiedPatch refuses a mutated
// object that no JSON Patch can reproduce instead of returning a patch that would not.
import fc from 'fast-check';
import fastJsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { AutoprobeError, sameJson, verifiedPatch } from '../../../src/core/index.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);

/** A JSON value and a second one that is either a copy of it or a small edit of a copy. */
const pairArb = fc
  .tuple(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 2 }), fc.nat(), fc.boolean())
  .map(([value, other, pick, edit]) => {
    const copy: unknown = JSON.parse(JSON.stringify(value ?? null));
    if (!edit) return [value, copy] as const;
    return [value, editAt(copy, pick, other)] as const;
  });

/** editAt replaces the `pick`-th node (in a depth-first walk) of `value` with `other`. */
function editAt(value: unknown, pick: number, other: unknown): unknown {
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        nodes.push({ parent: node, key: i });
        walk(child);
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        nodes.push({ parent: node as Record<string, unknown>, key });
        walk(child);
      }
    }
  };
  walk(value);
  const at = nodes[pick % Math.max(nodes.length, 1)];
  if (at === undefined) return other;
  (at.parent as Record<string | number, unknown>)[at.key] = other;
  return value;
}

describe('sameJson', () => {
  it('agrees with an empty diff on arbitrary JSON pairs', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        const expected = fastJsonPatch.compare(box(a), box(b)).length === 0;
        expect(sameJson(a, b)).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('ignores key order and keys holding undefined, as JSON does', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(true);
  });

  it('tells apart values the diff would patch', () => {
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: [] }, { a: {} })).toBe(false);
    expect(sameJson({ a: null }, { a: {} })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson({ a: 1, b: null }, { a: 1 })).toBe(false);
    expect(sameJson({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(sameJson({ a: NaN }, { a: NaN })).toBe(false);
  });

  it('walks nesting deeper than the call stack allows', () => {
    const deep = (leaf: number): unknown => {
      let node: unknown = leaf;
      for (let i = 0; i < 200_000; i++) node = { n: node };
      return node;
    };
    expect(sameJson(deep(1), deep(1))).toBe(true);
    expect(sameJson(deep(1), deep(2))).toBe(false);
  });
});

describe('verifiedPatch', () => {
  it('returns the diff when applying it reproduces the mutated object', () => {
    const original = { metadata: { name: 'db' }, spec: { containers: [{ name: 'pg' }] } };
    const mutated = {
      ...original,
      spec: { containers: [{ name: 'pg', readinessProbe: { tcpSocket: { port: 5432 } } }] },
    };
    expect(verifiedPatch(original, mutated)).toEqual([
      {
        op: 'add',
        path: '/spec/containers/0/readinessProbe',
        value: { tcpSocket: { port: 5432 } },
      },
    ]);
    expect(original.spec.containers[0]).toEqual({ name: 'pg' });
  });

  it('refuses a mutated object that JSON cannot carry (AP_ERR_PATCH_INVALID)', () => {
    for (const value of [NaN, Infinity, new Date(0)]) {
      const attempt = (): unknown => verifiedPatch({ a: { b: 1 } }, { a: { b: 1, c: { value } } });
      expect(attempt).toThrow(AutoprobeError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'AP_ERR_PATCH_INVALID' }));
    }
  });
});

/** compare wants objects at the root; wrapping both sides keeps the diff's meaning. */
function box(value: unknown): object {
  return { value };
}
