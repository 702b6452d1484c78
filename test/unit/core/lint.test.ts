// The lint of the probes a container already has: every rule fires on the hazard it names and
// stays silent on the sound form of the same probe; the probes autoprobe adds raise no finding.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_CONFIG,
  LINT_RULES,
  mutateTemplate,
  planPod,
} from '../../../src/core/index.js';
import type { LintCode } from '../../../src/core/index.js';
import { podArb } from '../../generators/pods.js';

type Container = Record<string, unknown>;

const tcp = (port: number | string, extra: Record<string, number> = {}): Container => ({
  tcpSocket: { port },
  ...extra,
});
const exec = (command: string[], extra: Record<string, number> = {}): Container => ({
  exec: { command },
  ...extra,
});
const sh = (script: string, extra: Record<string, number> = {}): Container =>
  exec(['sh', '-c', script], extra);
const KAFKA_ENV = [
  { name: 'KAFKA_CFG_PROCESS_ROLES', value: 'controller,broker' },
  { name: 'KAFKA_CFG_LISTENERS', value: 'PLAINTEXT://:9092,CONTROLLER://:9093' },
  { name: 'KAFKA_CFG_CONTROLLER_LISTENER_NAMES', value: 'CONTROLLER' },
];
/** A startup probe with a budget long enough for any family. */
const STARTUP = { startupProbe: tcp(0, { periodSeconds: 10, failureThreshold: 720 }) };

/** codesOf plans a one-container Pod and returns the codes the lint finds, by probe. */
function findingsOf(container: Container, annotations: Record<string, string> = {}): string[] {
  const pod = {
    metadata: { annotations },
    spec: { containers: [{ name: 'c', ...container }] },
  };
  const decision = planPod(pod, DEFAULT_ENGINE_CONFIG).decisions[0];
  return (decision?.findings ?? []).map((f) => `${f.probe}:${f.code}`);
}

interface Row {
  readonly code: LintCode;
  readonly fires: Container;
  readonly sound: Container;
  readonly annotations?: Record<string, string>;
}

const ROWS: Row[] = [
  {
    code: 'probe-port-not-listening',
    fires: { image: 'postgres:16', args: ['-c', 'port=5433'], readinessProbe: tcp(5432) },
    sound: { image: 'postgres:16', args: ['-c', 'port=5433'], readinessProbe: tcp(5433) },
  },
  {
    code: 'probe-port-not-listening',
    fires: { image: 'mongo:7', args: ['--configsvr'], readinessProbe: tcp(27017) },
    sound: { image: 'mongo:7', args: ['--configsvr'], readinessProbe: tcp(27019) },
  },
  {
    // A combined node listens on its controller listener too: probing it is sound.
    code: 'probe-port-not-listening',
    fires: { image: 'bitnami/kafka:3.9', env: KAFKA_ENV, readinessProbe: tcp(9094) },
    sound: { image: 'bitnami/kafka:3.9', env: KAFKA_ENV, readinessProbe: tcp(9093) },
  },
  {
    code: 'tcp-probe-loopback-server',
    fires: { image: 'redis:7', args: ['--bind', '127.0.0.1'], readinessProbe: tcp(6379) },
    sound: { image: 'redis:7', args: ['--bind', '0.0.0.0'], readinessProbe: tcp(6379) },
  },
  {
    code: 'probe-tool-missing',
    fires: {
      image: 'mariadb:11.4',
      readinessProbe: sh('timeout 4 mysqladmin ping', { timeoutSeconds: 5 }),
    },
    sound: {
      image: 'mariadb:11.4',
      readinessProbe: sh('timeout 4 mariadb-admin ping', { timeoutSeconds: 5 }),
    },
  },
  {
    code: 'probe-tool-missing',
    fires: {
      image: 'mongo:7.0',
      readinessProbe: sh('timeout 4 mongo --eval 1', { timeoutSeconds: 5 }),
    },
    sound: {
      image: 'mongo:5.0',
      readinessProbe: sh('timeout 4 mongo --eval 1', { timeoutSeconds: 5 }),
    },
  },
  {
    code: 'exec-without-credentials',
    fires: {
      image: 'redis:7',
      args: ['--requirepass', '$(REDIS_PASSWORD)'],
      env: [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } }],
      readinessProbe: sh('timeout 4 redis-cli ping', { timeoutSeconds: 5 }),
    },
    sound: {
      image: 'redis:7',
      args: ['--requirepass', '$(REDIS_PASSWORD)'],
      env: [
        { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } },
        { name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } },
      ],
      readinessProbe: sh('timeout 4 redis-cli ping', { timeoutSeconds: 5 }),
    },
  },
  {
    code: 'startup-budget-too-short',
    fires: { image: 'postgres:16', startupProbe: tcp(5432) },
    sound: { image: 'postgres:16', startupProbe: tcp(5432, { failureThreshold: 360 }) },
  },
  {
    code: 'liveness-without-startup',
    fires: { image: 'postgres:16', livenessProbe: tcp(5432) },
    sound: { image: 'postgres:16', livenessProbe: tcp(5432, { initialDelaySeconds: 3600 }) },
  },
  {
    code: 'liveness-on-ha-manager',
    fires: {
      image: 'postgres:16',
      env: [{ name: 'PATRONI_SCOPE', value: 'main' }],
      ...STARTUP,
      livenessProbe: tcp(5432),
    },
    sound: {
      image: 'postgres:16',
      env: [{ name: 'PATRONI_SCOPE', value: 'main' }],
      readinessProbe: tcp(5432),
    },
  },
  {
    code: 'heavy-cli-in-liveness',
    fires: {
      image: 'rabbitmq:4',
      ...STARTUP,
      livenessProbe: exec(['rabbitmq-diagnostics', '-q', 'ping'], { timeoutSeconds: 20 }),
    },
    sound: {
      image: 'rabbitmq:4',
      readinessProbe: exec(['rabbitmq-diagnostics', '-q', 'ping'], { timeoutSeconds: 20 }),
    },
  },
  {
    code: 'heavy-cli-in-liveness',
    fires: {
      image: 'bitnami/kafka:3.9',
      ...STARTUP,
      livenessProbe: exec(['kafka-broker-api-versions.sh', '--bootstrap-server', 'localhost:9092']),
    },
    sound: { image: 'bitnami/kafka:3.9', ...STARTUP, livenessProbe: tcp(9092) },
  },
  {
    code: 'http-probe-on-server-port',
    fires: { image: 'redis:7', readinessProbe: { httpGet: { port: 6379, path: '/' } } },
    sound: { image: 'redis:7', readinessProbe: { httpGet: { port: 9121, path: '/' } } },
  },
  {
    code: 'pg-isready-over-socket',
    fires: {
      image: 'postgres:16',
      readinessProbe: sh('timeout 4 pg_isready -U postgres', { timeoutSeconds: 5 }),
    },
    sound: {
      image: 'postgres:16',
      readinessProbe: sh('timeout 4 pg_isready -h 127.0.0.1 -U postgres', { timeoutSeconds: 5 }),
    },
  },
  {
    code: 'tcp-probe-under-mesh',
    annotations: { 'linkerd.io/inject': 'enabled' },
    fires: { image: 'redis:7', readinessProbe: tcp(6379) },
    sound: {
      image: 'redis:7',
      readinessProbe: sh('timeout 4 redis-cli ping', { timeoutSeconds: 5 }),
    },
  },
  {
    code: 'exec-tool-without-timeout',
    fires: { image: 'redis:7', readinessProbe: exec(['redis-cli', 'ping']) },
    sound: {
      image: 'redis:7',
      readinessProbe: exec(['timeout', '4', 'redis-cli', 'ping'], { timeoutSeconds: 5 }),
    },
  },
  {
    code: 'probe-thresholds-invalid',
    fires: { image: 'redis:7', ...STARTUP, livenessProbe: tcp(6379, { successThreshold: 2 }) },
    sound: { image: 'redis:7', ...STARTUP, livenessProbe: tcp(6379) },
  },
];

