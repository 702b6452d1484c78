// The container image's recipe, run without a Docker engine: the steps are read from the
// Dockerfile (its COPY lines, its RUN lines, its ENTRYPOINT) and performed in temporary
// directories: build and `npm pack`, unpack into an empty directory, `npm ci --omit=dev` with the
// lockfile, then start `serve` from there under Node 24 and ask for /readyz and one admission.
// Kept in step with the Dockerfile (its header says so); a change there is a change here.
//
// One deviation: the build stage's `npm ci` (the dev toolchain) is the repository's own
// node_modules, installed by `npm ci` from the same lockfile, linked into the build directory.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDevCertificate } from '../../src/server/dev-certificate.js';
import { ROOT } from '../chart/helpers/helm.js';

interface Stage {
  readonly name: string;
  readonly from: string;
  readonly lines: string[];
}

/** stagesOf splits the Dockerfile into stages, joining continued lines and dropping comments. */
function stagesOf(dockerfile: string): Stage[] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from !== null) stages.push({ from: from[1] ?? '', name: from[2] ?? 'runtime', lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

function stage(name: string): Stage {
  const found = STAGES.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stage ${name} in the Dockerfile`);
  return found;
}

/** The shell commands of a stage's RUN lines, split at `&&`. */
function commands(s: Stage): string[] {
  return s.lines
    .filter((l) => l.startsWith('RUN '))
    .flatMap((l) => l.slice(4).split('&&'))
    .map((c) => c.trim().replace(/\s+/g, ' '));
}

/** The sources of a stage's COPY lines that come from the build context. */
function contextCopies(s: Stage): string[] {
  return s.lines
    .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
    .flatMap((l) => l.split(/\s+/).slice(1, -1));
}

const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const STAGES = stagesOf(DOCKERFILE);
const ENTRYPOINT = JSON.parse(/^ENTRYPOINT\s+(\[.*\])$/m.exec(DOCKERFILE)?.[1] ?? '[]') as string[];

function sh(command: string, cwd: string): void {
  const run = spawnSync('sh', ['-c', command], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${command} failed in ${cwd}:\n${run.stdout}${run.stderr}`);
}

let work = '';
let app: string;
let packed: string[];
let server: ChildProcess | undefined;
let stderr = '';
let urls: { webhookUrl: string; opsUrl: string };
let caCert: string;

/** The steps of the build and install stages, with their absolute paths moved to `work`. */
function runRecipe(): void {
  work = mkdtempSync(join(tmpdir(), 'autoprobe-image-'));
  const build = join(work, 'src');
  const pkg = join(work, 'pkg');
  app = join(work, 'app');
  const paths = (command: string): string =>
    command.replaceAll('/pkg', pkg).replaceAll(' /app', ` ${app}`);
  for (const source of contextCopies(stage('build'))) {
    cpSync(join(ROOT, source), join(build, source), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(build, 'node_modules'));
  for (const command of commands(stage('build'))) {
    if (!command.startsWith('npm ci')) sh(paths(command), build);
  }
  for (const source of contextCopies(stage('install'))) {
    cpSync(join(ROOT, source), join(app, source), { recursive: true });
  }
  for (const command of commands(stage('install'))) {
    if (command.startsWith('npm cache')) continue;
    // The registry is asked only for what npm's cache lacks.
    sh(command.startsWith('npm ci') ? `${command} --prefer-offline` : paths(command), app);
  }
  const tarball = readdirSync(pkg).find((f) => f.endsWith('.tgz')) ?? '';
  const list = spawnSync('tar', ['-tzf', join(pkg, tarball)], { encoding: 'utf8' });
  packed = list.stdout.split('\n').filter((l) => l !== '');
}

/** startServe runs the image's ENTRYPOINT from the install directory under Node 24. */
async function startServe(): Promise<void> {
  const [node, main, ...args] = ENTRYPOINT;
  expect(node).toBe('/nodejs/bin/node');
  const certificate = await generateDevCertificate({ hosts: ['localhost'] });
  caCert = certificate.caCert;
  writeFileSync(join(work, 'tls.crt'), certificate.cert);
  writeFileSync(join(work, 'tls.key'), certificate.key);
  writeFileSync(
    join(work, 'config.yaml'),
    [
      'server:',
      '  host: 127.0.0.1',
      '  port: 0',
      '  metricsPort: 0',
      '  shutdownDelayMs: 0',
      '  tls:',
      `    certFile: ${join(work, 'tls.crt')}`,
      `    keyFile: ${join(work, 'tls.key')}`,
      '',
    ].join('\n'),
  );
  const home = join(work, 'home');
  const child = spawn(
    join(ROOT, 'scripts', 'with-node-lts.sh'),
    [(main ?? '').replace(/^\/app/, app), ...args, `--config=${join(work, 'config.yaml')}`],
    {
      cwd: app,
      // What the chart's pod has: POD_NAMESPACE, no kubeconfig, no service account token.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        POD_NAMESPACE: 'autoprobe',
        AUTOPROBE_CACHE_DIR: cacheDir(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server = child;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  urls = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split('\n')) {
        if (!line.includes('"autoprobe webhook started"')) continue;
        resolve(JSON.parse(line) as { webhookUrl: string; opsUrl: string });
      }
    });
    child.on('exit', (code) => {
      reject(new Error(`serve exited with ${String(code)} before listening:\n${out}${stderr}`));
    });
  });
}

