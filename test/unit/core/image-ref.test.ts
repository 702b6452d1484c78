// Image references: the distribution/reference grammar, normalisation, and properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatImageRef, isImageRef, parseImageRef } from '../../../src/core/index.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseImageRef', () => {
  it.each([
    ['postgres', 'docker.io', 'library/postgres', null, null],
    ['postgres:16', 'docker.io', 'library/postgres', '16', null],
    ['bitnami/redis:7.2.4-debian-12-r0', 'docker.io', 'bitnami/redis', '7.2.4-debian-12-r0', null],
    ['docker.io/library/mongo:7.0', 'docker.io', 'library/mongo', '7.0', null],
    ['index.docker.io/library/mongo', 'docker.io', 'library/mongo', null, null],
    ['registry-1.docker.io/bitnami/kafka:3.9', 'docker.io', 'bitnami/kafka', '3.9', null],
    ['localhost:5000/postgres:16', 'localhost:5000', 'postgres', '16', null],
    ['localhost/postgres', 'localhost', 'postgres', null, null],
    ['registry.example.com:5000/team/pg', 'registry.example.com:5000', 'team/pg', null, null],
    ['Registry.Example.com/team/pg:1', 'registry.example.com', 'team/pg', '1', null],
    ['[::1]:5000/redis:7', '[::1]:5000', 'redis', '7', null],
    [`postgres@${DIGEST}`, 'docker.io', 'library/postgres', null, DIGEST],
    [`postgres:16@${DIGEST}`, 'docker.io', 'library/postgres', '16', DIGEST],
    [
      'quay.io/strimzi/kafka:0.45.0-kafka-3.9.0',
      'quay.io',
      'strimzi/kafka',
      '0.45.0-kafka-3.9.0',
      null,
    ],
    ['public.ecr.aws/docker/library/redis:7', 'public.ecr.aws', 'docker/library/redis', '7', null],
    ['a/b/c/d:e', 'docker.io', 'a/b/c/d', 'e', null],
    ['my_image__x.y-z', 'docker.io', 'library/my_image__x.y-z', null, null],
  ])('parses %s', (raw, registry, path, tag, digest) => {
    const ref = parseImageRef(raw);
    expect(ref).toEqual({ registry, path, tag, digest, name: `${registry}/${path}` });
  });

  it.each([
    ['', 'empty'],
    [' postgres', 'whitespace'],
    ['Postgres:16', 'lowercase'],
    ['bitnami/Redis', 'lowercase'],
    ['postgres:', 'invalid tag'],
    ['postgres:-x', 'invalid tag'],
    [`postgres:${'a'.repeat(129)}`, 'invalid tag'],
    ['postgres@sha256:abc', 'invalid digest'],
    ['postgres@', 'invalid digest'],
    ['/postgres', 'invalid repository'],
    ['postgres//x', 'invalid repository'],
    ['-postgres', 'invalid repository'],
    ['registry..com/x', 'invalid registry'],
    [`x/${'a'.repeat(260)}`, 'longer than'],
  ])('rejects %j (%s)', (raw, why) => {
    const ref = parseImageRef(raw);
    expect(isImageRef(ref)).toBe(false);
    if (!isImageRef(ref)) expect(ref.error).toContain(why);
  });
});

// Generators for valid references, built from the grammar's productions.
const alnum = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const separator = fc.constantFrom('.', '_', '__', '-', '--');
const pathComponent = fc
  .tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));
const domain = fc.oneof(
  fc.constant('localhost'),
  fc
    .tuple(
      fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/),
      fc.constantFrom('com', 'io', 'example.org'),
    )
    .map(([a, b]) => `${a}.${b}`),
  fc
    .tuple(fc.constant('localhost'), fc.integer({ min: 1, max: 65535 }))
    .map(([h, p]) => `${h}:${p}`),
  fc
    .tuple(fc.stringMatching(/^[a-z]{2,8}$/), fc.integer({ min: 1, max: 65535 }))
    .map(([h, p]) => `${h}.local:${p}`),
);
const tag = fc.stringMatching(/^[\w][\w.-]{0,20}$/);
const digest = fc.stringMatching(/^[0-9a-f]{64}$/).map((h) => `sha256:${h}`);
// Without a domain, a first component with a '.' (or `localhost`) would itself be read as a
// domain, as Docker does; such names need an explicit registry.
const reference = fc
  .record({
    domain: fc.option(domain, { nil: undefined }),
    path: fc.array(pathComponent, { minLength: 1, maxLength: 4 }),
    tag: fc.option(tag, { nil: undefined }),
    digest: fc.option(digest, { nil: undefined }),
  })
  .filter(
    (r) =>
      r.domain !== undefined || r.path.length === 1 || !/[.]|^localhost$/.test(r.path[0] ?? ''),
  );

describe('parseImageRef properties', () => {
  it('parses every reference the grammar generates, keeping tag and digest', () => {
    fc.assert(
      fc.property(reference, (r) => {
        const raw = `${r.domain === undefined ? '' : `${r.domain}/`}${r.path.join('/')}${r.tag === undefined ? '' : `:${r.tag}`}${r.digest === undefined ? '' : `@${r.digest}`}`;
        const ref = parseImageRef(raw);
        if (!isImageRef(ref)) return false;
        return (
          ref.tag === (r.tag ?? null) &&
          ref.digest === (r.digest ?? null) &&
          ref.name.endsWith(r.path.join('/'))
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('formats to a fully qualified reference that parses to the same value', () => {
    fc.assert(
      fc.property(reference, (r) => {
        const raw = `${r.domain === undefined ? '' : `${r.domain}/`}${r.path.join('/')}${r.tag === undefined ? '' : `:${r.tag}`}`;
        const ref = parseImageRef(raw);
        if (!isImageRef(ref)) return false;
        expect(parseImageRef(formatImageRef(ref))).toEqual(ref);
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const ref = parseImageRef(s);
        return isImageRef(ref) ? ref.name.length > 0 : ref.error.length > 0;
      }),
      { numRuns: 5000 },
    );
  });

  it('never mistakes a registry port for a tag', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), pathComponent, (port, name) => {
        const ref = parseImageRef(`localhost:${port}/${name}`);
        return isImageRef(ref) && ref.registry === `localhost:${port}` && ref.tag === null;
      }),
    );
  });
});
