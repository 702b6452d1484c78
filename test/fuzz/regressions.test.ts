// What the fuzzer found, kept as plain tests: JSON nested thousands of levels deep overflowed the
// prototype-poisoning check (JSON.parse's recursive reviver: a 500) and the error message (it
// serialised the bad apiVersion: a 500); such bodies are now refused by depth before parsing
// (issue #12). And one the oracle had wrong: a Pod that already carries a status annotation gets
// it replaced by the merged status, not added.
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/server/json-body.js';
import { checkAnswer, fuzzApp, send } from './harness.js';

const app = fuzzApp('enforce');
afterAll(async () => {
  await app.close();
});

const deep = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

// An AdmissionReview of a Pod nests about 15 levels (the apiserver re-encodes the typed object,
// so no free-form field can nest deeper); past MAX_JSON_DEPTH a body is refused before parsing.
describe('deeply nested JSON', () => {
  it('refuses a poisoned deep body with a 400 before parsing it', async () => {
    for (const depth of [3_000, 100_000]) {
      const request = {
        contentType: 'application/json',
        body: `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1","constructor":{"prototype":{}},"deep":${deep(depth)}}}`,
      };
      const answer = await send(app, request);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain(`nests deeper than ${MAX_JSON_DEPTH} levels`);
      checkAnswer(request, answer, 'enforce');
    }
  });

  it('still finds prototype poisoning in a body within the depth limit', async () => {
    const request = {
      contentType: 'application/json',
      body: `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1","constructor":{"prototype":{}},"deep":${deep(100)}}}`,
    };
    const answer = await send(app, request);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('prototype poisoning');
    checkAnswer(request, answer, 'enforce');
  });

  it('refuses a deeply nested apiVersion by its depth (it was a 500)', async () => {
    const request = {
      contentType: 'application/json',
      body: `{"apiVersion":${'{"n":'.repeat(50_000)}1${'}'.repeat(50_000)},"kind":"AdmissionReview","request":{"uid":"u4"}}`,
    };
    const answer = await send(app, request);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(`nests deeper than ${MAX_JSON_DEPTH} levels`);
    checkAnswer(request, answer, 'enforce');
  });

  it('answers a harmless "constructor" key under a field nested 100 levels as a normal review', async () => {
    const request = {
      contentType: 'application/json',
      body: `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u2","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","object":{"metadata":{"labels":{"constructor":"x"}},"spec":{"containers":[{"name":"db","image":"postgres:16","x":${deep(100)}}]}}}}`,
    };
    const answer = await send(app, request);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toHaveProperty('response.patchType', 'JSONPatch');
    checkAnswer(request, answer, 'enforce');
  });

  it('refuses a Pod whose container holds a field nested 100,000 levels deep, at once', async () => {
    const request = {
      contentType: 'application/json',
      body: `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u3","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","object":{"spec":{"containers":[{"name":"db","image":"postgres:16","x":${deep(100_000)}}]}}}}`,
    };
    const answer = await send(app, request);
    expect(answer.status).toBe(400);
    checkAnswer(request, answer, 'enforce');
  });
});

describe('a Pod that already has a status annotation', () => {
  it('gets the annotation replaced by the merged status, earlier entries kept', async () => {
    const status = JSON.stringify({
      containers: { cache: { family: 'redis', probes: ['liveness'] } },
    });
    const request = {
      contentType: 'application/json',
      body: JSON.stringify({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: {
          uid: 'u5',
          kind: { group: '', version: 'v1', kind: 'Pod' },
          operation: 'CREATE',
          object: {
            metadata: { annotations: { 'autoprobe.dev/status': status } },
            spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
          },
        },
      }),
    };
    const answer = await send(app, request);
    checkAnswer(request, answer, 'enforce');
    const body = JSON.parse(answer.text) as { response: { patch: string } };
    const ops = JSON.parse(Buffer.from(body.response.patch, 'base64').toString('utf8')) as {
      op: string;
      path: string;
      value?: unknown;
    }[];
    const replaced = ops.find((op) => op.path === '/metadata/annotations/autoprobe.dev~1status');
    expect(replaced?.op).toBe('replace');
    expect(String(replaced?.value)).toContain('cache');
    expect(String(replaced?.value)).toContain('db');
  });
});