function cacheDir(): string {
  const explicit = process.env.AUTOPROBE_CACHE_DIR;
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = process.env.XDG_CACHE_HOME;
  const home = process.env.HOME ?? tmpdir();
  return join(xdg !== undefined && xdg !== '' ? xdg : join(home, '.cache'), 'autoprobe');
}

function postReview(body: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      urls.webhookUrl,
      {
        method: 'POST',
        ca: caCert,
        servername: 'localhost',
        headers: { 'content-type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.on('data', (c: Buffer) => (text += c.toString()));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

beforeAll(async () => {
  runRecipe();
  await startServe();
}, 600_000);

afterAll(() => {
  server?.kill('SIGKILL');
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the Dockerfile', () => {
  it('builds on Node 24 and runs on a distroless Node 24 image as a numeric non-root user', () => {
    // Each base by tag and digest: a rebuild gets the tested bytes.
    expect(STAGES.map((s) => [s.name, s.from.replace(/@sha256:[0-9a-f]{64}$/, '@sha256')])).toEqual(
      [
        ['build', 'node:24-bookworm-slim@sha256'],
        ['install', 'node:24-bookworm-slim@sha256'],
        ['runtime', 'gcr.io/distroless/nodejs24-debian12:nonroot@sha256'],
      ],
    );
    // The build and install stages use one Node image.
    expect(new Set(STAGES.slice(0, 2).map((s) => s.from)).size).toBe(1);
    expect(stage('runtime').lines).toContain('USER 65532:65532');
    expect(ENTRYPOINT).toEqual(['/nodejs/bin/node', '/app/dist/main.js', 'serve']);
    // The runtime stage copies the install stage and nothing from the build context.
    expect(contextCopies(stage('runtime'))).toEqual([]);
  });

  it('sends the build context only what the build stage copies (.dockerignore)', () => {
    const allowed = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1));
    const copied = contextCopies(stage('build')).map((s) => s.replace(/\/$/, ''));
    expect(allowed.sort()).toEqual([...new Set(copied)].sort());
  });

  it('installs production dependencies only, from the lockfile', () => {
    expect(commands(stage('install'))).toContain(
      'npm ci --omit=dev --ignore-scripts --no-audit --no-fund',
    );
    // The lockfile marks what only development needs ("dev": true), transitive packages too.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean }>;
    };
    const entries = Object.entries(lock.packages).filter(([path]) => path !== '');
    const devOnly = entries.filter(([, p]) => p.dev === true).map(([path]) => path);
    const production = entries
      .filter(([, p]) => p.dev !== true && p.optional !== true && p.devOptional !== true)
      .map(([path]) => path);
    expect(devOnly).toContain('node_modules/vitest');
    expect(devOnly.filter((path) => existsSync(join(app, path)))).toEqual([]);
    expect(production.filter((path) => !existsSync(join(app, path)))).toEqual([]);
  });

  it('packs the compiled program and nothing of the sources or tests', () => {
    expect(packed).toContain('package/dist/main.js');
    expect(packed).toContain('package/package.json');
    expect(
      packed.filter((f) => !/^package\/(dist\/|package\.json$|README\.md$|LICENSE$)/.test(f)),
    ).toEqual([]);
    expect(packed.filter((f) => f.includes('.test.'))).toEqual([]);
  });
});

describe('autoprobe serve from the installed image contents', () => {
  it('runs under Node 24 and is ready', async () => {
    expect(stderr).toMatch(/with-node-lts: v24\./);
    const ready = await fetch(`${urls.opsUrl}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('answers an admission over HTTPS with the probes', async () => {
    const review = readFileSync(
      join(ROOT, 'test', 'fixtures', 'admission', 'pod-create-postgres.json'),
      'utf8',
    );
    const { status, json } = await postReview(review);
    expect(status).toBe(200);
    const { response } = json as {
      response: { uid: string; allowed: boolean; patchType?: string; patch?: string };
    };
    expect(response).toMatchObject({
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      allowed: true,
      patchType: 'JSONPatch',
    });
    const patch = JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString()) as {
      op: string;
      path: string;
    }[];
    expect(patch.map((op) => op.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/spec\/containers\/\d+\/livenessProbe$/)]),
    );
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server?.on('exit', resolve));
    server?.kill('SIGTERM');
    expect(await exited).toBe(0);
    server = undefined;
  });
});
