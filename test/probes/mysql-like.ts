/**
 * @module probes/mysql-like — the shared conformance cases of the MySQL-protocol families
 * (`mysqladmin` / `mariadb-admin` ping over TCP), run against a MariaDB or an Oracle MySQL server
 * whose root account has a password the probe never gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeBench } from './harness/bench.js';
import type { Subject } from './harness/pod.js';
import { freePort } from './harness/ports.js';
import { newServer } from './harness/servers.js';
import type { TestServer } from './harness/servers.js';
import { serverLabel } from './harness/versions.js';

/** One Pod shape under test; `path` replaces the image PATH (an image lacking some tools). */
export interface MysqlLikeSubject {
  readonly subject: (port: number) => Subject;
  readonly path?: (bench: ProbeBench) => string;
}

export interface MysqlLikeSuite {
  readonly engine: 'mariadb' | 'mysql';
  readonly name: string;
  readonly subjects: Readonly<Record<string, MysqlLikeSubject>>;
  /** The subject whose port comes from an env var (used for the wrong-port and hang cases). */
  readonly envPortSubject: string;
}

const ROOT_PASSWORD = 'root-secret';

/** mysqlLikeSuite declares the cases for one server engine. */
export function mysqlLikeSuite(suite: MysqlLikeSuite): void {
  const bench = new ProbeBench(suite.engine);
  let server: TestServer;
  let label: string;
  const names = Object.keys(suite.subjects);
  const pick = (name: string): MysqlLikeSubject => suite.subjects[name]!;
  const pathOf = (name: string): { path?: string } => {
    const make = pick(name).path;
    return make === undefined ? {} : { path: make(bench) };
  };

  beforeAll(async () => {
    label = serverLabel(suite.engine);
    server = newServer(suite.engine, bench.root, await freePort());
    await server.start(['--password', ROOT_PASSWORD]);
  });

  afterAll(async () => {
    await server.stop();
    bench.dispose();
  });

  describe(`${suite.name} ping readiness against a server with a root password`, () => {
    it.each(names)(
      'exits 0 for %s without credentials: "Access denied" still means the server is up',
      async (name) => {
        const outcome = await bench.check({
          subject: pick(name).subject(server.port),
          case: `ready, root password, no credentials (${name})`,
          expect: 'ready',
          server: label,
          port: server.port,
          ...pathOf(name),
        });
        expect(outcome.stdout + outcome.stderr).toMatch(/Access denied/);
      },
    );

    it('exits non-zero when the Pod env names a port nothing listens on', async () => {
      await bench.checkWrongPort(
        (port) => pick(suite.envPortSubject).subject(port),
        suite.envPortSubject,
      );
    });

    it('exits non-zero within timeoutSeconds when the server accepts TCP but never answers', async () => {
      await bench.checkHang((port) => pick(suite.envPortSubject).subject(port));
    });
  });

  describe(`${suite.name} ping readiness against the init-time --skip-networking server`, () => {
    beforeAll(async () => {
      await server.stop();
      await server.start(['--skip-networking']);
    });

    it.each(names)('exits non-zero for %s: a socket-only server is not ready', async (name) => {
      await bench.check({
        subject: pick(name).subject(server.port),
        case: `starting: --skip-networking temp server (${name})`,
        expect: 'not-ready',
        server: `${label}, --skip-networking`,
        port: server.port,
        ...pathOf(name),
      });
    });
  });

  describe(`${suite.name} ping readiness against a stopped server`, () => {
    beforeAll(async () => {
      await server.stop();
    });

    it.each(names)('exits non-zero for %s', async (name) => {
      await bench.check({
        subject: pick(name).subject(server.port),
        case: `stopped (${name})`,
        expect: 'not-ready',
        server: `${label}, stopped`,
        port: server.port,
        ...pathOf(name),
      });
    });
  });
}
