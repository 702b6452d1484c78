// `autoprobe inject` over the examples and over small inline manifests, run in-process.
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden } from './helpers/golden.js';
import { ROOT, runCli } from './helpers/run-cli.js';

const EXAMPLE_YAML = readdirSync(join(ROOT, 'examples'))
  .filter((name) => name.endsWith('.yaml'))
  .sort();

interface JsonList {
  apiVersion: string;
  kind: string;
  items: { kind: string; metadata: { name: string }; spec?: unknown }[];
}

const POSTGRES_POD = `apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
    - name: postgres
      image: postgres:16.4
`;

/** containersOf returns the named item's first `containers` list, wherever its kind keeps it. */
function containersOf(list: JsonList, name: string): Record<string, unknown>[] {
  return findContainers(list.items.find((i) => i.metadata.name === name));
}

function findContainers(value: unknown): Record<string, unknown>[] {
  if (typeof value !== 'object' || value === null) return [];
  const containers: unknown = (value as { containers?: unknown }).containers;
  if (Array.isArray(containers)) return containers as Record<string, unknown>[];
  for (const child of Object.values(value)) {
    const found = findContainers(child);
    if (found.length > 0) return found;
  }
  return [];
}

describe('autoprobe inject', () => {
  it('prints the examples with the probes added (golden YAML)', async () => {
    const run = await runCli(['inject', '-f', 'examples']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expectGolden('inject-examples.yaml', run.stdout);
  });

  it('prints one v1 List with -o json (golden JSON)', async () => {
    const run = await runCli(['inject', '-f', 'examples', '-o', 'json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as JsonList;
    expect(Object.keys(list)).toEqual(['apiVersion', 'kind', 'items']);
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    // Input Lists are flattened into the one List.
    expect(list.items.map((i) => i.kind)).not.toContain('List');
    expectGolden('inject-examples.json', run.stdout);
  });

  it('changes nothing, byte for byte, when run on its own YAML output', async () => {
    const first = await runCli(['inject', '-f', 'examples']);
    const second = await runCli(['inject', '-f', '-'], { stdin: first.stdout });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('changes nothing, byte for byte, when run on its own JSON output', async () => {
    const first = await runCli(['inject', '-f', 'examples', '-o', 'json']);
    const second = await runCli(['inject', '-f', '-', '-o', 'json'], { stdin: first.stdout });
    expect(second.stdout).toBe(first.stdout);
  });

  it.each(EXAMPLE_YAML)(
    'only adds lines to %s: every input line is kept, in order',
    async (name) => {
      const input = readFileSync(join(ROOT, 'examples', name), 'utf8').split('\n');
      const output = (await runCli(['inject', '-f', join('examples', name)])).stdout.split('\n');
      let next = 0;
      for (const line of output) if (line === input[next]) next += 1;
      expect(input.slice(next), 'input lines missing from the output').toEqual([]);
    },
  );

  it('prints documents it does not change exactly as they were written', async () => {
    const file = join('examples', 'service-and-configmap.yaml');
    const run = await runCli(['inject', '-f', file]);
    expect(run.stdout).toBe(readFileSync(join(ROOT, file), 'utf8'));
  });

  it('prints CRLF input with LF line ends only', async () => {
    const crlf = `${POSTGRES_POD}---\n${POSTGRES_POD.replace('name: db', 'name: other')}`.replace(
      /\n/g,
      '\r\n',
    );
    const run = await runCli(['inject', '-f', '-'], { stdin: crlf });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\r');
  });

  it('keeps the stream valid when a later document carries a %YAML directive', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
    const input = `${POSTGRES_POD}---\n${cm}...\n%YAML 1.1\n---\n${cm.replace('name: c', 'name: d')}`;
    const first = await runCli(['inject', '-f', '-'], { stdin: input });
    const again = await runCli(['inject', '-f', '-', '-o', 'json'], { stdin: first.stdout });
    expect(again.code).toBe(0);
    const names = (JSON.parse(again.stdout) as JsonList).items.map((i) => i.metadata.name);
    expect(names).toEqual(['db', 'c', 'd']);
  });

  it('reads manifests from stdin with -f -', async () => {
    const run = await runCli(['inject', '-f', '-'], { stdin: POSTGRES_POD });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('livenessProbe:');
    expect(run.stdout).toContain('autoprobe.dev/status');
  });

  it('walks a directory recursively in name order, skipping hidden and non-manifest files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autoprobe-dir-'));
    mkdirSync(join(dir, 'a-sub'));
    mkdirSync(join(dir, '.github'));
    const cm = (name: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
    writeFileSync(join(dir, 'b.yml'), cm('b'));
    writeFileSync(join(dir, 'a-sub', 'z.yaml'), cm('a-sub-z'));
    writeFileSync(
      join(dir, 'c.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
    );
    writeFileSync(join(dir, 'README.md'), '# not a manifest\n');
    writeFileSync(join(dir, '.github', 'ci.yaml'), 'on: push\n');
    const run = await runCli(['inject', '-f', dir, '-o', 'json']);
    rmSync(dir, { recursive: true, force: true });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as JsonList).items.map((i) => i.metadata.name)).toEqual([
      'a-sub-z',
      'b',
      'c',
    ]);
  });

  it('keeps the order of several -f flags', async () => {
    const run = await runCli(
      [
        'inject',
        '-f',
        'examples/redis-deployment.yaml',
        '-f',
        '-',
        '-f',
        'examples/list.yaml',
        '-o',
        'json',
      ],
      { stdin: POSTGRES_POD },
    );
    const names = (JSON.parse(run.stdout) as JsonList).items.map((i) => i.metadata.name);
    expect(names).toEqual(['cache', 'db', 'orders-db-init', 'orders-db']);
  });

  it('keeps kubectl-style unindented sequences and comments', async () => {
    const input = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: db  # the database',
      'spec:',
      '  containers:',
      '  - name: postgres',
      '    image: postgres:16.4',
      '',
    ].join('\n');
    const run = await runCli(['inject', '-f', '-'], { stdin: input });
    expect(run.stdout).toContain('  name: db # the database\n');
    expect(run.stdout).toContain('  containers:\n  - name: postgres\n');
    expect(run.stdout).toMatch(/\n {4}livenessProbe:\n {6}tcpSocket:\n {8}port: 5432\n/);
  });

  it('keeps 4-space indentation', async () => {
    const input = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '    name: db',
      'spec:',
      '    containers:',
      '        - name: postgres',
      '          image: postgres:16.4',
      '',
    ].join('\n');
    const run = await runCli(['inject', '-f', '-'], { stdin: input });
    expect(run.stdout).toContain('spec:\n    containers:\n        - name: postgres\n');
    expect(run.stdout).toMatch(/\n {10}livenessProbe:\n {14}tcpSocket:\n/);
  });

  it.each([
    ['Pod', 'v1', (spec: unknown) => spec],
    ['ReplicationController', 'v1', (spec: unknown) => ({ template: spec })],
    ['Deployment', 'apps/v1', (spec: unknown) => ({ template: spec })],
    ['StatefulSet', 'apps/v1', (spec: unknown) => ({ template: spec })],
    ['DaemonSet', 'apps/v1', (spec: unknown) => ({ template: spec })],
    ['ReplicaSet', 'apps/v1', (spec: unknown) => ({ template: spec })],
    ['Job', 'batch/v1', (spec: unknown) => ({ template: spec })],
    ['CronJob', 'batch/v1', (spec: unknown) => ({ jobTemplate: { spec: { template: spec } } })],
  ])('finds the pod template of a %s', async (kind, apiVersion, wrap) => {
    const template = { spec: { containers: [{ name: 'cache', image: 'redis:7.4' }] } };
    const spec = kind === 'Pod' ? template.spec : wrap(template);
    const manifest = { apiVersion, kind, metadata: { name: 'w' }, spec };
    const run = await runCli(['inject', '-f', '-', '-o', 'json'], {
      stdin: JSON.stringify(manifest),
    });
    const [container] = containersOf(JSON.parse(run.stdout) as JsonList, 'w');
    expect(Object.keys(container ?? {})).toEqual([
      'name',
      'image',
      'livenessProbe',
      'readinessProbe',
      'startupProbe',
    ]);
  });

  it('leaves a custom resource that reuses a workload kind name alone', async () => {
    const crd = POSTGRES_POD.replace('apiVersion: v1', 'apiVersion: example.com/v1');
    const run = await runCli(['inject', '-f', '-'], { stdin: crd });
    expect(run.stdout).toBe(crd);
  });

  it('injects into List items and typed lists alike', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'm', image: 'mongo:7.0' }] },
    };
    const podList = { apiVersion: 'v1', kind: 'PodList', items: [pod] };
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [podList, { ...pod, metadata: { name: 'q' } }],
    };
    const run = await runCli(['inject', '-f', '-', '-o', 'json'], { stdin: JSON.stringify(list) });
    const out = JSON.parse(run.stdout) as JsonList;
    expect(out.items.map((i) => i.metadata.name)).toEqual(['p', 'q']);
    for (const name of ['p', 'q'])
      expect(containersOf(out, name)[0]).toHaveProperty('startupProbe');
  });

  it('rebuilds a document whose template is shared through a YAML alias, with the same result', async () => {
    const input = `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: a }
    spec:
      template: &tpl
        spec:
          containers:
            - name: db
              image: postgres:16.4
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: b }
    spec:
      template: *tpl
`;
    const yaml = await runCli(['inject', '-f', '-'], { stdin: input });
    const json = await runCli(['inject', '-f', '-', '-o', 'json'], { stdin: input });
    expect(yaml.code).toBe(0);
    for (const name of ['a', 'b']) {
      expect(containersOf(JSON.parse(json.stdout) as JsonList, name)[0]).toHaveProperty(
        'livenessProbe',
      );
    }
    const again = await runCli(['inject', '-f', '-'], { stdin: yaml.stdout });
    expect(again.stdout).toBe(yaml.stdout);
  });

  it('reads YAML scalars as kubectl does: octal modes, strings that look like dates', async () => {
    const input = `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  annotations:
    released: 2024-05-01
spec:
  defaultMode: 0644
`;
    const run = await runCli(['inject', '-f', '-', '-o', 'json'], { stdin: input });
    const [item] = (JSON.parse(run.stdout) as { items: Record<string, unknown>[] }).items;
    expect(item).toMatchObject({
      metadata: { annotations: { released: '2024-05-01' } },
      spec: { defaultMode: 420 },
    });
  });
});
