// A budget on request bodies in flight: a request whose announced size would take the bytes in
// flight past server.maxInFlightMiB is refused at once with 503 before its body is read (the
// apiserver then applies failurePolicy), counted as a fail-open; many small reviews at once are
// never refused, a lone large one always gets in, and the bytes come back when the reviews in
// flight are answered or their clients give up.
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { metricValue, podOf, post, reviewOf, testApp } from './helpers/app.js';
import type { TestApp } from './helpers/app.js';

const MIB = 1024 * 1024;
const body = JSON.stringify(reviewOf(podOf([{ name: 'db', image: 'postgres:16' }])));
/** A review padded to `bytes` with an annotation. */
const bigBody = (bytes: number): string => {
  const pod = podOf([{ name: 'db', image: 'postgres:16' }], { annotations: { pad: '' } });
  const text = JSON.stringify(reviewOf(pod));
  return text.replace('"pad":""', `"pad":"${'x'.repeat(bytes - text.length)}"`);
};

let t: TestApp;
afterEach(async () => {
  await t.app.close();
});

/** slowReview starts a review of `text` whose body stops after 10 bytes until `finish`. */
function slowReview(
  app: TestApp['app'],
  text: string = body,
): { answer: Promise<number>; finish: () => void } {
  const stream = new Readable({ read: () => undefined });
  stream.push(text.slice(0, 10));
  const answer = app
    .inject({
      method: 'POST',
      url: '/mutate',
      headers: { 'content-type': 'application/json', 'content-length': String(text.length) },
      payload: stream,
    })
    .then((r) => r.statusCode);
  return {
    answer,
    finish: () => {
      stream.push(text.slice(10));
      stream.push(null);
    },
  };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('POST /mutate past the budget of bytes in flight', () => {
  it('refuses a review that would pass the budget with 503 and a clear code, unread', async () => {
    t = testApp({ scope: 'cluster', maxInFlightMiB: 4 });
    const slow = [slowReview(t.app, bigBody(3 * MIB))];
    await settle();
    const refused = await post(t.app, bigBody(2 * MIB));
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({
      statusCode: 503,
      code: 'AP_ERR_OVERLOADED',
      message:
        'too many review bytes in flight (server.maxInFlightMiB); the pod was not examined, the API server applies failurePolicy',
    });
    expect(refused.headers['retry-after']).toBeUndefined();
    // A small one still fits.
    expect((await post(t.app, body)).status).toBe(200);
    for (const s of slow) s.finish();
    expect(await Promise.all(slow.map((s) => s.answer))).toEqual([200]);
    expect(
      await metricValue(t.metrics, 'autoprobe_admission_fail_open_total', { cause: 'overload' }),
    ).toBe(1);
    expect(
      await metricValue(t.metrics, 'autoprobe_admission_reviews_total', { outcome: 'overloaded' }),
    ).toBe(1);
    expect(t.logs.find((l) => l.msg === 'admission review refused')).toMatchObject({
      level: 40,
      outcome: 'overloaded',
      status: 503,
    });
  });

  it('never refuses many small reviews at once', async () => {
    t = testApp({ scope: 'cluster', maxInFlightMiB: 1 });
    const slow = Array.from({ length: 100 }, () => slowReview(t.app));
    await settle();
    expect((await post(t.app, body)).status).toBe(200);
    for (const s of slow) s.finish();
    expect(new Set(await Promise.all(slow.map((s) => s.answer)))).toEqual(new Set([200]));
  });

  it('lets a lone review larger than the budget in', async () => {
    t = testApp({ scope: 'cluster', maxInFlightMiB: 1 });
    expect((await post(t.app, bigBody(2 * MIB))).status).toBe(200);
  });

  it('charges a request without a Content-Length as the largest body', async () => {
    t = testApp({ scope: 'cluster', maxInFlightMiB: 4 });
    const slow = slowReview(t.app, bigBody(2 * MIB));
    await settle();
    const stream = Readable.from([Buffer.from(body)]);
    const response = await t.app.inject({
      method: 'POST',
      url: '/mutate',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      payload: stream,
    });
    expect(response.statusCode).toBe(503);
    slow.finish();
    expect(await slow.answer).toBe(200);
  });

  it('gives the bytes back once the reviews in flight are answered', async () => {
    t = testApp({ scope: 'cluster', maxInFlightMiB: 4 });
    const slow = slowReview(t.app, bigBody(3 * MIB));
    await settle();
    expect((await post(t.app, bigBody(2 * MIB))).status).toBe(503);
    slow.finish();
    expect(await slow.answer).toBe(200);
    expect((await post(t.app, bigBody(2 * MIB))).status).toBe(200);
  });

  it('gives the bytes of a review whose body never came back at its deadline', async () => {
    t = testApp({ scope: 'cluster', maxInFlightMiB: 4, requestTimeoutMs: 150 });
    const stuck = slowReview(t.app, bigBody(3 * MIB));
    expect(await stuck.answer).toBe(504);
    expect((await post(t.app, bigBody(2 * MIB))).status).toBe(200);
    stuck.finish();
  });
});
