// autoprobe audit over a fake cluster: the namespace's scope and facts reach the engine, every
// container of every workload is a row, the lint runs, and an API failure part way keeps what
// was read.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { policyReports, renderPolicyReports } from '../../src/audit/policy-report.js';
import { auditCluster, renderAuditJson, renderAuditTable } from '../../src/audit/audit.js';
import type { AuditRow } from '../../src/audit/audit.js';
import { parseConfig } from '../../src/config/config.js';
import type { JsonObject } from '../../src/core/index.js';
import type { ClusterNamespace, WorkloadSource } from '../../src/kube/workload-source.js';

const NAMESPACES: ClusterNamespace[] = [
  {
    name: 'data',
    labels: { 'autoprobe.dev/inject': 'enabled' },
    annotations: {},
    terminating: false,
  },
  {
    name: 'mesh',
    labels: { 'autoprobe.dev/inject': 'enabled' },
    annotations: { 'linkerd.io/inject': 'enabled' },
    terminating: false,
  },
  { name: 'apps', labels: {}, annotations: {}, terminating: false },
  { name: 'gone', labels: {}, annotations: {}, terminating: true },
];

const deployment = (namespace: string, name: string, container: JsonObject): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { template: { spec: { containers: [{ name: 'c', ...container }] } } },
});

const WORKLOADS: JsonObject[] = [
  deployment('data', 'pg', { image: 'postgres:16' }),
  deployment('data', 'cache', {
    image: 'redis:7',
    args: ['--requirepass', '$(P)'],
    env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } }],
    readinessProbe: {
      exec: { command: ['sh', '-c', 'timeout 4 redis-cli ping'] },
      timeoutSeconds: 5,
    },
  }),
  deployment('mesh', 'redis', { image: 'redis:7' }),
  deployment('apps', 'pg', { image: 'postgres:16' }),
  deployment('gone', 'pg', { image: 'postgres:16' }),
];

function fakeSource(failAfter?: number): WorkloadSource {
  return {
    namespaces: (ns) =>
      Promise.resolve(NAMESPACES.filter((n) => ns === undefined || n.name === ns)),
    async *workloads(ns) {
      let n = 0;
      for (const w of WORKLOADS) {
        if (ns !== undefined && (w.metadata as JsonObject).namespace !== ns) continue;
        if (failAfter !== undefined && n === failAfter) {
          throw Object.assign(new Error('forbidden'), { code: 403 });
        }
        n += 1;
        yield await Promise.resolve(w);
      }
    },
  };
}

const CONFIG = parseConfig({ scope: 'optin' }, 'test');

describe('autoprobe audit', () => {
  it('plans every workload with its namespace scope and facts', async () => {
    const result = await auditCluster(fakeSource(), CONFIG, undefined);
    expect(result.workloads).toBe(5);
    const row = (ns: string, name: string): AuditRow | undefined =>
      result.rows.find((r) => r.namespace === ns && r.name === name);
    expect(row('data', 'pg')?.scope.act).toBe(true);
    expect(row('data', 'pg')?.decision.action).toBe('inject');
    expect(row('apps', 'pg')?.scope).toEqual({
      act: false,
      why: 'optin scope and namespace lacks autoprobe.dev/inject=enabled',
    });
    // The namespace's Linkerd annotation reaches the engine: no tcpSocket probe under the proxy.
    const meshed = row('mesh', 'redis')?.decision;
    expect(meshed?.reasons.some((r) => r.code.startsWith('mesh-'))).toBe(true);
    // The lint runs on the probes workloads already have.
    expect(row('data', 'cache')?.decision.findings.map((f) => f.code)).toContain(
      'exec-without-credentials',
    );
  });

  it('prints a summary per namespace, then the containers autoprobe acts on', async () => {
    const table = renderAuditTable(await auditCluster(fakeSource(), CONFIG, undefined));
    expect(table).toMatch(/^5 workloads, 5 containers in 4 namespaces/);
    expect(table).toMatch(/apps +out of scope \(optin scope and namespace lacks/);
    // cache gets liveness and startup (it has readiness): both containers get probes.
    expect(table).toMatch(/data +enforce +2 +2 +1 +0/);
    // Rows only for namespaces autoprobe acts in.
    expect(table).toMatch(/Deployment +data +pg +c +postgres:16/);
    expect(table).not.toMatch(/Deployment +apps +pg/);
  });

  it('prints every row in JSON with its scope', async () => {
    const items = JSON.parse(
      renderAuditJson(await auditCluster(fakeSource(), CONFIG, 'data')),
    ) as Record<string, unknown>[];
    expect(items.map((i) => [i.namespace, i.name, (i.scope as { act: boolean }).act])).toEqual([
      ['data', 'pg', true],
      ['data', 'cache', true],
    ]);
    expect(items[0]).not.toHaveProperty('file');
  });

  it('keeps what was read when the API fails part way', async () => {
    const result = await auditCluster(fakeSource(2), CONFIG, undefined);
    expect(result.workloads).toBe(2);
    expect(result.rows).toHaveLength(2);
    expect((result.error as { code: number }).code).toBe(403);
  });
});

// The published CRD (test/fixtures/policyreport): the schema the apiserver validates reports by.
const CRD = parse(
  readFileSync(
    new URL('../fixtures/policyreport/wgpolicyk8s.io_policyreports.yaml', import.meta.url),
    'utf8',
  ),
) as { spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] } };
const V1ALPHA2 = CRD.spec.versions.find((v) => v.name === 'v1alpha2')?.schema.openAPIV3Schema;

describe('autoprobe audit -o policyreport', () => {
  it('writes one PolicyReport per namespace that the CRD schema accepts, none where the namespace is being deleted', async () => {
    const result = await auditCluster(fakeSource(), CONFIG, undefined);
    const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(
      V1ALPHA2 ?? {},
    );
    const reports = policyReports(result);
    expect(reports.map((r) => (r.metadata as { namespace: string }).namespace)).toEqual([
      'apps',
      'data',
      'mesh',
    ]);
    for (const report of reports)
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(
      validate({ apiVersion: 'x', kind: 'PolicyReport', results: [{ result: 'maybe' }] }),
    ).toBe(false);
  });

  it('says what autoprobe would add, what the lint found and what is out of scope', async () => {
    const reports = policyReports(await auditCluster(fakeSource(), CONFIG, undefined));
    type Row = { rule: string; result: string; resources: { name: string }[] };
    const results = (ns: string): Row[] =>
      (reports.find((r) => (r.metadata as { namespace: string }).namespace === ns)?.results ??
        []) as Row[];
    expect(results('apps').map((r) => [r.rule, r.result])).toEqual([['out-of-scope', 'skip']]);
    expect(results('data').map((r) => [r.resources[0]?.name, r.rule, r.result])).toEqual([
      ['pg', 'missing-probes', 'fail'],
      ['cache', 'missing-probes', 'fail'],
      ['cache', 'exec-without-credentials', 'fail'],
    ]);
    expect(reports[1]?.summary).toEqual({ pass: 0, fail: 3, warn: 0, error: 0, skip: 0 });
  });

  it('prints the same reports as a YAML stream, with no timestamps (a re-run changes nothing)', async () => {
    const text = renderPolicyReports(await auditCluster(fakeSource(), CONFIG, undefined));
    expect(parseAllDocuments(text).map((d) => d.toJS() as unknown)).toEqual(
      policyReports(await auditCluster(fakeSource(), CONFIG, undefined)),
    );
    expect(text).not.toContain('timestamp');
  });
});
