/**
 * @module probes/rabbitmq — `rabbitmq-diagnostics -q check_running` readiness (asked for with the
 * `autoprobe.dev/readiness: server=exec` annotation; the default is TCP), as the engine renders
 * it for the official and Bitnami images, executed against a real RabbitMQ node.
 *
 * The command names no port: the CLI finds the node by name through epmd and authenticates with
 * the Erlang cookie in $HOME. In the images those are the defaults (rabbit@<hostname>, the image's
 * HOME); here the node is private, so its probe.env supplies HOME, RABBITMQ_NODENAME and
 * ERL_EPMD_PORT as the image stand-in. The "wrong port" analogue is a Pod env that names
 * another node; the hang case points the Pod's ERL_EPMD_PORT at a silent listener.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ProbeBench } from './harness/bench.js';
import { toolEnv } from './harness/env.js';
import { EXEC_READINESS, literal } from './harness/pod.js';
import type { Subject } from './harness/pod.js';
import type { EnvVar } from './harness/env.js';
import { freePort } from './harness/ports.js';
import { newServer } from './harness/servers.js';
import type { TestServer } from './harness/servers.js';
import { serverLabel } from './harness/versions.js';

const bench = new ProbeBench('rabbitmq');
let node: TestServer;
let label: string;
let tools: Record<string, string>;

const subjects = (port: number, extra: readonly EnvVar[] = []): Record<string, Subject> => ({
  'official, RABBITMQ_NODE_PORT': {
    family: 'rabbitmq',
    annotations: EXEC_READINESS,
    container: { image: 'rabbitmq:3.10', env: [literal('RABBITMQ_NODE_PORT', port), ...extra] },
  },
  'Bitnami, RABBITMQ_NODE_PORT_NUMBER': {
    family: 'rabbitmq',
    annotations: EXEC_READINESS,
    container: {
      image: 'bitnami/rabbitmq:3.10',
      env: [literal('RABBITMQ_NODE_PORT_NUMBER', port), ...extra],
    },
  },
});
const names = Object.keys(subjects(0));

beforeAll(async () => {
  label = serverLabel('rabbitmq');
  const port = await freePort();
  node = newServer('rabbitmq', bench.root, port);
  await node.start([
    '--dist-port',
    String(await freePort()),
    '--epmd-port',
    String(await freePort()),
  ]);
  tools = toolEnv(node.dir, bench.home);
});

afterAll(async () => {
  // A CLI run against a stopped node restarts the node's private epmd: stop cleans it up again.
  await node.stop();
  bench.dispose();
});

describe('check_running readiness against a fully booted node', () => {
  it.each(names)('exits 0 for %s', async (name) => {
    await bench.check({
      subject: subjects(node.port)[name]!,
      case: `ready (${name})`,
      expect: 'ready',
      server: label,
      tools,
    });
  });

  it('exits non-zero when the Pod env names another node (the port-less analogue of a wrong port)', async () => {
    await bench.check({
      subject: subjects(node.port, [literal('RABBITMQ_NODENAME', 'rabbit_other@localhost')])[
        names[0]!
      ]!,
      case: 'wrong node (RABBITMQ_NODENAME in the Pod env)',
      expect: 'not-ready',
      server: `${label}, other node name`,
      tools,
    });
  });

  it('exits non-zero within timeoutSeconds when epmd accepts TCP but never answers', async () => {
    await bench.checkHang(
      (port) => subjects(node.port, [literal('ERL_EPMD_PORT', port)])[names[0]!]!,
      {
        case: 'hang (ERL_EPMD_PORT: accepts, never answers)',
        server: 'hang listener as epmd',
        portInCommand: false,
        tools,
      },
    );
  });
});

describe('check_running readiness against a node whose app is stopped (stop_app)', () => {
  beforeAll(async () => {
    await node.extra('stop-app');
  });

  afterAll(async () => {
    await node.extra('start-app');
  });

  it.each(names)(
    'exits non-zero for %s while the VM is up but the app is not running',
    async (name) => {
      await bench.check({
        subject: subjects(node.port)[name]!,
        case: `app stopped: stop_app (${name})`,
        expect: 'not-ready',
        server: `${label}, stop_app`,
        tools,
      });
    },
  );
});

describe('check_running readiness against a stopped node', () => {
  beforeAll(async () => {
    await node.stop();
  });

  it.each(names)('exits non-zero for %s', async (name) => {
    await bench.check({
      subject: subjects(node.port)[name]!,
      case: `stopped (${name})`,
      expect: 'not-ready',
      server: `${label}, stopped`,
      tools,
    });
  });
});
