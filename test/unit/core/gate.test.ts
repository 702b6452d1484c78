// The safety gate: each invariant vetoes the probe that breaks it and keeps the one that holds.
// Probes are handed to the gate directly, as a faulty planner could produce them.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CATALOG,
  DEFAULT_ENGINE_CONFIG,
  buildEngineConfig,
  planPod,
  probesOf,
} from '../../../src/core/index.js';
import type {
  ContainerDecision,
  Family,
  ImageVariant,
  JsonObject,
  Probe,
  ProbeKind,
} from '../../../src/core/index.js';
import { gate } from '../../../src/core/safety/gate.js';
import type { GateInput } from '../../../src/core/safety/gate.js';
import { INVARIANTS } from '../../../src/core/safety/invariants.js';
import { versionFromTag } from '../../../src/core/version.js';

const timing = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 5,
  successThreshold: 1,
  failureThreshold: 360,
};
const tcp = (port: number | string, t: Partial<Probe> = {}): Probe => ({
  tcpSocket: { port },
  ...timing,
  ...t,
});
const exec = (command: string[], t: Partial<Probe> = {}): Probe => ({
  exec: { command },
  ...timing,
  failureThreshold: 3,
  ...t,
});

function variant(family: Family, id = 'official'): ImageVariant {
  const found = DEFAULT_CATALOG.images.find((v) => v.family === family && v.variant === id);
  if (found === undefined) throw new Error(`no ${family}/${id}`);
  return found;
}

function run(
  family: Family,
  container: JsonObject,
  probes: Partial<Record<ProbeKind, Probe>>,
  extra: Partial<GateInput> = {},
): { kept: string[]; vetoes: string[] } {
  const v = extra.variant ?? variant(family);
  const result = gate({
    family,
    variant: v,
    tools: v.tools,
    image: { version: null, tag: null },
    container,
    spec: {},
    mesh: { effect: 'none' },
    portOverride: undefined,
    catalog: DEFAULT_CATALOG,
    probes,
    ...extra,
  });
  return {
    kept: Object.keys(result.probes),
    vetoes: result.vetoes.map((x) => `${x.kind}:${x.invariant}`),
  };
}

const pg = { name: 'db', image: 'postgres:16' };
const pgReady = exec([
  'timeout',
  '-s',
  'KILL',
  '4',
  'pg_isready',
  '-h',
  '127.0.0.1',
  '-p',
  '5432',
  '-U',
  'postgres',
  '-t',
  '3',
]);

