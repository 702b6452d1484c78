/**
 * @module probes/mesh — the in-container TCP check the engine renders under a mesh whose proxy
 * answers every TCP connection (Linkerd, linkerd/linkerd2#7777): `timeout -s KILL N bash -c
 * 'exec 3<>/dev/tcp/127.0.0.1/PORT'`, as startup, liveness and (for RabbitMQ) readiness, executed
 * against real PostgreSQL and Redis servers. It means what a tcpSocket probe means without the
 * proxy: ready while something listens, not ready once nothing does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeBench } from './harness/bench.js';
import type { Subject } from './harness/pod.js';
import { freePort } from './harness/ports.js';
import { newServer } from './harness/servers.js';
import type { TestServer } from './harness/servers.js';
import { serverLabel } from './harness/versions.js';

const bench = new ProbeBench('mesh');
const LINKERD = { 'linkerd.io/inject': 'enabled' } as const;
let pg: TestServer;
let redis: TestServer;

const postgres = (port: number): Subject => ({
  family: 'postgres',
  annotations: LINKERD,
  container: { image: 'postgres:16', args: ['-p', String(port)] },
});
const cache = (port: number): Subject => ({
  family: 'redis',
  annotations: LINKERD,
  container: { image: 'redis:7.4', args: ['--port', String(port)] },
});
const rabbit = (port: number): Subject => ({
  family: 'rabbitmq',
  annotations: LINKERD,
  container: { image: 'rabbitmq:3.13', env: [{ name: 'RABBITMQ_NODE_PORT', value: String(port) }] },
});

beforeAll(async () => {
  pg = newServer('postgres', bench.root, await freePort());
  redis = newServer('redis', bench.root, await freePort());
  await pg.start([]);
  await redis.start([]);
});

afterAll(async () => {
  await pg.stop();
  await redis.stop();
  bench.dispose();
});

describe('the in-container TCP check under Linkerd', () => {
  it.each(['startup', 'liveness'] as const)('%s exits 0 while PostgreSQL listens', async (kind) => {
    const done = await bench.check({
      subject: postgres(pg.port),
      kind,
      case: `${kind}, server listening`,
      expect: 'ready',
      server: serverLabel('postgres'),
      port: pg.port,
    });
    expect(done.rendered.command.slice(4, 6)).toEqual(['bash', '-c']);
  });

  it('startup exits 0 while Redis listens, and RabbitMQ readiness uses the same check', async () => {
    await bench.check({
      subject: cache(redis.port),
      kind: 'startup',
      case: 'startup, server listening',
      expect: 'ready',
      server: serverLabel('redis'),
      port: redis.port,
    });
    // Any listener stands in for the AMQP port: the check only connects.
    await bench.check({
      subject: rabbit(redis.port),
      case: 'readiness (RabbitMQ, RABBITMQ_NODE_PORT), a listener',
      expect: 'ready',
      server: serverLabel('redis'),
      port: redis.port,
    });
  });

  it('exits non-zero on a port nothing listens on', async () => {
    await bench.checkWrongPort(postgres, '-p', { kind: 'startup' });
    await bench.checkWrongPort(rabbit, 'RABBITMQ_NODE_PORT');
  });

  it('exits 0 against a listener that accepts and never answers: a TCP check, as tcpSocket', async () => {
    await bench.checkHang(postgres, { kind: 'liveness', expect: 'ready' });
  });

  it('exits non-zero once the server is stopped', async () => {
    await pg.stop();
    await bench.check({
      subject: postgres(pg.port),
      kind: 'liveness',
      case: 'liveness, server stopped',
      expect: 'not-ready',
      server: `${serverLabel('postgres')}, stopped`,
      port: pg.port,
    });
  });
});
