// A short soak in the unit suite (the long one is `npm run soak`, docs/benchmarks.md): one server
// (startServe, in-process) takes a few thousand reviews over keep-alive HTTPS while its
// certificate is rotated through a Secret-like volume and its config rewritten through a
// ConfigMap-like one; no request may fail, new connections must get the new certificate, and the
// new config must be in force.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { mixedCorpus } from '../../bench/corpus.js';
import { buildRequest } from '../../bench/lib/client.js';
import { saturate } from '../../bench/lib/load.js';
import type { LoadRequest } from '../../bench/lib/load.js';
import { startServe } from '../../src/server/serve.js';
import type { RunningServe } from '../../src/server/serve.js';
import { secretVolume } from '../server/helpers/secret-volume.js';
import {
  certificates,
  configYaml,
  fingerprintOf,
  metricValue,
  served,
  waitFor,
} from './soak-plan.js';

const REVIEWS = 2_000;

let running: RunningServe | undefined;
let dir: string | undefined;
afterEach(async () => {
  await running?.shutdown('SIGINT');
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('a short soak', () => {
  it('serves every review through a certificate rotation and a config reload', async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoprobe-soak-'));
    const [first, second] = await certificates(2);
    if (first === undefined || second === undefined) throw new Error('no certificates');
    const tls = await secretVolume(join(dir, 'tls'), {
      'tls.crt': first.cert,
      'tls.key': first.key,
    });
    const base = [
      'mode: enforce',
      'scope: cluster',
      'server:',
      '  host: 127.0.0.1',
      '  port: 0',
      '  metricsPort: 0',
      '  tls:',
      `    certFile: ${tls.path('tls.crt')}`,
      `    keyFile: ${tls.path('tls.key')}`,
    ].join('\n');
    const config = await secretVolume(join(dir, 'config'), { 'config.yaml': configYaml(base, 0) });
    running = await startServe({
      configPath: config.path('config.yaml'),
      env: { podNamespace: 'autoprobe', kube: null },
      logDestination: new Writable({
        write: (_c, _e, done) => {
          done();
        },
      }),
      watch: { debounceMs: 50, pollMs: 1_000 },
    });
    const url = new URL(running.webhookUrl);
    const ca = [first.caCert, second.caCert];
    const target = { host: '127.0.0.1', port: Number(url.port), ca, servername: 'localhost' };
    const requests: LoadRequest[] = mixedCorpus(200, 11).map((e) => ({
      bytes: buildRequest(target, '/mutate', e.body),
      uid: e.uid,
    }));
    const metrics = async (): Promise<string> =>
      (await fetch(`${running?.opsUrl ?? ''}/metrics`)).text();

    let changes: Promise<void> | undefined;
    const load = await saturate(target, requests, {
      connections: 4,
      durationS: 120,
      maxRequests: REVIEWS,
      // New connections keep coming, so the rotated certificate gets served under load.
      recycleAfter: 200,
      onSecond: ({ sent }) => {
        if (changes !== undefined || sent < REVIEWS / 3) return;
        changes = (async () => {
          await tls.publish({ 'tls.crt': second.cert, 'tls.key': second.key });
          await waitFor(
            async () => (await served(target.port, ca)) === fingerprintOf(second.cert),
            20_000,
          );
          await config.publish({ 'config.yaml': configYaml(base, 1) });
          await waitFor(
            async () =>
              metricValue(await metrics(), 'autoprobe_config_reloads_total{result="success"}') ===
              1,
            20_000,
          );
        })();
      },
    });
    await changes;

    expect(load.failures).toEqual({});
    expect(load.ok).toBe(REVIEWS);
    expect(await served(target.port, ca)).toBe(fingerprintOf(second.cert));
    const text = await metrics();
    expect(metricValue(text, 'autoprobe_tls_reloads_total{result="success"}')).toBe(1);
    expect(metricValue(text, 'autoprobe_config_reloads_total{result="success"}')).toBe(1);
    expect(metricValue(text, 'autoprobe_admission_fail_open_total{cause="error"}')).toBe(0);
  }, 120_000);
});
