// `autoprobe lint -o sarif`: a SARIF 2.1.0 log valid against the published OASIS schema, with
// each result at the line of the probe in its file (GitHub code scanning needs file and line).
import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { LINT_RULES } from '../../src/core/index.js';
import { ROOT, runCli } from './helpers/run-cli.js';

const SCHEMA = JSON.parse(
  readFileSync(`${ROOT}/test/fixtures/sarif/sarif-schema-2.1.0.json`, 'utf8'),
) as object;

const MANIFEST = `# a comment, so the probes are not on the lines one would guess
apiVersion: v1
kind: Pod
metadata: {name: cache}
spec:
  containers:
    - name: redis
      image: redis:7
      livenessProbe:
        tcpSocket: {port: 6379}
      readinessProbe:
        exec: {command: [redis-cli, ping]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: pg
          image: postgres:16
          args: [-c, port=5433]
          readinessProbe: {tcpSocket: {port: 5432}}
`;

interface Sarif {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: {
      ruleId: string;
      level: string;
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
      }[];
    }[];
  }[];
}

describe('autoprobe lint -o sarif', () => {
  it('writes a log the SARIF 2.1.0 schema accepts', async () => {
    const run = await runCli(['lint', '-f', '-', '-o', 'sarif'], { stdin: MANIFEST });
    // Both packages are CommonJS with a `default` export (NodeNext sees the module object).
    const ajv = new AjvDraft04.default({ strict: false, allErrors: true });
    formats.default(ajv);
    const validate = ajv.compile(SCHEMA);
    const log: unknown = JSON.parse(run.stdout);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    // An invalid log fails the same check (the schema is really applied).
    expect(validate({ version: '2.0', runs: [] })).toBe(false);
  });

  it('has a rule per lint code and each result at the line of its probe', async () => {
    const run = await runCli(['lint', '-f', '-', '-o', 'sarif'], { stdin: MANIFEST });
    const [sarif] = (JSON.parse(run.stdout) as Sarif).runs;
    expect(sarif?.tool.driver.rules.map((r) => r.id)).toEqual(Object.keys(LINT_RULES));
    const at = (sarif?.results ?? []).map((r) => ({
      rule: r.ruleId,
      level: r.level,
      line: r.locations[0]?.physicalLocation.region.startLine,
      uri: r.locations[0]?.physicalLocation.artifactLocation.uri,
    }));
    expect(at).toEqual([
      { rule: 'exec-tool-without-timeout', level: 'warning', line: 11, uri: 'stdin' },
      // autoprobe adds a startup probe in front of the bare liveness: a note, not an error.
      { rule: 'liveness-without-startup', level: 'note', line: 9, uri: 'stdin' },
      { rule: 'probe-port-not-listening', level: 'error', line: 26, uri: 'stdin' },
    ]);
    expect(run.code).toBe(1);
  });
});
