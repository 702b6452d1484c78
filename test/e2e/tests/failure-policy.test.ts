/**
 * @module e2e/tests/failure-policy — autoprobe out of service, through a real kube-apiserver.
 * With `failurePolicy: Ignore` (autoprobe's recommended registration) Pods are still created,
 * unpatched, within the webhook's `timeoutSeconds`: whether autoprobe hangs (the process frozen
 * with SIGSTOP, so connections open but nothing answers) or is gone (connection refused). With
 * `Fail`, the same outage rejects the Pod, which is why the registration uses Ignore. The timing
 * assertions are the contract (timeoutSeconds plus a margin), not a performance figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNamespace,
  createPod,
  podWith,
  probesOf,
  registerWebhook,
  statusOf,
  uniqueName,
  waitForWebhook,
} from '../harness/index.js';
import type { Autoprobe, Exit, RegisteredWebhook } from '../harness/index.js';
import { startAutoprobeFor, useCluster } from '../harness/vitest-context.js';

const TIMEOUT_SECONDS = 2;
/** Scheduling and apiserver work on top of the webhook timeout, on a loaded 2-core machine. */
const MARGIN_MS = 1_500;

const cluster = useCluster();
let ap: Autoprobe;
const hooks: RegisteredWebhook[] = [];
let ignoreNs: string;
let failNs: string;

const pod = (): ReturnType<typeof podWith> =>
  podWith(uniqueName('db'), { name: 'db', image: 'postgres:16.4' });

beforeAll(async () => {
  ap = await startAutoprobeFor(cluster, { scope: 'optin', mode: 'enforce' });
  for (const [policy, tenant] of [
    ['Ignore', 'ignore'],
    ['Fail', 'fail'],
  ] as const) {
    hooks.push(
      await registerWebhook(cluster, {
        name: `e2e-${tenant}`,
        url: ap.webhookUrl,
        caPem: ap.caPem,
        tenant,
        failurePolicy: policy,
        timeoutSeconds: TIMEOUT_SECONDS,
      }),
    );
  }
  const labels = { 'autoprobe.dev/inject': 'enabled' };
  ignoreNs = await createNamespace(cluster, { prefix: 'policy-ignore', tenant: 'ignore', labels });
  failNs = await createNamespace(cluster, { prefix: 'policy-fail', tenant: 'fail', labels });
  await waitForWebhook(cluster, { namespace: ignoreNs });
  await waitForWebhook(cluster, { namespace: failNs });
});

afterAll(async () => {
  for (const hook of hooks) await hook.delete();
  await ap.stop();
});

describe('failurePolicy with autoprobe out of service', () => {
  it('while autoprobe is running, both registrations inject', async () => {
    for (const ns of [ignoreNs, failNs]) {
      const { pod: created } = await createPod(cluster, ns, pod());
      expect(statusOf(created), ns).toBeDefined();
    }
  });

  describe('autoprobe hangs (process frozen with SIGSTOP)', () => {
    beforeAll(() => {
      ap.process.signal('SIGSTOP');
    });
    afterAll(() => {
      ap.process.signal('SIGCONT');
    });

    it('with Ignore the Pod is created unpatched within timeoutSeconds', async () => {
      const res = await createPod(cluster, ignoreNs, pod());

      expect(probesOf(res.pod.spec?.containers[0])).toEqual([]);
      expect(statusOf(res.pod)).toBeUndefined();
      expect(res.durationMs).toBeLessThan(TIMEOUT_SECONDS * 1000 + MARGIN_MS);
    });

    it('with Fail the Pod is rejected within timeoutSeconds', async () => {
      const res = await createPod(cluster, failNs, pod(), { expectStatus: null });

      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(JSON.stringify(res.body)).toContain('failed calling webhook');
      expect(res.durationMs).toBeLessThan(TIMEOUT_SECONDS * 1000 + MARGIN_MS);
    });
  });

  describe('autoprobe is stopped (connection refused)', () => {
    let exit: Exit;
    let stopMs: number;
    beforeAll(async () => {
      const started = performance.now();
      exit = await ap.stop();
      stopMs = performance.now() - started;
    });

    it('autoprobe, thawed after the hang, still shuts down cleanly on SIGTERM', () => {
      // The apiserver pools connections it opened during the hang without sending on them;
      // they must not hold the shutdown until the drain timeout (exit 1).
      expect(exit).toEqual({ code: 0, signal: null });
      expect(stopMs).toBeLessThan(5_000);
    });

    it('with Ignore the Pod is created unpatched within timeoutSeconds', async () => {
      const res = await createPod(cluster, ignoreNs, pod());

      expect(probesOf(res.pod.spec?.containers[0])).toEqual([]);
      expect(statusOf(res.pod)).toBeUndefined();
      expect(res.durationMs).toBeLessThan(TIMEOUT_SECONDS * 1000 + MARGIN_MS);
    });

    it('with Fail the Pod is rejected', async () => {
      const res = await createPod(cluster, failNs, pod(), { expectStatus: null });

      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(JSON.stringify(res.body)).toContain('failed calling webhook');
    });
  });
});