describe('the safety gate', () => {
  it('documents every invariant with a rule, what it prevents and a source', () => {
    for (const [id, inv] of Object.entries(INVARIANTS)) {
      expect(inv.rule, id).not.toBe('');
      expect(inv.prevents, id).not.toBe('');
      expect(inv.source, id).not.toBe('');
    }
  });

  it('keeps a sound set of probes untouched', () => {
    expect(
      run('postgres', pg, { liveness: tcp(5432), startup: tcp(5432), readiness: pgReady }),
    ).toEqual({
      kept: ['liveness', 'readiness', 'startup'],
      vetoes: [],
    });
  });

  it('user-probe-kept: never adds a kind the container already has', () => {
    expect(
      run(
        'postgres',
        { ...pg, readinessProbe: { tcpSocket: { port: 5432 } } },
        { readiness: pgReady },
      ).vetoes,
    ).toEqual(['readiness:user-probe-kept']);
  });

  it('thresholds-valid: vetoes out-of-range fields and successThreshold ≠ 1 on liveness/startup', () => {
    expect(run('postgres', pg, { startup: tcp(5432, { periodSeconds: 0 }) }).vetoes).toEqual([
      'startup:thresholds-valid',
    ]);
    expect(run('postgres', pg, { startup: tcp(5432, { successThreshold: 2 }) }).vetoes).toEqual([
      'startup:thresholds-valid',
    ]);
    expect(
      run('postgres', pg, { readiness: tcp(5432, { successThreshold: 2, failureThreshold: 3 }) })
        .vetoes,
    ).toEqual([]);
  });

  it('liveness-needs-startup: drops liveness added alone, keeps it behind a startup probe set by the user', () => {
    expect(run('postgres', pg, { liveness: tcp(5432) }).vetoes).toEqual([
      'liveness:liveness-needs-startup',
    ]);
    expect(
      run(
        'postgres',
        { ...pg, startupProbe: { tcpSocket: { port: 5432 } } },
        { liveness: tcp(5432) },
      ).vetoes,
    ).toEqual([]);
  });

  it('startup-budget: vetoes a startup probe below the family minimum, and then the liveness behind it', () => {
    const short = tcp(5432, { failureThreshold: 10 });
    expect(run('postgres', pg, { startup: short, liveness: tcp(5432) }).vetoes).toEqual([
      'startup:startup-budget',
      'liveness:liveness-needs-startup',
    ]);
    expect(
      run(
        'redis',
        { name: 'c', image: 'redis:7' },
        { startup: tcp(6379, { periodSeconds: 5, failureThreshold: 30 }) },
      ).vetoes,
    ).toEqual([]);
  });

  it('port-is-listening: checks TCP and exec ports against the args and env, whatever the planner read', () => {
    const configsvr = {
      name: 'cfg',
      image: 'mongo:7',
      command: ['numactl', '--interleave=all', 'mongod', '--configsvr'],
    };
    expect(run('mongo', configsvr, { startup: tcp(27017) }).vetoes).toEqual([
      'startup:port-is-listening',
    ]);
    expect(run('mongo', configsvr, { startup: tcp(27019) }).vetoes).toEqual([]);
    const pgport = { ...pg, env: [{ name: 'PGPORT', value: '5433' }] };
    expect(run('postgres', pgport, { readiness: pgReady }).vetoes).toEqual([
      'readiness:port-is-listening',
    ]);
    expect(
      run(
        'postgres',
        { ...pg, ports: [{ containerPort: 5432, name: 'pg' }] },
        { startup: tcp('nope') },
      ).vetoes,
    ).toEqual(['startup:port-is-listening']);
  });

  it('port-is-listening: an annotation may name the port only where the args and env do not', () => {
    const args = { name: 'c', image: 'redis:7', args: ['--port', '6380'] };
    expect(
      run(
        'redis',
        args,
        { startup: tcp(6379, { periodSeconds: 5, failureThreshold: 30 }) },
        { portOverride: { value: 6379 } },
      ).vetoes,
    ).toEqual(['startup:port-is-listening']);
    const conf = { name: 'c', image: 'redis:7', args: ['/etc/redis/redis.conf'] };
    expect(
      run(
        'redis',
        conf,
        { startup: tcp(7000, { periodSeconds: 5, failureThreshold: 30 }) },
        { portOverride: { value: 7000 } },
      ).vetoes,
    ).toEqual([]);
    expect(
      run('redis', conf, { startup: tcp(7000, { periodSeconds: 5, failureThreshold: 30 }) }).vetoes,
    ).toEqual(['startup:port-is-listening']);
  });

  it('tcp-reaches-server: no TCP probe on a loopback-only server', () => {
    const loop = { name: 'c', image: 'redis:7', args: ['--bind', '127.0.0.1'] };
    expect(run('redis', loop, { readiness: tcp(6379, { failureThreshold: 3 }) }).vetoes).toEqual([
      'readiness:tcp-reaches-server',
    ]);
  });

  it('ha-readiness-only: no liveness or startup on Patroni, repmgr or Galera servers', () => {
    const patroni = { ...pg, env: [{ name: 'PATRONI_SCOPE', value: 'x' }] };
    expect(
      run('postgres', patroni, { startup: tcp(5432), liveness: tcp(5432), readiness: pgReady }),
    ).toEqual({
      kept: ['readiness'],
      vetoes: ['liveness:ha-readiness-only', 'startup:ha-readiness-only'],
    });
    const galera = { name: 'm', image: 'mariadb:11', args: ['--wsrep-on=ON'] };
    expect(run('mariadb', galera, { startup: tcp(3306) }).vetoes).toEqual([
      'startup:ha-readiness-only',
    ]);
  });

  it('tcp-means-what-it-says: no tcpSocket probe where a mesh proxy answers every connection', () => {
    const linkerd = { effect: 'intercepts', mesh: 'linkerd', evidence: 'test' } as const;
    expect(run('postgres', pg, { startup: tcp(5432) }, { mesh: linkerd }).vetoes).toEqual([
      'startup:tcp-means-what-it-says',
    ]);
    const inside = exec(
      ['timeout', '-s', 'KILL', '4', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/5432'],
      {
        failureThreshold: 360,
      },
    );
    expect(run('postgres', pg, { startup: inside }, { mesh: linkerd }).vetoes).toEqual([]);
    expect(
      run(
        'postgres',
        pg,
        { startup: tcp(5432) },
        { mesh: { effect: 'rewrites', mesh: 'istio', evidence: 'x' } },
      ).vetoes,
    ).toEqual([]);
    // The in-container check is held to the same port and tool rules.
    const wrong = exec(
      ['timeout', '-s', 'KILL', '4', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/5433'],
      { failureThreshold: 360 },
    );
    expect(run('postgres', pg, { startup: wrong }, { mesh: linkerd }).vetoes).toEqual([
      'startup:port-is-listening',
    ]);
    const alpine = { name: 'c', image: 'redis:7.4-alpine' };
    const redisInside = exec(
      ['timeout', '-s', 'KILL', '4', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/6379'],
      { periodSeconds: 5, failureThreshold: 30 },
    );
    expect(
      run(
        'redis',
        alpine,
        { startup: redisInside },
        { mesh: linkerd, image: { version: null, tag: '7.4-alpine' } },
      ).vetoes,
    ).toEqual(['startup:tool-in-image']);
  });

  it("exec-runs-as-built: no word the kubelet's probe-time $(VAR) expansion would change", () => {
    const pgWith = (command: string): Probe =>
      exec([
        'sh',
        '-c',
        `exec timeout -s KILL 4 pg_isready -h 127.0.0.1 -p 5432 -U ${command} -t 3`,
      ]);
    const container = {
      name: 'db',
      image: 'postgres:16',
      env: [
        { name: 'TEAM', value: 'x' },
        { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      ],
    };
    // A declared variable is replaced by its raw value; a Secret-backed one by "".
    expect(run('postgres', container, { readiness: pgWith("'$(TEAM)'") }).vetoes).toEqual([
      'readiness:exec-runs-as-built',
    ]);
    expect(run('postgres', container, { readiness: pgWith("'$(SECRET)'") }).vetoes).toEqual([
      'readiness:exec-runs-as-built',
    ]);
    // `$$` becomes `$`.
    expect(run('postgres', container, { readiness: pgWith("'a$$b'") }).vetoes).toEqual([
      'readiness:exec-runs-as-built',
    ]);
    // An undeclared name and a command substitution stay as written; shell variables are the shell's.
    expect(run('postgres', container, { readiness: pgWith("'$(OTHER)'") }).kept).toEqual([
      'readiness',
    ]);
    expect(run('postgres', container, { readiness: pgWith('"$(cat "$F")"') }).kept).toEqual([
      'readiness',
    ]);
    expect(run('postgres', container, { readiness: pgWith('"$POSTGRES_USER"') }).kept).toEqual([
      'readiness',
    ]);
  });

  it('exec-timeout: every tool under its own timeout, shorter than timeoutSeconds', () => {
    const bare = exec(['pg_isready', '-h', '127.0.0.1', '-p', '5432']);
    expect(run('postgres', pg, { readiness: bare }).vetoes).toEqual(['readiness:exec-timeout']);
    const long = exec([
      'timeout',
      '-s',
      'KILL',
      '5',
      'pg_isready',
      '-h',
      '127.0.0.1',
      '-p',
      '5432',
    ]);
    expect(run('postgres', pg, { readiness: long }).vetoes).toEqual(['readiness:exec-timeout']);
  });

  it('tool-in-image: no mysqladmin on MariaDB 11, no mongo on MongoDB 7, a guarded choice when the version is unknown', () => {
    const m = (tool: string): Probe =>
      exec(['timeout', '-s', 'KILL', '4', tool, 'ping', '-h', '127.0.0.1', '-P', '3306']);
    const mariadb = { name: 'm', image: 'mariadb:11.4' };
    expect(
      run(
        'mariadb',
        mariadb,
        { readiness: m('mysqladmin') },
        { image: { version: versionFromTag('11.4', '^(\\d+(?:\\.\\d+)*)'), tag: '11.4' } },
      ).vetoes,
    ).toEqual(['readiness:tool-in-image']);
    expect(
      run(
        'mariadb',
        mariadb,
        { readiness: m('mariadb-admin') },
        { image: { version: versionFromTag('11.4', '^(\\d+(?:\\.\\d+)*)'), tag: '11.4' } },
      ).vetoes,
    ).toEqual([]);
    expect(run('mariadb', mariadb, { readiness: m('mysqladmin') }).vetoes).toEqual([
      'readiness:tool-in-image',
    ]);
    const guarded = exec([
      'sh',
      '-c',
      'if command -v mysqladmin >/dev/null 2>&1; then exec timeout -s KILL 4 mysqladmin ping -P 3306; else exit 1; fi',
    ]);
    expect(run('mariadb', mariadb, { readiness: guarded }).vetoes).toEqual([]);
    expect(
      run(
        'postgres',
        { name: 'db', image: 'bitnamisecure/postgresql' },
        { readiness: pgReady },
        { variant: variant('postgres', 'bitnami-secure') },
      ).vetoes,
    ).toEqual(['readiness:tool-in-image']);
  });

  it('credentials-readable: a protected Redis gets an exec readiness only with its password, never an injector reference', () => {
    const ping = (prelude: string): Probe =>
      exec(
        [
          'sh',
          '-c',
          `${prelude}timeout -s KILL 2 redis-cli -h 127.0.0.1 -p 6379 ping | grep -qx PONG`,
        ],
        { timeoutSeconds: 3 },
      );
    const secret = [
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } },
    ];
    const argo = {
      name: 'redis',
      image: 'redis:7',
      args: ['--requirepass $(REDIS_PASSWORD)'],
      env: secret,
    };
    expect(run('redis', argo, { readiness: ping('') }).vetoes).toEqual([
      'readiness:credentials-readable',
    ]);
    expect(
      run('redis', argo, { readiness: ping('export REDISCLI_AUTH="$REDIS_PASSWORD"; ') }).vetoes,
    ).toEqual([]);
    const vault = {
      ...argo,
      env: [{ name: 'REDIS_PASSWORD', value: 'vault:secret/data/redis#password' }],
    };
    expect(
      run('redis', vault, { readiness: ping('export REDISCLI_AUTH="$REDIS_PASSWORD"; ') }).vetoes,
    ).toEqual(['readiness:credentials-readable']);
    const script = {
      name: 'redis',
      image: 'redis:7',
      command: ['sh', '-c', 'exec redis-server --masterauth "$PASS"'],
      env: [{ name: 'PASS', value: 'x' }],
    };
    expect(run('redis', script, { readiness: ping('') }).vetoes).toEqual([
      'readiness:credentials-readable',
    ]);
  });
});

describe('the safety gate inside the engine', () => {
  const plan = (
    annotations: Record<string, string>,
    config = DEFAULT_ENGINE_CONFIG,
  ): ContainerDecision | undefined =>
    planPod(
      { metadata: { annotations }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
      config,
    ).decisions[0];

  it('drops a liveness probe asked for alone, and says why', () => {
    const d = plan({ 'autoprobe.dev/probes': 'db=liveness' });
    expect(d?.action).toBe('skip');
    expect(d?.vetoed.map((v) => `${v.kind}:${v.invariant}`)).toEqual([
      'liveness:liveness-needs-startup',
    ]);
    expect(d?.action === 'skip' ? d.cause.code : '').toBe('veto-liveness-without-startup');
  });

  it('drops liveness when the config turns startup off', () => {
    const config = buildEngineConfig({ families: { postgres: { probes: { startup: false } } } });
    const d = plan({}, config);
    expect(Object.keys(d === undefined ? {} : probesOf(d))).toEqual(['readiness']);
    expect(d?.reasons.map((r) => r.code)).toContain('veto-liveness-without-startup');
  });

  it('drops a startup probe the timings annotation made shorter than the recovery minimum', () => {
    const d = plan({ 'autoprobe.dev/timings': 'db.startup.failureThreshold=10' });
    expect(d?.action === 'inject' ? d.kinds : []).toEqual(['readiness']);
    expect(d?.vetoed.map((v) => v.invariant)).toEqual(['startup-budget', 'liveness-needs-startup']);
  });
});
