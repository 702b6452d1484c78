/**
 * @module bench/cli-bench — `autoprobe inject` over 10,000 generated manifests, against a plain
 * parse-and-print of the same files with the same `yaml` package as its baseline.
 *
 * Two layouts of the same 10,000 manifests: one multi-document file, and a directory tree of
 * 500 files of 20 documents. Both programs run as fresh `node` processes (start-up included),
 * placed like the servers (CPU 0, raised priority, see lib/servers.ts), write to /dev/null, and
 * report their own peak RSS and CPU time (`process.resourceUsage()` at exit, through an
 * `--import` hook on fd 3), so neither pays for a wrapper. The best of three runs is kept.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CACHE_DIR } from './corpus.js';
import { rng } from './lib/prng.js';
import type { Rng } from './lib/prng.js';
import { ROOT, command, owned } from './lib/servers.js';

type Json = Record<string, unknown>;

/** The number of manifests of the CLI benchmark. */
export const MANIFESTS = 10_000;

const IMAGES: readonly (readonly [string, string, number])[] = [
  ['postgres', 'postgres:16.4', 5432],
  ['redis', 'redis:7.4.1-alpine', 6379],
  ['mysql', 'mysql:8.4.3', 3306],
  ['mariadb', 'mariadb:11.4.4', 3306],
  ['rabbitmq', 'rabbitmq:3.13-management', 5672],
  ['kafka', 'apache/kafka:3.9.0', 9092],
  ['mongo', 'mongo:7.0.15', 27017],
  ['web', 'registry.example.com/shop/web:1.8.2', 8080],
  ['metrics', 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0', 9187],
];

function container(r: Rng, probed: boolean): Json {
  const [name, image, port] = r.pick(IMAGES);
  return {
    name,
    image,
    ports: [{ name: name.slice(0, 15), containerPort: port }],
    env: [
      { name: 'TZ', value: 'UTC' },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: `${name}-auth`, key: 'password' } } },
    ],
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    volumeMounts: [{ name: 'data', mountPath: '/var/lib/data' }],
    ...(probed ? { readinessProbe: { tcpSocket: { port }, periodSeconds: 10 } } : {}),
  };
}

function podSpec(r: Rng): Json {
  const count = r.weighted([
    [1, 60],
    [2, 30],
    [3, 10],
  ]);
  return {
    containers: Array.from({ length: count }, () => container(r, r.chance(0.15))),
    volumes: [{ name: 'data', emptyDir: {} }],
  };
}

function manifest(r: Rng, i: number): Json {
  const name = `app-${i}`;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'bench' };
  const meta = { name, namespace: `team-${i % 7}`, labels };
  const template = { metadata: { labels }, spec: podSpec(r) };
  const kind = r.weighted([
    ['Deployment', 35],
    ['StatefulSet', 20],
    ['Service', 20],
    ['ConfigMap', 10],
    ['CronJob', 5],
    ['Pod', 5],
    ['Job', 5],
  ] as const);
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
      return {
        apiVersion: 'apps/v1',
        kind,
        metadata: meta,
        spec: { replicas: 1, selector: { matchLabels: labels }, template },
      };
    case 'Service':
      return {
        apiVersion: 'v1',
        kind,
        metadata: meta,
        spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
      };
    case 'ConfigMap':
      return {
        apiVersion: 'v1',
        kind,
        metadata: meta,
        data: { 'app.yaml': `name: ${name}\nlevel: info\n` },
      };
    case 'CronJob':
      return {
        apiVersion: 'batch/v1',
        kind,
        metadata: meta,
        spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template } } },
      };
    case 'Job':
      return { apiVersion: 'batch/v1', kind, metadata: meta, spec: { template } };
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata: meta, spec: template.spec };
  }
}

/** manifestTexts renders the manifests as YAML documents, some with comments. */
export function manifestTexts(seed: number, count = MANIFESTS): string[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const text = stringify(manifest(r, i));
    return r.chance(0.3) ? `# ${String(i)}: generated for the CLI benchmark\n${text}` : text;
  });
}

/** The two layouts on disk. */
export interface ManifestFiles {
  readonly singleFile: string;
  readonly directory: string;
  readonly bytes: number;
}

