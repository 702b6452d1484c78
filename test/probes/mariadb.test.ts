/**
 * @module probes/mariadb — mariadb-admin / mysqladmin ping readiness for the MariaDB images
 * (10.4 → mysqladmin, 10.5+ → mariadb-admin, unknown version → `command -v` script; official,
 * Bitnami, Bitnami Galera), executed against a real MariaDB server.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeBench } from './harness/bench.js';
import type { EnvVar } from './harness/env.js';
import { literal, secretRef } from './harness/pod.js';
import type { Subject } from './harness/pod.js';
import { mysqlLikeSuite } from './mysql-like.js';

const password = secretRef('MARIADB_ROOT_PASSWORD', 'db', 'root-password');
const secrets = { 'db/root-password': 'root-secret' };

/** A MariaDB Pod: the image, its args and extra env, for the server's `port`. */
const mariadb =
  (image: string, args: (port: number) => string[], env: (port: number) => EnvVar[] = () => []) =>
  (port: number): Subject => ({
    family: 'mariadb',
    container: { image, args: args(port), env: [password, ...env(port)] },
    secrets,
  });
const noArgs = (): string[] => [];
const portNumberEnv = (port: number): EnvVar[] => [literal('MARIADB_PORT_NUMBER', port)];

/** A PATH with only sh, timeout and mysqladmin: a MariaDB image older than mariadb-admin. */
function onlyMysqladmin(bench: ProbeBench): string {
  const bin = join(bench.root, 'bin-only-mysqladmin');
  mkdirSync(bin, { recursive: true });
  for (const [name, target] of [
    ['sh', '/bin/sh'],
    ['timeout', '/usr/bin/timeout'],
    ['mysqladmin', '/usr/bin/mysqladmin'],
  ] as const) {
    try {
      symlinkSync(target, join(bin, name));
    } catch {
      // already made by an earlier case
    }
  }
  return bin;
}

mysqlLikeSuite({
  engine: 'mariadb',
  name: 'MariaDB',
  envPortSubject: 'mariadb:10.11, MYSQL_TCP_PORT',
  subjects: {
    'mariadb:10.11, MYSQL_TCP_PORT': {
      subject: mariadb('mariadb:10.11', noArgs, (p) => [literal('MYSQL_TCP_PORT', p)]),
    },
    'mariadb:11.4, args --port': {
      subject: mariadb('mariadb:11.4', (p) => ['--port', String(p)]),
    },
    'mariadb:10.4 (mysqladmin), args --port=': {
      subject: mariadb('mariadb:10.4', (p) => [`--port=${p}`]),
    },
    'mariadb:latest (command -v, takes mariadb-admin)': {
      subject: mariadb('mariadb:latest', (p) => ['--port', String(p)]),
    },
    'mariadb:latest (command -v, image with only mysqladmin)': {
      subject: mariadb('mariadb:latest', (p) => ['--port', String(p)]),
      path: onlyMysqladmin,
    },
    'mariadb:10.11, args --port overrides MYSQL_TCP_PORT': {
      subject: mariadb(
        'mariadb:10.11',
        (p) => ['--port', String(p)],
        () => [literal('MYSQL_TCP_PORT', 3306)],
      ),
    },
    'Bitnami 10.11, MARIADB_PORT_NUMBER': {
      subject: mariadb('bitnami/mariadb:10.11', noArgs, portNumberEnv),
    },
    'Bitnami 10.4 (mysqladmin), MARIADB_PORT_NUMBER': {
      subject: mariadb('bitnami/mariadb:10.4', noArgs, portNumberEnv),
    },
    'Bitnami latest (command -v), MARIADB_PORT_NUMBER': {
      subject: mariadb('bitnami/mariadb:latest', noArgs, portNumberEnv),
    },
    'Bitnami Galera 10.11, MARIADB_PORT_NUMBER': {
      subject: mariadb('bitnami/mariadb-galera:10.11', noArgs, portNumberEnv),
    },
    'Bitnami Galera 10.4 (mysqladmin), MARIADB_PORT_NUMBER': {
      subject: mariadb('bitnami/mariadb-galera:10.4', noArgs, portNumberEnv),
    },
    'Bitnami Galera latest (command -v), MARIADB_PORT_NUMBER': {
      subject: mariadb('bitnami/mariadb-galera:latest', noArgs, portNumberEnv),
    },
  },
});
