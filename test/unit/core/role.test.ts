// Role detection: the same image runs servers, clients, sentinels and jobs.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../../src/core/index.js';
import type { Family } from '../../../src/core/index.js';
import { detectRole } from '../../../src/core/role.js';

function role(family: Family, command: string[], args: string[] = []): string {
  const r = detectRole({ command, args, lookup: () => null }, DEFAULT_CATALOG.roles[family]);
  switch (r.kind) {
    case 'server':
      return 'server';
    case 'client':
      return `client:${r.tool}`;
    case 'side':
      return `side:${r.role}`;
    case 'mixed':
      return 'mixed';
    case 'unknown':
      return 'unknown';
  }
}

describe('detectRole', () => {
  it.each<[Family, string[], string[], string]>([
    ['postgres', [], [], 'server'],
    ['postgres', [], ['-c', 'max_connections=200'], 'server'],
    ['postgres', [], ['postgres', '-c', 'shared_buffers=1GB'], 'server'],
    ['postgres', ['docker-entrypoint.sh'], ['postgres'], 'server'],
    [
      'postgres',
      ['/usr/local/bin/docker-entrypoint.sh', 'pg_dump'],
      ['-h', 'db'],
      'client:pg_dump',
    ],
    ['postgres', ['psql', '-c', 'select 1'], [], 'client:psql'],
    [
      'postgres',
      ['sh', '-c', 'until pg_isready -h db; do sleep 1; done; psql -h db -f /init.sql'],
      [],
      'client:pg_isready',
    ],
    [
      'postgres',
      ['/bin/bash', '-ec', 'exec docker-entrypoint.sh postgres -c wal_level=logical'],
      [],
      'server',
    ],
    [
      'postgres',
      ['/opt/bitnami/scripts/postgresql/entrypoint.sh', '/opt/bitnami/scripts/postgresql/run.sh'],
      [],
      'server',
    ],
    ['postgres', ['tini', '--', 'postgres'], [], 'server'],
    ['postgres', ['gosu', 'postgres', 'postgres'], [], 'server'],
    ['postgres', ['/scripts/custom-start.sh'], [], 'unknown'],
    ['postgres', ['sleep', 'infinity'], [], 'unknown'],
    ['redis', [], ['--appendonly', 'yes'], 'server'],
    ['redis', ['redis-server', '/etc/redis/redis.conf'], [], 'server'],
    ['redis', ['redis-sentinel', '/etc/s.conf'], [], 'side:sentinel'],
    ['redis', ['redis-server'], ['/etc/s.conf', '--sentinel'], 'side:sentinel'],
    ['redis', ['sh', '-c', 'redis-server /c/s.conf --sentinel'], [], 'side:sentinel'],
    ['redis', ['redis-cli', '-h', 'cache', 'monitor'], [], 'client:redis-cli'],
    ['mysql', ['mysqld', '--character-set-server=utf8mb4'], [], 'server'],
    [
      'mysql',
      ['sh', '-c', 'mysqldump -h db --all-databases > /backup/all.sql'],
      [],
      'client:mysqldump',
    ],
    ['mariadb', ['docker-entrypoint.sh', 'mariadbd'], [], 'server'],
    ['mariadb', ['mariadb-backup', '--backup'], [], 'client:mariadb-backup'],
    ['rabbitmq', ['rabbitmq-server'], [], 'server'],
    ['rabbitmq', ['rabbitmqctl', 'list_queues'], [], 'client:rabbitmqctl'],
    ['kafka', ['/etc/kafka/docker/run'], [], 'server'],
    ['kafka', ['/opt/kafka/bin/kafka-server-start.sh', '/c/server.properties'], [], 'server'],
    ['kafka', ['connect-distributed.sh', '/c/connect.properties'], [], 'side:kafka-connect'],
    [
      'kafka',
      ['/bin/bash', '-c', 'kafka-topics.sh --create --topic t'],
      [],
      'client:kafka-topics.sh',
    ],
    ['mongo', [], ['--replSet', 'rs0'], 'server'],
    ['mongo', ['mongos', '--configdb', 'cfg/a:27019'], [], 'server'],
    ['mongo', ['mongosh', '--eval', 'rs.initiate()'], [], 'client:mongosh'],
    ['mongo', ['mongo'], [], 'client:mongo'],
    [
      'mongo',
      ['sh', '-c', 'mongod --fork --logpath /l && mongorestore /dump && mongod --shutdown'],
      [],
      'mixed',
    ],
    [
      'mongo',
      [
        'bash',
        '-c',
        'mongod --replSet rs0 --bind_ip_all & sleep 5; mongosh --eval "rs.initiate()"; wait',
      ],
      [],
      'server',
    ],
    // Exec wrappers, each with its own options and positional words (catalog WRAPPERS).
    ['mongo', ['numactl', '--interleave=all', 'mongod', '--configsvr'], [], 'server'],
    ['mongo', ['numactl', '-i', 'all', '-N', '0', 'mongod'], [], 'server'],
    ['postgres', ['taskset', '-c', '0-3', 'postgres'], [], 'server'],
    ['postgres', ['chrt', '-f', '50', 'postgres'], [], 'server'],
    ['redis', ['ionice', '-c', '2', '-n', '7', 'redis-server'], [], 'server'],
    ['redis', ['nice', '-n', '10', 'redis-server'], [], 'server'],
    ['mysql', ['setpriv', '--reuid=999', '--regid=999', '--init-groups', 'mysqld'], [], 'server'],
    ['postgres', ['chpst', '-u', 'postgres', 'postgres'], [], 'server'],
    ['postgres', ['catatonit', '--', 'docker-entrypoint.sh', 'postgres'], [], 'server'],
    ['redis', ['env', 'A=1', 'redis-server', '--port', '6380'], [], 'server'],
    [
      'postgres',
      ['dumb-init', '--', 'gosu', 'postgres', 'pg_dump', '-h', 'x'],
      [],
      'client:pg_dump',
    ],
    // The official Redis entrypoint turns a first arg ending in .conf into redis-server (RD-DF).
    ['redis', [], ['/usr/local/etc/redis/redis.conf'], 'server'],
    ['redis', ['/usr/local/etc/redis/redis.conf'], [], 'unknown'],
    // Scripts that set variables, then exec the server or the image's own start script.
    [
      'redis',
      ['sh', '-c', 'export X=1; mkdir -p /data; exec redis-server --port $PORT'],
      [],
      'server',
    ],
    [
      'postgres',
      ['bash', '-c', 'set -e\nPGDATA=/d; exec docker-entrypoint.sh postgres -c x=1'],
      [],
      'server',
    ],
    [
      'redis',
      [
        'sh',
        '-c',
        'exec /opt/bitnami/scripts/redis/entrypoint.sh /opt/bitnami/scripts/redis/run.sh',
      ],
      [],
      'server',
    ],
    ['redis', ['sh', '-c', 'exec "$@"', '--', 'redis-server', '--port', '1'], [], 'server'],
    // What cannot be read is unknown, whoever asserts the family.
    ['redis', ['sh', '-c', 'eval "$START"; exec redis-server'], [], 'unknown'],
    ['redis', ['sh', '-c', 'redis-server --port 1 || redis-server --port 2'], [], 'unknown'],
    ['redis', ['$(SERVER)'], [], 'unknown'],
  ])('%s %j %j → %s', (family, command, args, expected) => {
    expect(role(family, command, args)).toBe(expected);
  });

  it('gives the server command its own words, not the whole script', () => {
    const r = detectRole(
      {
        command: [
          'sh',
          '-c',
          'until nc -z db 5432; do sleep 1; done; PORT=6380; exec redis-server --port $PORT',
        ],
        args: [],
        lookup: () => null,
      },
      DEFAULT_CATALOG.roles.redis,
    );
    expect(r).toMatchObject({ kind: 'server', words: ['redis-server', '--port', '6380'] });
  });

  it('says what it could not read', () => {
    const r = detectRole(
      { command: ['sh', '-c', 'f() { redis-server; }; f'], args: [], lookup: () => null },
      DEFAULT_CATALOG.roles.redis,
    );
    expect(r).toMatchObject({ kind: 'unknown', unreadable: 'the script defines a function' });
  });
});
