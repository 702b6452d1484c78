// Manifests are read as kubectl reads them (go-yaml through sigs.k8s.io/yaml), where that differs
// from YAML 1.2 in ways real manifests rely on. Each case pins one difference found.
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/cli/manifests.js';
import { EXIT } from '../../src/program.js';
import { runCli } from './helpers/run-cli.js';

const pod = (metadata: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${metadata}spec:\n  containers:\n  - name: db\n    image: postgres:16\n`;

function valueOf(text: string): Record<string, unknown> | undefined {
  const parsed = parseManifests({ file: 'x.yaml', text });
  expect(parsed.problems).toEqual([]);
  return parsed.manifests[0]?.value;
}

describe('reading YAML as kubectl does', () => {
  it('accepts a quoted scalar whose continuation is indented no deeper than its key (a Kubernetes e2e manifest)', () => {
    const text = pod('  annotations:\n    note: "first line\n    second line"\n');
    const metadata = valueOf(text)?.metadata as { annotations: Record<string, string> };
    expect(metadata.annotations.note).toBe('first line second line');
    const single = pod("  annotations:\n    note: 'it''s\n  folded'\n");
    expect(
      (valueOf(single)?.metadata as { annotations: Record<string, string> }).annotations.note,
    ).toBe("it's folded");
  });

  it('prints such a document unchanged, byte for byte, when nothing is added to it', async () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    note: "a\n    b"\n`;
    const run = await runCli(['inject', '-f', '-'], { stdin: text });
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toBe(text);
  });

  it('reads YAML 1.1 scalars as go-yaml v2 does: 0644 is octal, yes is true, timestamps stay strings', () => {
    const value = valueOf(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  mode: 0644\n  flag: yes\n  when: 2026-12-04\n',
    );
    expect(value?.data).toEqual({ mode: 420, flag: true, when: '2026-12-04' });
  });

  it('refuses duplicate keys, as kubectl does ("mapping key already defined")', () => {
    const parsed = parseManifests({
      file: 'x.yaml',
      text: 'apiVersion: v1\nkind: Pod\nkind: Pod\n',
    });
    expect(parsed.problems.map((p) => p.code)).toEqual(['AP_ERR_MANIFEST_PARSE']);
    expect(parsed.documents).toHaveLength(1);
  });
});

describe('inject reports what it ignored', () => {
  it('prints the notices explain and the webhook give, on stderr, and still exits 0', async () => {
    const text = pod('  annotations:\n    autoprobe.dev/port: db=99999\n');
    const run = await runCli(['inject', '-f', '-'], { stdin: text });
    expect(run.code).toBe(EXIT.ok);
    expect(run.stderr).toBe(
      'autoprobe: -: document 1: autoprobe.dev/port: container "db": port 99999 out of range 1-65535; no port probes added\n',
    );
  });
});
