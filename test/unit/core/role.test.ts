// Role detection: the same image runs servers, clients, sentinels and jobs.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../../src/core/index.js';
import type { Family } from '../../../src/core/index.js';
import { detectRole } from '../../../src/core/role.js';

function role(family: Family, command: string[], args: string[] = []): string {
  const r = detectRole(command, args, DEFAULT_CATALOG.roles[family]);
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
  ])('%s %j %j → %s', (family, command, args, expected) => {
    expect(role(family, command, args)).toBe(expected);
  });
});
