// `autoprobe explain` over the examples: the table for people, the JSON for machines.
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../../src/core/index.js';
import { expectGolden } from './helpers/golden.js';
import { runCli } from './helpers/run-cli.js';

interface ExplainItem {
  file: string;
  document: number;
  kind: string;
  namespace: string | null;
  name: string | null;
  container: string;
  image: string;
  family: string | null;
  action: string;
  reasons: string[];
  probes: Record<string, unknown>;
  findings: { code: string; probe: string; severity: string; message: string }[];
  notices: { code: string; message: string }[];
}

async function explainJson(args: readonly string[], stdin?: string): Promise<ExplainItem[]> {
  const run = await runCli(
    ['explain', ...args, '-o', 'json'],
    stdin === undefined ? {} : { stdin },
  );
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as ExplainItem[];
}

describe('autoprobe explain', () => {
  it('prints one table row per container of the examples (golden table)', async () => {
    const run = await runCli(['explain', '-f', 'examples']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^KIND +NAMESPACE +NAME +CONTAINER +IMAGE +FAMILY +ACTION +PROBES +FINDINGS +REASONS$/,
    );
    expectGolden('explain-examples.txt', run.stdout);
  });

  it('prints the decisions of the examples as a JSON array (golden JSON)', async () => {
    const run = await runCli(['explain', '-f', 'examples', '-o', 'json']);
    expect(run.code).toBe(0);
    expectGolden('explain-examples.json', run.stdout);
  });

  it('gives every JSON item the documented fields and types', async () => {
    const items = await explainJson(['-f', 'examples']);
    expect(items.length).toBeGreaterThan(10);
    for (const item of items) {
      expect(typeof item.kind).toBe('string');
      expect(item.namespace === null || typeof item.namespace === 'string').toBe(true);
      expect(typeof item.name).toBe('string');
      expect(typeof item.container).toBe('string');
      expect(typeof item.image).toBe('string');
      expect(item.family === null || (FAMILIES as readonly string[]).includes(item.family)).toBe(
        true,
      );
      expect(['inject', 'skip']).toContain(item.action);
      expect(item.reasons.every((r) => typeof r === 'string')).toBe(true);
      expect(Array.isArray(item.findings)).toBe(true);
      for (const key of Object.keys(item.probes))
        expect(['liveness', 'readiness', 'startup']).toContain(key);
      expect(Object.keys(item.probes).length > 0).toBe(item.action === 'inject');
      expect(item.file).toMatch(/^examples\//);
      expect(item.document).toBeGreaterThanOrEqual(1);
      expect(Array.isArray(item.notices)).toBe(true);
    }
  });

  it('names the file and the 1-based document of each row', async () => {
    const items = await explainJson(['-f', 'examples/postgresql-bitnami-statefulset.yaml']);
    expect(items.map((i) => [i.file, i.document, i.container])).toEqual([
      ['examples/postgresql-bitnami-statefulset.yaml', 2, 'postgresql'],
      ['examples/postgresql-bitnami-statefulset.yaml', 2, 'metrics'],
      ['examples/postgresql-bitnami-statefulset.yaml', 2, 'init-chmod-data'],
    ]);
  });

  it('explains a database, its exporter and a client job the way the ground truth says', async () => {
    const items = await explainJson(['-f', 'examples']);
    const find = (name: string, container: string): ExplainItem | undefined =>
      items.find((i) => i.name === name && i.container === container);
    expect(find('pg-postgresql', 'postgresql')).toMatchObject({
      family: 'postgres',
      action: 'inject',
    });
    expect(find('pg-postgresql', 'metrics')).toMatchObject({ family: null, action: 'skip' });
    expect(find('pg-nightly-dump', 'dump')?.reasons.some((r) => r.startsWith('role-client:'))).toBe(
      true,
    );
    expect(Object.keys(find('rabbitmq', 'rabbitmq')?.probes ?? {})).toEqual([
      'readiness',
      'startup',
    ]);
    expect(Object.keys(find('embeddings-db', 'postgres')?.probes ?? {})).toEqual(['startup']);
  });

  it('reports ignored annotations as notices in JSON and under the table', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        annotations: { 'autoprobe.dev/timings': 'db.startup.failureThreshold=zero' },
      },
      spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
    };
    const [item] = await explainJson(['-f', '-'], JSON.stringify(pod));
    expect(item?.notices).toEqual([
      {
        code: 'annotation-invalid',
        message:
          'autoprobe.dev/timings: "db.startup.failureThreshold=zero": value must be a whole number, ignored',
      },
    ]);
    expect(item?.namespace).toBeNull();
    const table = await runCli(['explain', '-f', '-'], { stdin: JSON.stringify(pod) });
    expect(table.stdout).toContain(`\nNOTICES\n  Pod/p: ${item?.notices[0]?.message ?? ''}\n`);
  });

  it('gives every reason in full with -o wide', async () => {
    const run = await runCli(['explain', '-f', 'examples/pg-dump-cronjob.yaml', '-o', 'wide']);
    expect(run.stdout).toContain('role-client: runs pg_dump, a client or one-shot tool');
    expect(run.stdout).toContain('examples/pg-dump-cronjob.yaml#1');
  });

  it('prints only the header when there is no container', async () => {
    const run = await runCli(['explain', '-f', 'examples/service-and-configmap.yaml']);
    expect(run.stdout.split('\n')).toHaveLength(2);
    expect(await explainJson(['-f', 'examples/service-and-configmap.yaml'])).toEqual([]);
  });
});
