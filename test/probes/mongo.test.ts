/**
 * @module probes/mongo — `db.adminCommand('ping')` readiness through mongosh, as the engine
 * renders it for mongo 7.0 (mongosh), mongo with an unknown version (`command -v mongo`, else
 * mongosh) and Bitnami, executed against a real Mongo-wire-protocol server.
 *
 * No real mongod can be installed here (MongoDB's download servers are unreachable and no package
 * registry ships it): FerretDB stands in, answering ping like a standalone mongod. The legacy
 * `mongo` shell (mongo <= 5.0 images) is not obtainable either, so that branch is not executed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeBench } from './harness/bench.js';
import { toolEnv } from './harness/env.js';
import { literal } from './harness/pod.js';
import type { Subject } from './harness/pod.js';
import { freePort } from './harness/ports.js';
import { newServer } from './harness/servers.js';
import type { TestServer } from './harness/servers.js';
import { serverLabel } from './harness/versions.js';

const bench = new ProbeBench('mongo');
let server: TestServer;
let label: string;
let tools: Record<string, string>;

const subjects = (port: number): Record<string, Subject> => ({
  'mongo:7.0, --port': {
    family: 'mongo',
    container: { image: 'mongo:7.0', args: ['--port', String(port)] },
  },
  'mongo:latest, --port (no legacy mongo shell: mongosh branch)': {
    family: 'mongo',
    container: { image: 'mongo:latest', args: ['--port', String(port)] },
  },
  'Bitnami, MONGODB_PORT_NUMBER': {
    family: 'mongo',
    container: { image: 'bitnami/mongodb:7.0', env: [literal('MONGODB_PORT_NUMBER', port)] },
  },
  'Bitnami latest (command -v: mongosh branch), MONGODB_PORT_NUMBER': {
    family: 'mongo',
    container: { image: 'bitnami/mongodb:latest', env: [literal('MONGODB_PORT_NUMBER', port)] },
  },
  'Bitnami sharded, MONGODB_PORT_NUMBER': {
    family: 'mongo',
    container: {
      image: 'bitnami/mongodb-sharded:7.0',
      env: [literal('MONGODB_PORT_NUMBER', port)],
    },
  },
});
const names = Object.keys(subjects(0));

beforeAll(async () => {
  label = serverLabel('mongodb');
  server = newServer('mongodb', bench.root, await freePort());
  await server.start();
  tools = toolEnv(server.dir, bench.home);
  // The `command -v mongo` branch must really fall through: no legacy shell on the probe's PATH.
  const dirs = (tools.PATH ?? '').split(':');
  expect(dirs.filter((d) => existsSync(join(d, 'mongo')))).toEqual([]);
  expect(dirs.some((d) => existsSync(join(d, 'mongosh')))).toBe(true);
});

afterAll(async () => {
  await server.stop();
  bench.dispose();
});

describe('mongosh ping readiness against a running server', () => {
  it.each(names)('exits 0 for %s', async (name) => {
    await bench.check({
      subject: subjects(server.port)[name]!,
      case: `ready (${name})`,
      expect: 'ready',
      server: label,
      port: server.port,
      tools,
    });
  });

  it('exits non-zero when --port names a port nothing listens on', async () => {
    await bench.checkWrongPort((port) => subjects(port)['mongo:7.0, --port']!, '--port', { tools });
  });

  it('exits non-zero within timeoutSeconds when the server accepts TCP but never answers', async () => {
    await bench.checkHang((port) => subjects(port)['mongo:7.0, --port']!, { tools });
  });
});

describe('mongosh ping readiness against a stopped server', () => {
  beforeAll(async () => {
    await server.stop();
  });

  it.each(names)('exits non-zero for %s', async (name) => {
    await bench.check({
      subject: subjects(server.port)[name]!,
      case: `stopped (${name})`,
      expect: 'not-ready',
      server: `${label}, stopped`,
      port: server.port,
      tools,
    });
  });
});
