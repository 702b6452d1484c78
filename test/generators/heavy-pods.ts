/**
 * fast-check generators of heavy Pods, the shapes that once made a 1 KB Pod cost 26 MB (issue
 * #12): `$(VAR)` reference chains that double at each step into the variables autoprobe reads
 * (user names, ports, passwords, args-env), long words and scripts, and wide Pods (many
 * containers, env entries, labels and annotations), around and past the limits of
 * src/core/limits.ts. Shared by the engine's bounded-work property and the webhook fuzzing.
 */
import fc from 'fast-check';
import {
  MAX_CONTAINERS,
  MAX_POD_ARGV_CHARS,
  MAX_POD_ENV_ENTRIES,
  MAX_SCRIPT,
} from '../../src/core/limits.js';

type Json = Record<string, unknown>;

/**
 * The bound the bounded-work oracles hold a patch to: at most PATCH_MULTIPLE times the Pod's own
 * JSON, plus PATCH_FLOOR for the smallest Pods (a bare container gets ~1 KB of probes).
 */
export const PATCH_MULTIPLE = 24;
export const PATCH_FLOOR = 4096;

/** Images and the variables each reads for its port, user, password or extra flags. */
export const TARGETS: Readonly<Record<string, readonly string[]>> = {
  'postgres:16': ['POSTGRES_USER', 'PGPORT'],
  'bitnami/postgresql:17': ['POSTGRESQL_PORT_NUMBER'],
  'redis:7': ['REDIS_PASSWORD'],
  'bitnami/redis:7.4': ['REDIS_PASSWORD', 'REDIS_PORT_NUMBER', 'REDIS_EXTRA_FLAGS'],
  'mysql:8.4': ['MYSQL_TCP_PORT'],
  'rabbitmq:4': ['RABBITMQ_NODE_PORT'],
  'bitnami/mongodb:8': ['MONGODB_PORT_NUMBER', 'MONGODB_EXTRA_FLAGS'],
};
const IMAGES = Object.keys(TARGETS);

/** chainEnv is V0 … Vn, each value referencing the previous one `fanout` times, then `target`. */
export function chainEnv(seed: string, steps: number, fanout: number, target: string): Json[] {
  const env: Json[] = [{ name: 'V0', value: seed }];
  for (let i = 1; i <= steps; i++)
    env.push({ name: `V${i}`, value: `$(V${i - 1})`.repeat(fanout) });
  env.push({ name: target, value: `$(V${steps})` });
  return env;
}

/** A chain V0 … Vn where each value references the previous one `fanout` times, into `targets`. */
function chainArb(targets: readonly string[]): fc.Arbitrary<{ env: Json[]; args: string[] }> {
  return fc
    .record({
      steps: fc.integer({ min: 1, max: 24 }),
      fanout: fc.constantFrom(1, 2, 2, 3),
      seed: fc.constantFrom('6380', 'app', 'x'.repeat(100), '--port 6381 --requirepass s'),
      target: fc.constantFrom(...targets),
      viaArgs: fc.boolean(),
    })
    .map(({ steps, fanout, seed, target, viaArgs }) => {
      return {
        env: chainEnv(seed, steps, fanout, target),
        args: viaArgs ? ['--requirepass', `$(V${steps})`, '--port', `$(V${steps})`] : [],
      };
    });
}

/** A script of `words` words around a server start, possibly past the script limits. */
const scriptArb = fc
  .record({
    repeat: fc.integer({ min: 0, max: Math.ceil(MAX_SCRIPT / 20) + 50 }),
    server: fc.constantFrom('exec postgres -c port=5433', 'redis-server --port 6380', 'mysqld'),
  })
  .map(({ repeat, server }) => `echo "\${A:-x}" $B; `.repeat(repeat) + server);

const containerArb = fc.constantFrom(...IMAGES).chain((image) =>
  fc.record({
    image: fc.constant(image),
    chain: fc.option(chainArb(TARGETS[image] ?? []), { nil: undefined, freq: 2 }),
    script: fc.option(scriptArb, { nil: undefined, freq: 3 }),
    envCount: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 64 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: MAX_POD_ENV_ENTRIES + 16 }) },
    ),
    longWord: fc.option(fc.integer({ min: 1, max: MAX_POD_ARGV_CHARS + 64 }), {
      nil: undefined,
      freq: 4,
    }),
  }),
);

/** heavyPodArb generates a heavy Pod (metadata + spec). */
export const heavyPodArb: fc.Arbitrary<{ metadata: Json; spec: Json }> = fc
  .record({
    containers: fc.array(containerArb, { minLength: 1, maxLength: 3 }),
    copies: fc.constantFrom(1, 1, 1, 1, 1, 8, MAX_CONTAINERS, MAX_CONTAINERS + 1),
    labels: fc.constantFrom(0, 0, 10, 5000),
    annotations: fc.constantFrom(0, 0, 10, 3000, 30_000),
    serviceLinks: fc.boolean(),
  })
  .map(({ containers, copies, labels, annotations, serviceLinks }) => {
    const built = containers.map((c, i) => {
      const env: Json[] = [...(c.chain?.env ?? [])];
      // Divided among the copies, so that a wide Pod stays within the apiserver's 3 MiB.
      const count = Math.floor(c.envCount / copies);
      for (let e = 0; e < count; e++)
        env.push({ name: `E${e}`, value: `$(E${Math.max(e - 1, 0)})x` });
      const args = [...(c.chain?.args ?? [])];
      if (c.longWord !== undefined) args.push(`--x=${'w'.repeat(Math.floor(c.longWord / copies))}`);
      return {
        name: `c${i}`,
        image: c.image,
        ...(c.script === undefined ? {} : { command: ['sh', '-c', c.script] }),
        ...(args.length === 0 ? {} : { args }),
        env: [{ name: 'A', value: 'a' }, ...env],
      };
    });
    const all = Array.from({ length: copies }, (_, k) =>
      built.map((c) => ({ ...c, name: `${c.name}-${k}` })),
    ).flat();
    return {
      metadata: {
        name: 'heavy',
        labels: Object.fromEntries(Array.from({ length: labels }, (_, i) => [`l${i}`, 'v'])),
        annotations: Object.fromEntries(
          Array.from({ length: annotations }, (_, i) => [`example.com/a${i}`, 'value']),
        ),
      },
      spec: { containers: all, ...(serviceLinks ? {} : { enableServiceLinks: false }) },
    };
  });
