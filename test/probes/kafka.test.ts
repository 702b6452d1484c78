/**
 * @module probes/kafka — `kafka-broker-api-versions` readiness (asked for with the
 * `autoprobe.dev/readiness: server=exec` annotation; the default is TCP), as the engine renders it
 * for the Bitnami (`kafka-broker-api-versions.sh` on PATH), Confluent (no `.sh`, on PATH) and
 * Apache (`/opt/kafka/bin/…`, not on PATH) images, executed against a real KRaft broker.
 *
 * The tools are the broker's own jars behind shims with the distribution's script names. For the
 * Apache image's absolute path the argv runs in a private mount namespace (`unshare --mount`)
 * whose /opt/kafka is the cached Kafka home, the image's layout; the host's /opt is untouched.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ProbeBench } from './harness/bench.js';
import { toolEnv } from './harness/env.js';
import type { EnvVar } from './harness/env.js';
import { EXEC_READINESS, literal } from './harness/pod.js';
import type { Subject } from './harness/pod.js';
import { freePort } from './harness/ports.js';
import { newServer } from './harness/servers.js';
import type { TestServer } from './harness/servers.js';
import { kafkaHome, serverLabel } from './harness/versions.js';

const bench = new ProbeBench('kafka');
let broker: TestServer;
let controllerPort: number;
let label: string;
let tools: Record<string, string>;
let kafkaLayout: string;

/** Runs argv with /opt/kafka mounted from the cached Kafka home, like the apache/kafka image. */
const apacheLayout = (argv: readonly string[]): readonly string[] => [
  'unshare',
  '--mount',
  '--propagation',
  'private',
  '--',
  'sh',
  '-c',
  'mount -t tmpfs -o mode=755 tmpfs /opt && mkdir /opt/kafka && mount --bind "$0" /opt/kafka && exec "$@"',
  kafkaLayout,
  ...argv,
];

interface KafkaSubject {
  readonly subject: Subject;
  readonly wrap?: (argv: readonly string[]) => readonly string[];
}

const subjects = (port: number, extra: readonly EnvVar[] = []): Record<string, KafkaSubject> => ({
  'Bitnami, KAFKA_CFG_LISTENERS': {
    subject: {
      family: 'kafka',
      annotations: EXEC_READINESS,
      container: {
        image: 'bitnami/kafka:3.9',
        env: [
          literal('KAFKA_CFG_PROCESS_ROLES', 'broker,controller'),
          literal('KAFKA_CFG_LISTENERS', `PLAINTEXT://:${port},CONTROLLER://:${controllerPort}`),
          literal('KAFKA_CFG_CONTROLLER_LISTENER_NAMES', 'CONTROLLER'),
          ...extra,
        ],
      },
    },
  },
  'Confluent, KAFKA_LISTENERS': {
    subject: {
      family: 'kafka',
      annotations: EXEC_READINESS,
      container: {
        image: 'confluentinc/cp-kafka:7.6.0',
        env: [
          literal('KAFKA_PROCESS_ROLES', 'broker,controller'),
          literal(
            'KAFKA_LISTENERS',
            `PLAINTEXT://0.0.0.0:${port},CONTROLLER://0.0.0.0:${controllerPort}`,
          ),
          literal('KAFKA_CONTROLLER_LISTENER_NAMES', 'CONTROLLER'),
          ...extra,
        ],
      },
    },
  },
  'Apache, /opt/kafka/bin (mount namespace)': {
    subject: {
      family: 'kafka',
      annotations: EXEC_READINESS,
      container: {
        image: 'apache/kafka:3.9.0',
        env: [
          literal('KAFKA_PROCESS_ROLES', 'broker,controller'),
          literal('KAFKA_LISTENERS', `PLAINTEXT://:${port},CONTROLLER://:${controllerPort}`),
          literal('KAFKA_CONTROLLER_LISTENER_NAMES', 'CONTROLLER'),
          ...extra,
        ],
      },
    },
    wrap: apacheLayout,
  },
});
const names = Object.keys(subjects(0));

beforeAll(async () => {
  label = serverLabel('kafka');
  kafkaLayout = kafkaHome();
  controllerPort = await freePort();
  broker = newServer('kafka', bench.root, await freePort());
  await broker.start(['--controller-port', String(controllerPort)]);
  tools = toolEnv(broker.dir, bench.home);
});

afterAll(async () => {
  await broker.stop();
  bench.dispose();
});

describe('kafka-broker-api-versions readiness against a running broker', () => {
  it.each(names)('exits 0 for %s', async (name) => {
    const s = subjects(broker.port)[name]!;
    await bench.check({
      subject: s.subject,
      case: `ready (${name})`,
      expect: 'ready',
      server: label,
      port: broker.port,
      tools,
      ...(s.wrap === undefined ? {} : { wrap: s.wrap }),
    });
  });

  it('exits 0 although the broker env sets JMX_PORT to a port in use, KAFKA_OPTS and a large heap', async () => {
    const env = [
      literal('JMX_PORT', broker.port),
      literal('KAFKA_JMX_OPTS', '-Dcom.sun.management.jmxremote'),
      literal('KAFKA_OPTS', '-javaagent:/opt/bitnami/kafka/jmx_prometheus_javaagent.jar=7071'),
      literal('KAFKA_HEAP_OPTS', '-Xmx2g -Xms2g'),
    ];
    await bench.check({
      subject: subjects(broker.port, env)['Bitnami, KAFKA_CFG_LISTENERS']!.subject,
      case: 'ready, broker env JMX_PORT in use + KAFKA_OPTS agent + 2g heap (Bitnami)',
      expect: 'ready',
      server: label,
      port: broker.port,
      tools,
    });
  });

  it('exits non-zero when the listener env names a port nothing listens on', async () => {
    await bench.checkWrongPort(
      (port) => subjects(port)['Bitnami, KAFKA_CFG_LISTENERS']!.subject,
      'KAFKA_CFG_LISTENERS',
      { tools },
    );
  });

  it('exits non-zero within timeoutSeconds when the listener accepts TCP but never answers', async () => {
    await bench.checkHang((port) => subjects(port)['Bitnami, KAFKA_CFG_LISTENERS']!.subject, {
      tools,
    });
  });
});

describe('kafka-broker-api-versions readiness against a stopped broker', () => {
  beforeAll(async () => {
    await broker.stop();
  });

  it.each(names)('exits non-zero for %s', async (name) => {
    const s = subjects(broker.port)[name]!;
    await bench.check({
      subject: s.subject,
      case: `stopped (${name})`,
      expect: 'not-ready',
      server: `${label}, stopped`,
      port: broker.port,
      tools,
      ...(s.wrap === undefined ? {} : { wrap: s.wrap }),
    });
  });
});