/** writeManifests writes one multi-document file and a tree of 500 files of 20 documents. */
export function writeManifests(seed: number): ManifestFiles {
  const root = join(CACHE_DIR, 'cli');
  rmSync(root, { recursive: true, force: true });
  const directory = join(root, 'tree');
  mkdirSync(directory, { recursive: true });
  const docs = manifestTexts(seed);
  const singleFile = join(root, 'all.yaml');
  const all = docs.join('---\n');
  writeFileSync(singleFile, all);
  const perFile = 20;
  for (let f = 0; f < docs.length / perFile; f++) {
    const sub = join(directory, `team-${f % 10}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(
      join(sub, `app-${String(f).padStart(4, '0')}.yaml`),
      docs.slice(f * perFile, (f + 1) * perFile).join('---\n'),
    );
  }
  return { singleFile, directory, bytes: Buffer.byteLength(all) };
}

/** Reports process.resourceUsage() on fd 3 at exit. */
const USAGE_HOOK =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{try{writeSync(3,JSON.stringify(process.resourceUsage()))}catch{}})';

/**
 * The baseline: read the same files (directories recursively, sorted), parse every document with
 * the yaml package (same version options as the CLI) and print it back.
 */
const BASELINE = `
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
const files = (p) => statSync(p).isDirectory()
  ? readdirSync(p).sort().flatMap((n) => files(join(p, n)))
  : /\\.(ya?ml|json)$/.test(p) ? [p] : [];
const out = [];
for (const file of files(process.argv[1])) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'), { version: '1.1', uniqueKeys: true })) {
    doc.toJS();
    out.push(String(doc));
  }
}
process.stdout.write(out.join('---\\n'));
`;

/** One timed run of a program. */
export interface CliRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly exitCode: number | null;
  readonly manifestsPerS: number;
}

function timed(args: readonly string[], count: number): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const devNull = openSync('/dev/null', 'w');
    const started = performance.now();
    const [bin, argv] = command('0', ['--import', USAGE_HOOK, ...args]);
    const child = spawn(bin, argv, {
      cwd: ROOT,
      stdio: ['ignore', devNull, 'inherit', 'pipe'],
      detached: true,
    });
    closeSync(devNull);
    owned(child);
    let usage = '';
    const fd3 = child.stdio[3];
    if (fd3 !== null && fd3 !== undefined && 'on' in fd3) {
      fd3.on('data', (chunk: Buffer) => (usage += chunk.toString()));
    }
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      const u = (usage === '' ? {} : JSON.parse(usage)) as Partial<NodeJS.ResourceUsage>;
      resolveRun({
        wallMs: Math.round(wallMs),
        cpuMs: Math.round(((u.userCPUTime ?? 0) + (u.systemCPUTime ?? 0)) / 1000),
        peakRssMb: Math.round((u.maxRSS ?? 0) / 1024),
        exitCode: code,
        manifestsPerS: Math.round((count / wallMs) * 1000),
      });
    });
  });
}

/** Inject and baseline over one layout (best of `repeat` runs by wall time). */
export interface CliLayout {
  readonly layout: string;
  readonly inject: CliRun;
  readonly baseline: CliRun;
  /** inject wall time / baseline wall time. */
  readonly timeRatio: number;
  readonly memoryRatio: number;
}

/** The CLI benchmark's figures. */
export interface CliReport {
  readonly manifests: number;
  readonly bytes: number;
  readonly layouts: readonly CliLayout[];
}

async function best(args: readonly string[], repeat: number): Promise<CliRun> {
  const runs: CliRun[] = [];
  for (let i = 0; i < repeat; i++) runs.push(await timed(args, MANIFESTS));
  return runs.sort((a, b) => a.wallMs - b.wallMs)[0] as CliRun;
}

/** runCliBench generates the manifests and times inject and the baseline over both layouts. */
export async function runCliBench(options: {
  readonly seed: number;
  readonly log: (line: string) => void;
  readonly repeat?: number;
}): Promise<CliReport> {
  const files = writeManifests(options.seed);
  const main = join(ROOT, 'dist', 'main.js');
  const layouts: CliLayout[] = [];
  for (const [layout, path] of [
    ['one file, 10,000 documents', files.singleFile],
    ['directory, 500 files x 20 documents', files.directory],
  ] as const) {
    options.log(`cli: ${layout}`);
    const inject = await best([main, 'inject', '-f', path], options.repeat ?? 3);
    const baseline = await best(['--input-type=module', '-e', BASELINE, path], options.repeat ?? 3);
    if (inject.exitCode !== 0)
      throw new Error(`autoprobe inject exited with ${String(inject.exitCode)}`);
    options.log(
      `cli:   inject ${inject.wallMs} ms, ${inject.peakRssMb} MB; baseline ${baseline.wallMs} ms, ${baseline.peakRssMb} MB`,
    );
    layouts.push({
      layout,
      inject,
      baseline,
      timeRatio: Math.round((inject.wallMs / baseline.wallMs) * 100) / 100,
      memoryRatio: Math.round((inject.peakRssMb / baseline.peakRssMb) * 100) / 100,
    });
  }
  return { manifests: MANIFESTS, bytes: files.bytes, layouts };
}
