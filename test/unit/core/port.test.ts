// Port resolution: overrides, engine settings, declared ports, defaults, ambiguity.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG, findVariant } from '../../../src/core/index.js';
import type { Family } from '../../../src/core/index.js';
import { readEnv } from '../../../src/core/container-env.js';
import { resolvePort } from '../../../src/core/port.js';
import type { PortOverride } from '../../../src/core/port.js';

interface Input {
  family: Family;
  variant?: string;
  words?: string[];
  env?: Record<string, unknown>[];
  envFrom?: boolean;
  ports?: Record<string, unknown>[];
  mounts?: string[];
  override?: PortOverride;
}

function port(input: Input): string {
  const variant = findVariant(DEFAULT_CATALOG, input.family, input.variant ?? 'official')!;
  const container = {
    env: input.env ?? [],
    envFrom: input.envFrom === true ? [{ configMapRef: { name: 'c' } }] : undefined,
    ports: input.ports ?? [],
    volumeMounts: (input.mounts ?? []).map((mountPath) => ({ name: 'v', mountPath })),
  };
  const r = resolvePort({
    rules: variant.port,
    hidden: variant.hiddenConfig,
    profile: DEFAULT_CATALOG.profiles[input.family],
    words: input.words ?? [],
    env: readEnv(container),
    container,
    override: input.override,
  });
  return r.ok ? `${r.probePort}${r.tlsOnly ? ' tls' : ''}` : r.code;
}

describe('resolvePort', () => {
  it.each<[string, Input, string]>([
    ['the engine default', { family: 'postgres' }, '5432'],
    [
      'a declared port with a name is used by name',
      { family: 'postgres', ports: [{ containerPort: 5432, name: 'pg' }] },
      'pg',
    ],
    [
      'declared ports without the default are ambiguous',
      { family: 'postgres', ports: [{ containerPort: 5433 }] },
      'port-ambiguous',
    ],
    [
      'UDP ports are not listeners for TCP probes',
      { family: 'redis', ports: [{ containerPort: 6380, protocol: 'UDP' }] },
      '6379',
    ],
    ['PGPORT', { family: 'postgres', env: [{ name: 'PGPORT', value: '5433' }] }, '5433'],
    [
      '-p beats PGPORT',
      {
        family: 'postgres',
        words: ['postgres', '-p', '5434'],
        env: [{ name: 'PGPORT', value: '5433' }],
      },
      '5434',
    ],
    ['-c port=', { family: 'postgres', words: ['-c', 'port=5435'] }, '5435'],
    [
      'PGPORT from a Secret is unresolved',
      {
        family: 'postgres',
        env: [{ name: 'PGPORT', valueFrom: { secretKeyRef: { name: 'a', key: 'b' } } }],
      },
      'port-unresolved',
    ],
    [
      'a non-numeric env port is unresolved',
      { family: 'postgres', env: [{ name: 'PGPORT', value: 'five' }] },
      'port-unresolved',
    ],
    [
      'an out-of-range port is unresolved',
      { family: 'postgres', words: ['-p', '70000'] },
      'port-unresolved',
    ],
    [
      'a service-link value is not a port',
      {
        family: 'redis',
        variant: 'bitnami',
        env: [{ name: 'REDIS_PORT', value: 'tcp://10.0.0.9:6379' }],
      },
      '6379',
    ],
    [
      'Bitnami port env',
      { family: 'redis', variant: 'bitnami', env: [{ name: 'REDIS_PORT_NUMBER', value: '7000' }] },
      '7000',
    ],
    [
      'Bitnami TLS port',
      {
        family: 'redis',
        variant: 'bitnami',
        env: [
          { name: 'REDIS_TLS_ENABLED', value: 'yes' },
          { name: 'REDIS_TLS_PORT_NUMBER', value: '6380' },
        ],
      },
      '6380 tls',
    ],
    [
      'redis --port 0 --tls-port is TLS only',
      { family: 'redis', words: ['redis-server', '--port', '0', '--tls-port', '6390'] },
      '6390 tls',
    ],
    [
      'redis.conf without a declared port is ambiguous',
      { family: 'redis', words: ['redis-server', '/etc/redis.conf'] },
      'port-ambiguous',
    ],
    [
      'redis.conf with a declared default port',
      {
        family: 'redis',
        words: ['redis-server', '/etc/redis.conf'],
        ports: [{ containerPort: 6379 }],
      },
      '6379',
    ],
    [
      'redis.conf and --port on the command line',
      { family: 'redis', words: ['redis-server', '/etc/redis.conf', '--port', '6400'] },
      '6400',
    ],
    [
      'mysql conf.d mount needs a declared port',
      { family: 'mysql', mounts: ['/etc/mysql/conf.d'] },
      'port-ambiguous',
    ],
    [
      'a mount over the parent directory counts',
      { family: 'mysql', mounts: ['/etc/mysql'], ports: [{ containerPort: 3306, name: 'mysql' }] },
      'mysql',
    ],
    [
      'envFrom hides env port settings',
      { family: 'postgres', variant: 'bitnami', envFrom: true },
      'port-ambiguous',
    ],
    ['mongod --shardsvr', { family: 'mongo', words: ['--shardsvr'] }, '27018'],
    [
      'mongod --configsvr --port wins',
      { family: 'mongo', words: ['--configsvr', '--port', '27100'] },
      '27100',
    ],
    [
      'annotation number',
      {
        family: 'postgres',
        override: { value: 6000 },
        ports: [{ containerPort: 6000, name: 'db' }],
      },
      'db',
    ],
    [
      'annotation name that is not declared',
      { family: 'postgres', override: { value: 'nope' } },
      'port-unresolved',
    ],
    [
      'invalid annotation never falls back to the default',
      { family: 'postgres', override: { invalid: 'x' } },
      'port-unresolved',
    ],
  ])('%s', (_name, input, expected) => {
    expect(port(input)).toBe(expected);
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'KRaft combined node',
      {
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      },
      '9092',
    ],
    [
      'controller-only node',
      { KAFKA_PROCESS_ROLES: 'controller', KAFKA_LISTENERS: 'CONTROLLER://:9093' },
      '9093',
    ],
    [
      'custom controller listener name',
      {
        KAFKA_PROCESS_ROLES: 'controller',
        KAFKA_LISTENERS: 'CTRL://0.0.0.0:19093',
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CTRL',
      },
      '19093',
    ],
    [
      'localhost listeners are skipped',
      {
        KAFKA_LISTENERS:
          'PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:9092',
      },
      '9092',
    ],
    [
      'only localhost listeners are ambiguous',
      { KAFKA_LISTENERS: 'PLAINTEXT://127.0.0.1:9092' },
      'port-ambiguous',
    ],
    ['malformed listeners are unresolved', { KAFKA_LISTENERS: 'nonsense' }, 'port-unresolved'],
  ])('kafka: %s', (_name, env, expected) => {
    expect(
      port({
        family: 'kafka',
        variant: 'apache',
        env: Object.entries(env).map(([name, value]) => ({ name, value })),
      }),
    ).toBe(expected);
  });
});
