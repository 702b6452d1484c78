/**
 * fast-check generators of server Pods together with the truth about them: the port the server
 * really listens on, whether it needs a password, whether an HA manager runs it. Every flag form
 * the engines accept, exec wrappers with their own options, `sh -c` scripts, custom images with
 * the family annotation. The engine's output is checked against the truth, not against itself.
 */
import fc from 'fast-check';

/** What is true of the generated server, whatever the engine reads. */
export interface ServerTruth {
  readonly family: 'redis' | 'postgres' | 'mongo' | 'mysql';
  /** The TCP port it listens on. */
  readonly port: number;
  /** PING without the password answers NOAUTH. */
  readonly needsPassword: boolean;
  /** The env var that holds the password, when it needs one. */
  readonly passwordEnv: string | undefined;
  /** Run by an HA manager: readiness only. */
  readonly ha: boolean;
}

export interface ServerCase {
  readonly pod: { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  readonly truth: ServerTruth;
}

interface FamilyShape {
  readonly family: ServerTruth['family'];
  readonly images: readonly string[];
  readonly server: string;
  readonly defaultPort: number;
  /** Port flags and whether the program accepts the one-word `--flag value` form. */
  readonly portFlags: readonly string[];
  readonly oneWord: boolean;
}

const FAMILIES: readonly FamilyShape[] = [
  {
    family: 'redis',
    images: ['redis:7.4', 'docker.io/library/redis:7.2-alpine', 'mirror.gcr.io/library/redis:7'],
    server: 'redis-server',
    defaultPort: 6379,
    portFlags: ['--port'],
    oneWord: true,
  },
  {
    family: 'postgres',
    images: ['postgres:16', 'postgres:17-alpine'],
    server: 'postgres',
    defaultPort: 5432,
    portFlags: ['-p', '--port'],
    oneWord: false,
  },
  {
    family: 'mongo',
    images: ['mongo:7.0', 'mongo:4.4', 'mongo:latest'],
    server: 'mongod',
    defaultPort: 27017,
    portFlags: ['--port'],
    oneWord: false,
  },
  {
    family: 'mysql',
    images: ['mysql:8.4', 'mysql:9.1'],
    server: 'mysqld',
    defaultPort: 3306,
    portFlags: ['--port', '-P'],
    oneWord: false,
  },
];

/** A flag and value in one of the forms the program accepts. */
function flagForm(flag: string, value: string, oneWord: boolean): fc.Arbitrary<string[]> {
  const forms: string[][] = [[flag, value]];
  if (flag.startsWith('--')) forms.push([`${flag}=${value}`]);
  else if (/^\d+$/.test(value)) forms.push([`${flag}${value}`]);
  if (oneWord) forms.push([`${flag} ${value}`]);
  return fc.constantFrom(...forms);
}

/** Exec wrappers with their own options, as images and users write them. */
const WRAPPERS: readonly string[][] = [
  [],
  ['numactl', '--interleave=all'],
  ['numactl', '-i', 'all'],
  ['taskset', '-c', '0-3'],
  ['chrt', '-f', '10'],
  ['nice', '-n', '5'],
  ['ionice', '-c', '2', '-n', '7'],
  ['setpriv', '--reuid=999', '--regid=999', '--init-groups'],
  ['gosu', 'app'],
  ['tini', '--'],
  ['dumb-init', '--'],
  ['catatonit', '--'],
  ['env', 'X=1'],
];

/** serverCaseArb generates one server container in a Pod, and the truth about it. */
export const serverCaseArb: fc.Arbitrary<ServerCase> = fc
  .record({
    shape: fc.constantFrom(...FAMILIES),
    wrapper: fc.constantFrom(...WRAPPERS),
    port: fc.oneof(fc.constant(undefined), fc.integer({ min: 1024, max: 65000 })),
    // mongod --shardsvr / --configsvr change the default port (27018, 27019).
    role: fc.constantFrom(undefined, '--shardsvr', '--configsvr'),
    password: fc.constantFrom('none', 'requirepass', 'masterauth'),
    script: fc.constantFrom('none', 'exec', 'assign'),
    ha: fc.boolean(),
    custom: fc.boolean(),
    declare: fc.boolean(),
  })
  .chain((p) => {
    const shape = p.shape;
    const role = shape.family === 'mongo' ? p.role : undefined;
    const implied = role === '--shardsvr' ? 27018 : role === '--configsvr' ? 27019 : undefined;
    const port = p.port ?? implied ?? shape.defaultPort;
    const portWords =
      p.port === undefined
        ? fc.constant<string[]>([])
        : fc
            .constantFrom(...shape.portFlags)
            .chain((flag) => flagForm(flag, String(p.port), shape.oneWord));
    const needsPassword = shape.family === 'redis' && p.password !== 'none';
    const passwordWords = needsPassword
      ? flagForm(`--${p.password}`, '$(REDIS_PASSWORD)', true)
      : fc.constant<string[]>([]);
    return fc
      .tuple(portWords, passwordWords, fc.constantFrom(...shape.images))
      .map(([portArgs, passwordArgs, image]): ServerCase => {
        const ha = p.ha && shape.family === 'postgres';
        const argv = [
          ...p.wrapper,
          shape.server,
          ...(role === undefined ? [] : [role]),
          ...portArgs,
          ...passwordArgs,
        ];
        const env: Record<string, unknown>[] = [];
        if (needsPassword)
          env.push({
            name: 'REDIS_PASSWORD',
            valueFrom: { secretKeyRef: { name: 's', key: 'p' } },
          });
        if (ha) env.push({ name: 'PATRONI_SCOPE', value: 'demo' });
        const command =
          p.script === 'none'
            ? argv
            : [
                'sh',
                '-c',
                `${p.script === 'assign' ? 'export A=1; mkdir -p /tmp/x; ' : ''}exec ${argv.map(quote).join(' ')}`,
              ];
        const name = 'server';
        const container: Record<string, unknown> = {
          name,
          image: p.custom ? `registry.example.com/team/${shape.family}-custom:1` : image,
          command,
          ...(env.length > 0 ? { env } : {}),
          ...(p.declare ? { ports: [{ containerPort: port, name: 'main' }] } : {}),
        };
        return {
          pod: {
            metadata: {
              name: 'p',
              ...(p.custom
                ? { annotations: { 'autoprobe.dev/family': `${name}=${shape.family}` } }
                : {}),
            },
            spec: { containers: [container] },
          },
          truth: {
            family: shape.family,
            port,
            needsPassword,
            passwordEnv: needsPassword ? 'REDIS_PASSWORD' : undefined,
            ha,
          },
        };
      });
  });

/** quote single-quotes a word for a script, as a user would. */
function quote(word: string): string {
  return /^[A-Za-z0-9_.=:,/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
