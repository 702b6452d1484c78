/**
 * @module probes/redis — `redis-cli ping | grep -qx PONG` readiness, as the engine renders it for
 * the official and Bitnami images (password from `--requirepass $(VAR)`, REDIS_PASSWORD or
 * REDIS_PASSWORD_FILE), executed against real Redis servers: open, password-protected, LOADING.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeBench } from './harness/bench.js';
import { IMAGE_PATH } from './harness/env.js';
import { literal, secretRef } from './harness/pod.js';
import type { Subject } from './harness/pod.js';
import { freePort } from './harness/ports.js';
import { runArgv } from './harness/run.js';
import { newServer } from './harness/servers.js';
import type { TestServer } from './harness/servers.js';
import { serverLabel } from './harness/versions.js';

const PASSWORD = 's3cret-redis';
const bench = new ProbeBench('redis');
let open: TestServer;
let locked: TestServer;
let label: string;
let passwordFile: string;

/** Pods for a server without a password. */
const openSubjects = (port: number): Record<string, Subject> => ({
  'official, --port': {
    family: 'redis',
    container: { image: 'redis:7.0', args: ['--port', String(port)] },
  },
  'Bitnami, REDIS_PORT_NUMBER': {
    family: 'redis',
    container: {
      image: 'bitnami/redis:7.0',
      env: [literal('ALLOW_EMPTY_PASSWORD', 'yes'), literal('REDIS_PORT_NUMBER', port)],
    },
  },
  'Bitnami cluster node, REDIS_PORT_NUMBER': {
    family: 'redis',
    container: {
      image: 'bitnami/redis-cluster:7.0',
      env: [literal('ALLOW_EMPTY_PASSWORD', 'yes'), literal('REDIS_PORT_NUMBER', port)],
    },
  },
});

/** Pods for a password-protected server; `secret` is what the Secret holds (undefined: absent). */
const lockedSubjects = (port: number, secret: string | undefined): Record<string, Subject> => {
  const secrets = secret === undefined ? {} : { 'redis/password': secret };
  return {
    'official, --requirepass $(REDIS_PASSWORD)': {
      family: 'redis',
      container: {
        image: 'redis:7.0',
        args: ['--port', String(port), '--requirepass', '$(REDIS_PASSWORD)'],
        env: [secretRef('REDIS_PASSWORD', 'redis', 'password')],
      },
      secrets,
    },
    'Bitnami, REDIS_PASSWORD': {
      family: 'redis',
      container: {
        image: 'bitnami/redis:7.0',
        env: [literal('REDIS_PORT_NUMBER', port), secretRef('REDIS_PASSWORD', 'redis', 'password')],
      },
      secrets,
    },
  };
};

/** The first line a plain, authenticated PING gets: a precondition check, not a probe. */
async function reply(port: number): Promise<string> {
  const run = await runArgv(['redis-cli', '-h', '127.0.0.1', '-p', String(port), 'ping'], {
    env: { PATH: IMAGE_PATH, REDISCLI_AUTH: PASSWORD },
    cwd: bench.home,
    killAfterMs: 10_000,
  });
  return run.stdout.split('\n')[0] ?? '';
}

beforeAll(async () => {
  label = serverLabel('redis');
  passwordFile = join(bench.root, 'redis-password');
  writeFileSync(passwordFile, PASSWORD);
  open = newServer('redis', bench.root, await freePort(), 'open');
  locked = newServer('redis', bench.root, await freePort(), 'locked');
  await open.start();
  await locked.start(['--password', PASSWORD]);
});

afterAll(async () => {
  await open.stop();
  await locked.stop();
  bench.dispose();
});

describe('redis readiness against a server without a password', () => {
  it.each(Object.keys(openSubjects(0)))('exits 0 on PONG for %s', async (name) => {
    await bench.check({
      subject: openSubjects(open.port)[name]!,
      case: `ready (${name})`,
      expect: 'ready',
      server: label,
      port: open.port,
    });
  });

  it.each(Object.keys(openSubjects(0)))(
    'exits non-zero for %s when the Pod names a port nothing listens on',
    async (name) => {
      await bench.checkWrongPort((port) => openSubjects(port)[name]!, name);
    },
  );

  it('exits non-zero within timeoutSeconds when the server accepts TCP but never answers', async () => {
    await bench.checkHang((port) => openSubjects(port)['official, --port']!);
  });
});

describe('redis readiness against a password-protected server', () => {
  it.each(Object.keys(lockedSubjects(0, undefined)))(
    'exits 0 for %s when the Pod env carries the password',
    async (name) => {
      await bench.check({
        subject: lockedSubjects(locked.port, PASSWORD)[name]!,
        case: `requirepass, password env right (${name})`,
        expect: 'ready',
        server: `${label}, requirepass`,
        port: locked.port,
      });
    },
  );

  it('exits 0 for Bitnami when the password comes from REDIS_PASSWORD_FILE', async () => {
    await bench.check({
      subject: {
        family: 'redis',
        container: {
          image: 'bitnami/redis:7.0',
          env: [
            literal('REDIS_PORT_NUMBER', locked.port),
            literal('REDIS_PASSWORD_FILE', passwordFile),
          ],
        },
      },
      case: 'requirepass, REDIS_PASSWORD_FILE (Bitnami)',
      expect: 'ready',
      server: `${label}, requirepass`,
      port: locked.port,
    });
  });

  it.each(Object.keys(lockedSubjects(0, undefined)))(
    'exits non-zero for %s on NOAUTH when the Secret holds no password',
    async (name) => {
      await bench.check({
        subject: lockedSubjects(locked.port, undefined)[name]!,
        case: `requirepass, no password env: NOAUTH (${name})`,
        expect: 'not-ready',
        server: `${label}, requirepass`,
        port: locked.port,
      });
    },
  );

  it.each(Object.keys(lockedSubjects(0, undefined)))(
    'exits non-zero for %s on WRONGPASS when the Secret holds another password',
    async (name) => {
      await bench.check({
        subject: lockedSubjects(locked.port, 'not-the-password')[name]!,
        case: `requirepass, wrong password: WRONGPASS (${name})`,
        expect: 'not-ready',
        server: `${label}, requirepass`,
        port: locked.port,
      });
    },
  );
});

describe('redis readiness while the server is LOADING its dataset', () => {
  beforeAll(async () => {
    // 300k keys loaded at 20 µs each keep the server LOADING for several seconds.
    await locked.extra('populate', '300000', '100');
    await locked.stop();
    await locked.start(['--password', PASSWORD, '--key-load-delay', '20', '--ready-on-loading']);
    expect(await reply(locked.port)).toMatch(/^LOADING/);
  });

  afterAll(async () => {
    // Still LOADING after the probes, so every probe above met a loading server.
    expect(await reply(locked.port)).toMatch(/^LOADING/);
  });

  it.each(Object.keys(lockedSubjects(0, undefined)))(
    'exits non-zero for %s on a LOADING reply, with the right password',
    async (name) => {
      await bench.check({
        subject: lockedSubjects(locked.port, PASSWORD)[name]!,
        case: `LOADING dataset (${name})`,
        expect: 'not-ready',
        server: `${label}, LOADING (--key-load-delay)`,
        port: locked.port,
      });
    },
  );
});

describe('redis readiness against a stopped server', () => {
  beforeAll(async () => {
    await open.stop();
  });

  it.each(Object.keys(openSubjects(0)))('exits non-zero for %s', async (name) => {
    await bench.check({
      subject: openSubjects(open.port)[name]!,
      case: `stopped (${name})`,
      expect: 'not-ready',
      server: `${label}, stopped`,
      port: open.port,
    });
  });
});
