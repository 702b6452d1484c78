// The real `serve` process on SIGTERM under continuous requests: readiness fails first, requests
// keep being answered through the shutdown delay, a request in flight when the listener closes
// still completes, no request fails, and the process exits 0.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDevCertificate } from '../../src/server/dev-certificate.js';
import { podOf, reviewOf } from './helpers/app.js';
import { startLoad } from './helpers/https-client.js';

const ENTRY = new URL('./helpers/serve-entry.ts', import.meta.url).pathname;
const SHUTDOWN_DELAY_MS = 1500;

let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

interface Started {
  readonly webhookUrl: string;
  readonly opsUrl: string;
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
}

async function startServe(
  configPath: string,
  certFile: string,
  keyFile: string,
  home: string,
): Promise<Started> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      ENTRY,
      'serve',
      '--config',
      configPath,
      '--tls-cert',
      certFile,
      '--tls-key',
      keyFile,
    ],
    {
      env: { PATH: process.env.PATH, HOME: home, POD_NAMESPACE: 'autoprobe' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child = proc;
  const lines: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      resolve(code);
    }),
  );
  const started = new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: proc.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      if (line.msg === 'autoprobe webhook started') resolve(line);
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then((code) => {
      reject(new Error(`serve exited with ${code}: ${stderr}`));
    });
  });
  const line = await started;
  return {
    webhookUrl: String(line.webhookUrl).replace(/\/mutate$/, ''),
    opsUrl: String(line.opsUrl),
    lines,
    exited,
  };
}

async function readyz(opsUrl: string): Promise<number> {
  const response = await fetch(`${opsUrl}/readyz`);
  return response.status;
}

describe('serve process shutdown', () => {
  /** startDraining writes a config with the shutdown delay and starts `serve`. */
  async function startWithDelay(): Promise<{ serve: Started; ca: string[] }> {
    dir = await mkdtemp(join(tmpdir(), 'autoprobe-shutdown-'));
    const material = await generateDevCertificate();
    const certFile = join(dir, 'tls.crt');
    const keyFile = join(dir, 'tls.key');
    const configPath = join(dir, 'config.yaml');
    await writeFile(certFile, material.cert);
    await writeFile(keyFile, material.key);
    await writeFile(
      configPath,
      [
        'scope: cluster',
        'server:',
        '  host: 127.0.0.1',
        '  port: 0',
        '  metricsPort: 0',
        `  shutdownDelayMs: ${SHUTDOWN_DELAY_MS}`,
        '',
      ].join('\n'),
    );
    const serve = await startServe(configPath, certFile, keyFile, dir);
    return { serve, ca: [material.caCert] };
  }

  it('drains on SIGTERM with zero failed requests and exits 0', async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoprobe-shutdown-'));
    const material = await generateDevCertificate();
    const certFile = join(dir, 'tls.crt');
    const keyFile = join(dir, 'tls.key');
    const configPath = join(dir, 'config.yaml');
    await writeFile(certFile, material.cert);
    await writeFile(keyFile, material.key);
    await writeFile(
      configPath,
      [
        'scope: cluster',
        'server:',
        '  host: 127.0.0.1',
        '  port: 0',
        '  metricsPort: 0',
        `  shutdownDelayMs: ${SHUTDOWN_DELAY_MS}`,
        '',
      ].join('\n'),
    );
    const serve = await startServe(configPath, certFile, keyFile, dir);
    const ca = [material.caCert];
    expect(await readyz(serve.opsUrl)).toBe(200);

    const load = startLoad(serve.webhookUrl, { ca, workers: 4 });
    await sleep(500);
    const sentBeforeSignal = load.results.length;
    child?.kill('SIGTERM');
    const signalled = Date.now();

    // Readiness fails first, while requests are still being answered.
    while ((await readyz(serve.opsUrl)) !== 503) await sleep(20);
    expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_DELAY_MS);

    // A request whose body is still arriving when the listener closes must still be answered.
    const body = JSON.stringify(
      reviewOf(podOf([{ name: 'db', image: 'postgres:16' }]), { uid: 'in-flight' }),
    );
    const inFlight = connect({
      host: '127.0.0.1',
      port: Number(new URL(serve.webhookUrl).port),
      ca,
      servername: 'localhost',
    });
    await new Promise<void>((resolve) =>
      inFlight.once('secureConnect', () => {
        resolve();
      }),
    );
    inFlight.write(
      `POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 100)}`,
    );
    let answer = '';
    inFlight.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    const inFlightClosed = new Promise<void>((resolve) =>
      inFlight.on('close', () => {
        resolve();
      }),
    );

    // The endpoint removal propagates well within the delay; then the "apiserver" stops sending.
    await sleep(SHUTDOWN_DELAY_MS / 2);
    const results = await load.stop();
    while (
      !serve.lines.some(
        (l) => l.msg === 'no longer accepting connections; finishing in-flight requests',
      )
    ) {
      await sleep(10);
    }
    inFlight.write(body.slice(100));
    await inFlightClosed;

    expect(await serve.exited).toBe(0);
    expect(results.filter((r) => r.status !== 200 || !r.echoed)).toEqual([]);
    expect(results.length).toBeGreaterThan(sentBeforeSignal);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"uid":"in-flight"');
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(serve.lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'shutting down: readiness fails, still serving',
        'autoprobe webhook stopped',
      ]),
    );
  }, 60_000);

  it.each([5, 50])(
    'loses no request when %i clients keep sending through SIGTERM until the endpoint is gone, past the delay',
    async (workers) => {
      const { serve, ca } = await startWithDelay();
      // The "apiserver" keeps sending, on a new connection per request (Connection: close),
      // until the endpoint removal reaches it: here 400 ms after the shutdown delay ran out.
      let endpointGone = Infinity;
      const load = startLoad(serve.webhookUrl, { ca, workers, until: () => endpointGone });
      await sleep(300);
      child?.kill('SIGTERM');
      const signalled = Date.now();
      endpointGone = signalled + SHUTDOWN_DELAY_MS + 400;
      expect(await serve.exited).toBe(0);
      const results = await load.stop();
      // Nothing refused, nothing reset: the listener stayed open until connections stopped.
      expect(results.filter((r) => r.status !== 200 || !r.echoed)).toEqual([]);
      expect(results.length).toBeGreaterThan(workers * 4);
      const closing = serve.lines.find(
        (l) => l.msg === 'no longer accepting connections; finishing in-flight requests',
      );
      expect(closing).toBeDefined();
    },
    60_000,
  );
});
