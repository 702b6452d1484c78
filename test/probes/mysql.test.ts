/**
 * @module probes/mysql — mysqladmin ping readiness for the MySQL images (official, Bitnami,
 * Percona Server), executed against a real Oracle MySQL 8.0 server. The client is MariaDB's
 * mysqladmin: Oracle's own client tools cannot be installed here (see servers/README.md).
 */
import type { EnvVar } from './harness/env.js';
import { literal, secretRef } from './harness/pod.js';
import type { Subject } from './harness/pod.js';
import { mysqlLikeSuite } from './mysql-like.js';

const password = secretRef('MYSQL_ROOT_PASSWORD', 'db', 'root-password');
const secrets = { 'db/root-password': 'root-secret' };

/** A MySQL Pod: the image, its args and extra env, for the server's `port`. */
const mysql =
  (image: string, args: (port: number) => string[], env: (port: number) => EnvVar[] = () => []) =>
  (port: number): Subject => ({
    family: 'mysql',
    container: { image, args: args(port), env: [password, ...env(port)] },
    secrets,
  });
const noArgs = (): string[] => [];

mysqlLikeSuite({
  engine: 'mysql',
  name: 'MySQL',
  envPortSubject: 'mysql:8.0, MYSQL_TCP_PORT',
  subjects: {
    'mysql:8.0, MYSQL_TCP_PORT': {
      subject: mysql('mysql:8.0', noArgs, (p) => [literal('MYSQL_TCP_PORT', p)]),
    },
    'mysql:8.0, args --port=': {
      subject: mysql('mysql:8.0', (p) => [`--port=${p}`]),
    },
    'mysql:8.0, args --port= overrides MYSQL_TCP_PORT': {
      subject: mysql(
        'mysql:8.0',
        (p) => [`--port=${p}`],
        () => [literal('MYSQL_TCP_PORT', 3306)],
      ),
    },
    'Bitnami, MYSQL_PORT_NUMBER': {
      subject: mysql('bitnami/mysql:8.0', noArgs, (p) => [literal('MYSQL_PORT_NUMBER', p)]),
    },
    'Percona Server, args --port': {
      subject: mysql('percona/percona-server:8.0', (p) => ['--port', String(p)]),
    },
  },
});
