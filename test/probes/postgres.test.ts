/**
 * @module probes/postgres — pg_isready readiness, as the engine renders it for the official,
 * Bitnami and PostGIS images, executed against a real PostgreSQL server.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ProbeBench } from './harness/bench.js';
import { literal, secretRef } from './harness/pod.js';
import type { Subject } from './harness/pod.js';
import { freePort } from './harness/ports.js';
import { newServer } from './harness/servers.js';
import type { TestServer } from './harness/servers.js';
import { serverLabel } from './harness/versions.js';

const bench = new ProbeBench('postgres');

/**
 * Runs argv in a private mount namespace whose /opt looks like the Bitnami image's: the first-run
 * marker `/opt/bitnami/postgresql/tmp/.initialized` exists once setup has finished.
 */
const bitnamiLayout =
  (initialized: boolean) =>
  (argv: readonly string[]): readonly string[] => [
    'unshare',
    '--mount',
    '--propagation',
    'private',
    '--',
    'sh',
    '-c',
    'mount -t tmpfs -o mode=755 tmpfs /opt && mkdir -p /opt/bitnami/postgresql/tmp && ' +
      `${initialized ? 'touch /opt/bitnami/postgresql/tmp/.initialized && ' : ''}exec "$@"`,
    'bitnami-layout',
    ...argv,
  ];

/** Subjects whose image layout the probe depends on. */
const WRAPS: Readonly<Record<string, (argv: readonly string[]) => readonly string[]>> = {
  'Bitnami, POSTGRESQL_PORT_NUMBER': bitnamiLayout(true),
};
let pg: TestServer;
let label: string;

/** The Pods under test, each naming the port `port` the way its image reads it. */
const subjects = (port: number): Record<string, Subject> => ({
  'POSTGRES_USER literal, PGPORT': {
    family: 'postgres',
    container: {
      image: 'postgres:15',
      env: [
        literal('POSTGRES_USER', 'app'),
        secretRef('POSTGRES_PASSWORD', 'db', 'password'),
        literal('PGPORT', port),
      ],
    },
    secrets: { 'db/password': 'pg-secret' },
  },
  'POSTGRES_USER from a Secret (sh -c), -c port=': {
    family: 'postgres',
    container: {
      image: 'postgres:15',
      args: ['-c', `port=${port}`],
      env: [
        secretRef('POSTGRES_USER', 'db', 'user'),
        secretRef('POSTGRES_PASSWORD', 'db', 'password'),
      ],
    },
    secrets: { 'db/user': 'app', 'db/password': 'pg-secret' },
  },
  'Bitnami, POSTGRESQL_PORT_NUMBER': {
    family: 'postgres',
    container: {
      image: 'bitnami/postgresql:15.10.0-debian-12-r2',
      env: [
        literal('POSTGRESQL_PORT_NUMBER', port),
        secretRef('POSTGRESQL_PASSWORD', 'db', 'password'),
      ],
    },
    secrets: { 'db/password': 'pg-secret' },
  },
  'PostGIS, args -p': {
    family: 'postgres',
    container: { image: 'postgis/postgis:15-3.4', args: ['-p', String(port)] },
  },
  'args -p overrides PGPORT': {
    family: 'postgres',
    container: { image: 'postgres:15', args: ['-p', String(port)], env: [literal('PGPORT', 5432)] },
  },
  'TimescaleDB, PGPORT': {
    family: 'postgres',
    container: { image: 'timescale/timescaledb:2.17.2-pg15', env: [literal('PGPORT', port)] },
  },
  'pgvector, PGPORT': {
    family: 'postgres',
    container: { image: 'pgvector/pgvector:pg15', env: [literal('PGPORT', port)] },
  },
  'Bitnami repmgr, POSTGRESQL_PORT_NUMBER': {
    family: 'postgres',
    container: {
      image: 'bitnami/postgresql-repmgr:15',
      env: [literal('POSTGRESQL_PORT_NUMBER', port)],
    },
  },
});

beforeAll(async () => {
  label = serverLabel('postgres');
  pg = newServer('postgres', bench.root, await freePort());
  await pg.start(['--user', 'app', '--password', 'pg-secret']);
});

afterAll(async () => {
  await pg.stop();
  bench.dispose();
});

describe('pg_isready readiness against a PostgreSQL server accepting connections', () => {
  it.each(Object.keys(subjects(0)))('exits 0 for %s (port from the Pod)', async (name) => {
    const wrap = WRAPS[name];
    await bench.check({
      subject: subjects(pg.port)[name]!,
      case: `ready (${name})`,
      expect: 'ready',
      server: label,
      port: pg.port,
      ...(wrap === undefined ? {} : { wrap }),
    });
  });

  it('exits non-zero for Bitnami before its first-run setup has finished (no .initialized)', async () => {
    await bench.check({
      subject: subjects(pg.port)['Bitnami, POSTGRESQL_PORT_NUMBER']!,
      case: 'Bitnami, setup not finished (no .initialized)',
      expect: 'not-ready',
      server: label,
      port: pg.port,
      wrap: bitnamiLayout(false),
    });
  });

  it('exits non-zero when PGPORT names a port nothing listens on', async () => {
    await bench.checkWrongPort(
      (port) => subjects(port)['POSTGRES_USER literal, PGPORT']!,
      'PGPORT',
    );
  });

  it('exits non-zero within timeoutSeconds when the server accepts TCP but never answers', async () => {
    await bench.checkHang((port) => subjects(port)['POSTGRES_USER literal, PGPORT']!);
  });
});

describe('pg_isready readiness against a standby that is not accepting connections', () => {
  beforeAll(async () => {
    await pg.stop();
    await pg.start(['--standby']);
  });

  it.each(['POSTGRES_USER literal, PGPORT', 'POSTGRES_USER from a Secret (sh -c), -c port='])(
    'exits non-zero for %s while the server rejects connections (recovery)',
    async (name) => {
      await bench.check({
        subject: subjects(pg.port)[name]!,
        case: `standby, hot_standby=off (${name})`,
        expect: 'not-ready',
        server: `${label}, standby`,
        port: pg.port,
      });
    },
  );
});

describe('pg_isready readiness against a stopped server', () => {
  beforeAll(async () => {
    await pg.stop();
  });

  it.each(['POSTGRES_USER literal, PGPORT', 'Bitnami, POSTGRESQL_PORT_NUMBER'])(
    'exits non-zero for %s',
    async (name) => {
      await bench.check({
        subject: subjects(pg.port)[name]!,
        case: `stopped (${name})`,
        expect: 'not-ready',
        server: `${label}, stopped`,
        port: pg.port,
      });
    },
  );
});
