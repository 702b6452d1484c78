// `autoprobe lint`: the findings on existing probes, the exit code CI pipelines read, JSON.
import { describe, expect, it } from 'vitest';
import { LINT_RULES } from '../../src/core/index.js';
import { runCli } from './helpers/run-cli.js';

const HAZARDOUS = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: cache, namespace: data}
spec:
  serviceName: cache
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers:
        - name: redis
          image: redis:7.4
          args: ["--requirepass $(REDIS_PASSWORD)"]
          env:
            - name: REDIS_PASSWORD
              valueFrom: {secretKeyRef: {name: redis, key: password}}
          readinessProbe:
            exec: {command: [sh, -c, "timeout 4 redis-cli ping"]}
            timeoutSeconds: 5
`;

const SOUND = `apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers:
    - name: postgres
      image: postgres:16
      startupProbe: {tcpSocket: {port: 5432}, periodSeconds: 10, failureThreshold: 360}
      readinessProbe:
        exec: {command: [sh, -c, "timeout 4 pg_isready -h 127.0.0.1 -p 5432 -U postgres"]}
        timeoutSeconds: 5
`;

const WARNING_ONLY = `apiVersion: v1
kind: Pod
metadata: {name: cache}
spec:
  containers:
    - name: redis
      image: redis:7
      readinessProbe: {exec: {command: [redis-cli, ping]}}
`;

describe('autoprobe lint', () => {
  it('fails with exit 1 on an error finding and names the rule, probe and container', async () => {
    const run = await runCli(['lint', '-f', '-'], { stdin: HAZARDOUS });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/redis +readiness +error +exec-without-credentials/);
    expect(run.stderr).toContain('1 error finding: probes that can kill or hide a healthy pod');
  });

  it('exits 0 on sound probes and says there is nothing to report', async () => {
    const run = await runCli(['lint', '-f', '-'], { stdin: SOUND });
    expect(run.stdout).toBe('no findings\n');
    expect(run.code).toBe(0);
  });

  it('exits 0 with warnings only, and prints them', async () => {
    const run = await runCli(['lint', '-f', '-'], { stdin: WARNING_ONLY });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/warning +exec-tool-without-timeout/);
  });

  it('prints JSON items with where, what and the fix', async () => {
    const run = await runCli(['lint', '-f', '-', '-o', 'json'], { stdin: HAZARDOUS });
    const items = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(items).toEqual([
      {
        file: '-',
        document: 1,
        kind: 'StatefulSet',
        namespace: 'data',
        name: 'cache',
        container: 'redis',
        image: 'redis:7.4',
        family: 'redis',
        code: 'exec-without-credentials',
        probe: 'readiness',
        severity: 'error',
        message: expect.any(String) as string,
        resolved: false,
        fix: LINT_RULES['exec-without-credentials'].fix,
      },
    ]);
  });

  it('reports the findings of the examples in explain too (one plan, many renderings)', async () => {
    const lint = await runCli(['lint', '-f', 'examples', '-o', 'json']);
    const explain = await runCli(['explain', '-f', 'examples', '-o', 'json']);
    const fromLint = (JSON.parse(lint.stdout) as { container: string; code: string }[]).map(
      (f) => `${f.container}:${f.code}`,
    );
    const fromExplain = (
      JSON.parse(explain.stdout) as { container: string; findings: { code: string }[] }[]
    ).flatMap((i) => i.findings.map((f) => `${i.container}:${f.code}`));
    expect(fromLint.length).toBeGreaterThan(0);
    expect(fromLint).toEqual(fromExplain);
  });
});
