// `autoprobe serve` in-process: with no certificate it generates a development CA, writes it
// where the log says and serves with it; the webhook's own namespace is always excluded; flags
// override the file; SIGINT skips the shutdown delay.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe } from '../../src/server/serve.js';
import type { RunningServe } from '../../src/server/serve.js';
import { overridesOf } from '../../src/server/serve-command.js';
import { readServeEnv } from '../../src/server/env.js';
import type { LogLine } from './helpers/app.js';
import { podOf, reviewOf } from './helpers/app.js';

let running: RunningServe | undefined;
let dir: string | undefined;
afterEach(async () => {
  await running?.shutdown('SIGINT');
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function postReview(
  url: string,
  ca: string,
  body: unknown,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${url}/mutate`,
      {
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json' },
        servername: 'localhost',
      },
      (response) => {
        let text = '';
        response.on('data', (c: Buffer) => (text += c.toString()));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) });
        });
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe('startServe', () => {
  it('generates a development CA, names it in the log and serves HTTPS with it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoprobe-serve-'));
    const generatedDir = join(dir, 'tls');
    const configPath = join(dir, 'config.yaml');
    await writeFile(
      configPath,
      `scope: cluster\nserver:\n  host: 127.0.0.1\n  tls:\n    generatedDir: ${generatedDir}\n    hosts: [autoprobe.autoprobe.svc, 172.18.0.1]\n`,
    );
    const logs: LogLine[] = [];
    running = await startServe({
      configPath,
      overrides: overridesOf({ port: '0', metricsPort: '0', mode: 'audit' }),
      env: { podNamespace: 'autoprobe', kube: null },
      logDestination: { write: (l: string) => logs.push(JSON.parse(l) as LogLine) },
    });
    const caFile = join(generatedDir, 'ca.crt');
    expect(logs.find((l) => l.caFile === caFile)?.msg).toContain(caFile);
    expect((await stat(join(generatedDir, 'tls.key'))).mode & 0o777).toBe(0o600);
    const leaf = new X509Certificate(await readFile(join(generatedDir, 'tls.crt')));
    expect(leaf.subjectAltName).toContain('DNS:autoprobe.autoprobe.svc');
    expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(leaf.subjectAltName).toContain('IP Address:172.18.0.1');
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');

    const ca = await readFile(caFile, 'utf8');
    const caCert = new X509Certificate(ca);
    expect(caCert.ca).toBe(true);
    expect(leaf.checkIssued(caCert) && leaf.verify(caCert.publicKey)).toBe(true);
    const pod = podOf([{ name: 'db', image: 'postgres:16' }]);
    const team = await postReview(running.webhookUrl, ca, reviewOf(pod, { namespace: 'team' }));
    expect(team.status).toBe(200);
    // --mode audit overrides the file's default enforce.
    expect((team.json as { response: { warnings: string[] } }).response.warnings).toEqual([
      'autoprobe audit: would add liveness,readiness,startup to db (postgres)',
    ]);
    const own = await postReview(running.webhookUrl, ca, reviewOf(pod, { namespace: 'autoprobe' }));
    expect((own.json as { response: unknown }).response).toEqual({ uid: 'uid-1', allowed: true });

    const ready = await fetch(`${running.opsUrl}/readyz`);
    expect(ready.status).toBe(200);
    const started = Date.now();
    await running.shutdown('SIGINT');
    expect(Date.now() - started).toBeLessThan(2000);
    running = undefined;

    // The next start reuses the development certificate, so a registered caBundle stays valid.
    running = await startServe({
      configPath,
      overrides: overridesOf({ port: '0', metricsPort: '0' }),
      env: { podNamespace: 'autoprobe', kube: null },
      logDestination: { write: (l: string) => logs.push(JSON.parse(l) as LogLine) },
    });
    expect(await readFile(caFile, 'utf8')).toBe(ca);
    expect(logs.filter((l) => l.caFile === caFile).map((l) => l.reused)).toEqual([false, true]);
    expect((await postReview(running.webhookUrl, ca, reviewOf(pod))).status).toBe(200);
  }, 30_000);

  it('refuses to start with an invalid config file, naming every problem', async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoprobe-serve-'));
    const configPath = join(dir, 'config.yaml');
    await writeFile(configPath, 'mode: loud\nserver:\n  port: -1\n');
    await expect(
      startServe({ configPath, env: { podNamespace: undefined, kube: null } }),
    ).rejects.toMatchObject({
      code: 'AP_ERR_CONFIG_INVALID',
      details: [
        expect.stringMatching(/\/mode: must be one of/),
        expect.stringMatching(/\/server\/port: must be >= 0/),
      ],
    });
  });

  it('refuses a certificate file without its key', async () => {
    await expect(
      startServe({
        overrides: { server: { port: 0, metricsPort: 0, tls: { certFile: '/nonexistent.crt' } } },
        env: { podNamespace: undefined, kube: null },
        logDestination: { write: () => undefined },
      }),
    ).rejects.toMatchObject({ code: 'AP_ERR_CONFIG_INVALID' });
  });
});

describe('overridesOf', () => {
  it('maps flags to config keys and leaves bad values for the schema to name', () => {
    expect(
      overridesOf({ mode: 'audit', port: '9443', metricsPort: 'http', tlsCert: 'c', tlsKey: 'k' }),
    ).toEqual({
      mode: 'audit',
      server: { port: 9443, metricsPort: 'http', tls: { certFile: 'c', keyFile: 'k' } },
    });
  });

  it('passes a lone --tls-cert on for the config validation to report with the rest', () => {
    expect(overridesOf({ tlsCert: 'c' })).toEqual({ server: { tls: { certFile: 'c' } } });
  });
});

describe('readServeEnv', () => {
  const none = (): boolean => false;

  it('prefers $KUBECONFIG (its first file), then ~/.kube/config, then in-cluster', () => {
    const everything = (): boolean => true;
    expect(
      readServeEnv({ KUBECONFIG: '/a:/b', HOME: '/h', KUBERNETES_SERVICE_HOST: 'x' }, everything)
        .kube,
    ).toEqual({
      kind: 'file',
      path: '/a',
    });
    expect(readServeEnv({ HOME: '/h', KUBERNETES_SERVICE_HOST: 'x' }, everything).kube).toEqual({
      kind: 'file',
      path: '/h/.kube/config',
    });
    expect(
      readServeEnv({ HOME: '/h', KUBERNETES_SERVICE_HOST: 'x' }, (p) => !p.startsWith('/h')).kube,
    ).toEqual({
      kind: 'in-cluster',
    });
  });

  it('finds no credentials on a bare laptop', () => {
    expect(readServeEnv({ HOME: '/h' }, none)).toEqual({ podNamespace: undefined, kube: null });
  });

  it('reads the webhook namespace from POD_NAMESPACE', () => {
    expect(readServeEnv({ POD_NAMESPACE: 'autoprobe' }, none).podNamespace).toBe('autoprobe');
    expect(readServeEnv({ POD_NAMESPACE: ' ' }, none).podNamespace).toBeUndefined();
  });
});
