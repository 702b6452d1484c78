// The patch for a real Pod CREATE: only `add` operations at exact paths, no `remove` of fields
// autoprobe does not know (kubebuilder#510), and it applies to the request object.
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/core/index.js';
import { applied, fixtureReview, patchOf, post, reviewBody, testApp } from './helpers/app.js';
import type { TestApp } from './helpers/app.js';

let t: TestApp;
afterEach(async () => {
  await t.app.close();
});

describe('the patch of the real-world fixture', () => {
  it('adds the three probes and the status annotation, and nothing else', async () => {
    t = testApp({ scope: 'cluster' });
    const review = fixtureReview();
    const answer = await post(t.app, review);
    expect(reviewBody(answer).response.patchType).toBe('JSONPatch');
    expect(patchOf(answer).map(({ op, path }) => `${op} ${path}`)).toEqual([
      'add /spec/containers/0/livenessProbe',
      'add /spec/containers/0/readinessProbe',
      'add /spec/containers/0/startupProbe',
      'add /metadata/annotations',
    ]);
  });

  it('applies to the request object and keeps fields autoprobe does not know', async () => {
    t = testApp({ scope: 'cluster' });
    const review = fixtureReview();
    const pod = (review.request as { object: JsonObject }).object;
    const after = applied(pod, await post(t.app, review)) as {
      metadata: { annotations: Record<string, string> };
      spec: JsonObject & { containers: JsonObject[] };
    };
    expect(after.spec.someFutureField).toEqual({ kept: true });
    expect(after.metadata.annotations['autoprobe.dev/status']).toBe(
      '{"containers":{"postgres":{"family":"postgres","probes":["liveness","readiness","startup"]}}}',
    );
    expect(after.spec.containers[0]?.livenessProbe).toMatchObject({
      tcpSocket: { port: 'postgres' },
    });
    expect(after.spec.containers[1]).toEqual(
      (pod.spec as { containers: JsonObject[] }).containers[1],
    );
  });

  it('escapes the annotation key when annotations already exist (RFC 6901)', async () => {
    t = testApp({ scope: 'cluster' });
    const review = fixtureReview();
    const pod = (review.request as { object: { metadata: JsonObject } }).object;
    pod.metadata.annotations = { 'example.com/owner': 'team-a' };
    const ops = patchOf(await post(t.app, review));
    expect(ops.at(-1)).toMatchObject({
      op: 'add',
      path: '/metadata/annotations/autoprobe.dev~1status',
    });
  });
});
