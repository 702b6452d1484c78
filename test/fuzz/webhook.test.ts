// The CI-sized fuzz run of POST /mutate (a few thousand cases; the long run is
// `npm run fuzz -- --runs 1000000`, see docs/fuzzing.md): arbitrary bodies, mutated real
// AdmissionReviews and generated Pods, in enforce and audit mode, each answer held to the
// contract (harness.ts); and the patched Pod, reviewed again, gets no patch.
import fc from 'fast-check';
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { afterAll, describe, expect, it } from 'vitest';
import { arbitraryBody, generatedReview, heavyReview, mutatedReview } from './arbitraries.js';
import { checkAnswer, fuzzApp, send } from './harness.js';
import type { FuzzRequest } from './harness.js';

const apps = { enforce: fuzzApp('enforce'), audit: fuzzApp('audit') };
afterAll(async () => {
  await Promise.all([apps.enforce.close(), apps.audit.close()]);
});

const mode = fc.constantFrom('enforce' as const, 'audit' as const);
const SEED = Number(process.env.FUZZ_SEED ?? 20260601);

async function holds(request: FuzzRequest, m: 'enforce' | 'audit'): Promise<void> {
  checkAnswer(request, await send(apps[m], request), m);
}

describe('POST /mutate under fuzzing', () => {
  it('answers arbitrary bodies with a clear 4xx or a valid review, never a 5xx', async () => {
    await fc.assert(fc.asyncProperty(arbitraryBody, mode, holds), { numRuns: 1200, seed: SEED });
  }, 60_000);

  it('keeps the contract and a patch bounded by the Pod over heavy Pods', async () => {
    await fc.assert(fc.asyncProperty(heavyReview, mode, holds), { numRuns: 60, seed: SEED });
  }, 60_000);

  it('keeps the contract over mutated real AdmissionReviews', async () => {
    await fc.assert(fc.asyncProperty(mutatedReview, mode, holds), { numRuns: 1500, seed: SEED });
  }, 60_000);

  it('keeps the contract over generated Pods, and a patched Pod gets no second patch', async () => {
    await fc.assert(
      fc.asyncProperty(generatedReview, mode, async (request, m) => {
        const answer = await send(apps[m], request);
        checkAnswer(request, answer, m);
        const response = (JSON.parse(answer.text) as { response: { patch?: string } }).response;
        if (response.patch === undefined) return;
        const review = JSON.parse(request.body as string) as { request: { object: object } };
        const ops = JSON.parse(
          Buffer.from(response.patch, 'base64').toString('utf8'),
        ) as Operation[];
        review.request.object = fastJsonPatch.applyPatch(
          review.request.object,
          ops,
          true,
          true,
        ).newDocument;
        const again = await send(apps[m], { ...request, body: JSON.stringify(review) });
        checkAnswer({ ...request, body: JSON.stringify(review) }, again, m);
        expect(JSON.parse(again.text)).not.toHaveProperty('response.patch');
      }),
      { numRuns: 800, seed: SEED },
    );
  }, 60_000);
});
