// One log line per review with the keys an operator greps for; decisions at debug; never an env
// value or a whole object, even at trace level.
import { afterEach, describe, expect, it } from 'vitest';
import fastJsonPatch from 'fast-json-patch';
import { fixtureReview, podOf, post, reviewOf, testApp } from './helpers/app.js';
import type { TestApp } from './helpers/app.js';
import { createLogger } from '../../src/server/logger.js';

let t: TestApp;
afterEach(async () => {
  await t.app.close();
});

describe('review logging', () => {
  it('writes one info line per review with uid, namespace, pod, operation, mode, outcome, counts and duration', async () => {
    t = testApp({ scope: 'cluster' });
    await post(t.app, fixtureReview());
    const lines = t.logs.filter((l) => l.level === 30);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'admission review',
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      namespace: 'team-a',
      pod: 'orders-db-6d5f7c9b8-*',
      kind: 'Pod',
      operation: 'CREATE',
      mode: 'enforce',
      dryRun: false,
      outcome: 'patched',
      injected: 1,
      skipped: 1,
      status: 200,
    });
    expect(typeof lines[0]?.durationMs).toBe('number');
  });

  it('logs the decisions at debug only', async () => {
    t = testApp({ scope: 'cluster' });
    await post(t.app, fixtureReview());
    expect(t.logs.some((l) => l.msg === 'admission decisions')).toBe(false);
    await t.app.close();
    t = testApp({ scope: 'cluster', logLevel: 'debug' });
    await post(t.app, fixtureReview());
    const debug = t.logs.find((l) => l.msg === 'admission decisions');
    expect(debug?.decisions).toEqual([
      expect.objectContaining({ container: 'postgres', family: 'postgres', action: 'inject' }),
      expect.objectContaining({
        container: 'metrics',
        family: null,
        action: 'skip',
        cause: 'image-negative',
      }),
    ]);
  });

  it('never writes env values or the pod object, even at trace level', async () => {
    t = testApp({ scope: 'cluster', logLevel: 'trace' });
    await post(t.app, fixtureReview());
    const text = JSON.stringify(t.logs);
    expect(text).not.toContain('s3cr3t-literal-password');
    expect(text).not.toContain('/var/lib/postgresql/data/pgdata');
    expect(text).not.toContain('ownerReferences');
  });

  it('censors objects and env in any line by configuration, as a second line of defence', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (l: string) => lines.push(l) },
    });
    logger.info(
      { object: { spec: 1 }, container: { env: [{ value: 'hunter2' }] }, key: 'PEM' },
      'oops',
    );
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line.object).toBe('[redacted]');
    expect(line.key).toBe('[redacted]');
    expect(line.container).toEqual({ env: '[redacted]' });
  });
});

// Every way a review can go wrong, with a secret in the Pod: no log line, at trace level, and no
// answer may carry it (fast-json-patch puts the whole document on its errors as `tree`).
describe('review logging when a review fails', () => {
  const SECRET = 'pa55-in-the-pod-9f1c';
  const secretPod = podOf([
    {
      name: 'db',
      image: 'postgres:16',
      env: [{ name: 'POSTGRES_PASSWORD', value: SECRET }],
      args: ['-c', `password=${SECRET}`],
    },
  ]);
  const raw = async (t: TestApp, payload: string): Promise<{ status: number; body: string }> => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/mutate',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    return { status: response.statusCode, body: response.body };
  };
  const failures: readonly {
    readonly name: string;
    readonly options: Parameters<typeof testApp>[0];
    readonly send: (t: TestApp) => Promise<{ status: number; body: unknown }>;
  }[] = [
    {
      name: 'the engine throws a fast-json-patch error carrying the document',
      options: {
        engine: (pod) => {
          fastJsonPatch.applyPatch(pod, [{ op: 'replace', path: '/nope/x', value: SECRET }], true);
          throw new Error('unreachable');
        },
      },
      send: (t) => post(t.app, reviewOf(secretPod)),
    },
    {
      name: 'the engine throws an error quoting a value',
      options: {
        engine: () => {
          throw new TypeError(`cannot read ${SECRET}`);
        },
      },
      send: (t) => post(t.app, reviewOf(secretPod)),
    },
    {
      name: 'the transport throws after the decision',
      options: {
        onReview: () => {
          throw new RangeError(`bad ${SECRET}`);
        },
      },
      send: (t) => post(t.app, reviewOf(secretPod)),
    },
    {
      name: 'the body is not JSON after the secret',
      options: {},
      send: (t) => raw(t, `${JSON.stringify(reviewOf(secretPod)).slice(0, -2)}, oops}`),
    },
    {
      name: 'the body nests too deep after the secret',
      options: {},
      send: (t) => raw(t, `{"secret":"${SECRET}","x":${'['.repeat(200)}${']'.repeat(200)}}`),
    },
  ];

  for (const failure of failures) {
    it(`keeps the secret out of logs and answers when ${failure.name}`, async () => {
      t = testApp({ scope: 'cluster', logLevel: 'trace', ...failure.options });
      const answer = await failure.send(t);
      expect(JSON.stringify(answer)).not.toContain(SECRET);
      expect(t.logs.some((l) => l.level >= 40)).toBe(true);
      expect(JSON.stringify(t.logs)).not.toContain(SECRET);
    });
  }
});