describe('the lint of existing probes', () => {
  for (const row of ROWS) {
    it(`${row.code} fires on ${JSON.stringify(row.fires).slice(0, 90)}`, () => {
      expect(findingsOf(row.fires, row.annotations).map((f) => f.split(':')[1])).toContain(
        row.code,
      );
    });
    it(`${row.code} stays silent on the sound form`, () => {
      expect(findingsOf(row.sound, row.annotations).map((f) => f.split(':')[1])).not.toContain(
        row.code,
      );
    });
  }

  it('has a case for every rule', () => {
    const covered = new Set(ROWS.map((r) => r.code));
    expect([...covered].sort()).toEqual(Object.keys(LINT_RULES).sort());
  });

  it('names the probe, the severity and a message', () => {
    const pod = {
      spec: { containers: [{ name: 'c', image: 'postgres:16', livenessProbe: tcp(5432) }] },
    };
    const [finding] = planPod(pod, DEFAULT_ENGINE_CONFIG).decisions[0]?.findings ?? [];
    expect(finding).toEqual({
      code: 'liveness-without-startup',
      probe: 'liveness',
      severity: 'error',
      message: expect.stringContaining('below the') as string,
      // autoprobe adds a startup probe in front of it.
      resolved: true,
    });
  });

  it('leaves a finding unresolved when autoprobe adds nothing that removes the hazard', () => {
    const pod = {
      metadata: { annotations: { 'autoprobe.dev/probes': 'c=readiness' } },
      spec: { containers: [{ name: 'c', image: 'postgres:16', livenessProbe: tcp(5432) }] },
    };
    const [finding] = planPod(pod, DEFAULT_ENGINE_CONFIG).decisions[0]?.findings ?? [];
    expect(finding?.code).toBe('liveness-without-startup');
    expect(finding?.resolved).toBe(false);
  });

  it('finds nothing where the container has no probe, or is not a server autoprobe knows', () => {
    expect(findingsOf({ image: 'postgres:16' })).toEqual([]);
    expect(findingsOf({ image: 'nginx:1.27', livenessProbe: tcp(6379) })).toEqual([]);
    expect(
      findingsOf({
        image: 'postgres:16',
        command: ['psql', '-c', 'select 1'],
        livenessProbe: tcp(1),
      }),
    ).toEqual([]);
  });

  it('raises no finding on a probe autoprobe added (generated Pods)', () => {
    fc.assert(
      fc.property(podArb, (pod) => {
        const first = mutateTemplate(pod, DEFAULT_ENGINE_CONFIG);
        const added = new Map(
          first.plan.decisions.flatMap((d) =>
            d.action === 'inject' ? [[`${d.list}/${d.container}`, d.kinds] as const] : [],
          ),
        );
        const again = planPod(first.mutated, DEFAULT_ENGINE_CONFIG);
        for (const d of again.decisions) {
          const kinds = added.get(`${d.list}/${d.container}`) ?? [];
          const onAdded = d.findings.filter((f) => kinds.includes(f.probe));
          expect(onAdded, `${d.container} ${d.image}`).toEqual([]);
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  }, 60_000);
});
