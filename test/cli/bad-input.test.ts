// Bad input: each broken file or document is reported with its place, the rest is still printed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/program.js';
import { runCli } from './helpers/run-cli.js';

const SECRET = 's3cr3t-Passw0rd';

const configMap = (name: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  password: ${SECRET}\n`;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'autoprobe-bad-'));
  made.push(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('bad input', () => {
  it('reports an unparseable document in the middle with its file and number, and prints it unchanged in its place', async () => {
    const broken = `apiVersion: v1\nkind: Secret\nstringData:\n  password: [${SECRET}\n`;
    const text = [configMap('first'), broken, configMap('third')].join('---\n');
    const file = tempFile('multi.yaml', text);
    const run = await runCli(['inject', '-f', file]);
    expect(run.code).toBe(EXIT.inputErrors);
    expect(run.stderr).toMatch(
      new RegExp(`^autoprobe: ${file}: document 2: .+ at line \\d+, column \\d+\\n`),
    );
    expect(run.stderr).not.toContain(SECRET);
    // Nothing lost: `inject > out.yaml && kubectl apply --prune -f out.yaml` keeps every object.
    expect(run.stdout).toBe(text);
  });

  it('prints nothing in JSON when a document cannot be carried as JSON, and says so', async () => {
    const broken = `apiVersion: v1\nkind: Secret\nstringData:\n  password: [${SECRET}\n`;
    const file = tempFile('json.yaml', [configMap('first'), broken].join('---\n'));
    const run = await runCli(['inject', '-f', file, '-o', 'json']);
    expect(run.code).toBe(EXIT.inputErrors);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `${file}: document 2 cannot be printed unchanged as JSON (use -o yaml)`,
    );
    expect(run.stderr).not.toContain(SECRET);
  });

  it('never quotes the input in an error message', async () => {
    const file = tempFile(
      'leak.yaml',
      `apiVersion: v1\nkind: Secret\ndata: {password: "${SECRET}"\n`,
    );
    const run = await runCli(['explain', '-f', file]);
    expect(run.code).toBe(EXIT.inputErrors);
    expect(run.stderr).not.toContain(SECRET);
  });

  it.each([
    ['a scalar', 'just a string\n'],
    ['a sequence', '- a\n- b\n'],
    ['an object without kind', 'apiVersion: v1\nmetadata:\n  name: x\n'],
    ['an object whose kind is not a string', 'apiVersion: v1\nkind: 3\n'],
  ])('reports a document that is %s as not a Kubernetes object', async (_what, doc) => {
    const stdin = `${configMap('ok')}---\n${doc}`;
    const run = await runCli(['inject', '-f', '-'], { stdin });
    expect(run.code).toBe(EXIT.inputErrors);
    expect(run.stderr).toMatch(/^autoprobe: -: document 2: not a Kubernetes object/);
    expect(run.stdout).toBe(stdin);
  });

  it('reports a List item that is not a Kubernetes object and keeps the rest of the List', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        JSON.parse('{"kind":"Pod"}'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' } },
      ],
    };
    const run = await runCli(['inject', '-f', '-', '-o', 'json'], { stdin: JSON.stringify(list) });
    expect(run.code).toBe(EXIT.inputErrors);
    expect(run.stderr).toContain('autoprobe: -: document 1: items[0]: not a Kubernetes object');
    expect((JSON.parse(run.stdout) as { items: unknown[] }).items).toHaveLength(1);
  });

  it('reports a missing file and still processes the other inputs', async () => {
    const run = await runCli([
      'inject',
      '-f',
      'does/not/exist.yaml',
      '-f',
      'examples/redis-deployment.yaml',
    ]);
    expect(run.code).toBe(EXIT.inputErrors);
    expect(run.stderr).toContain(
      'autoprobe: does/not/exist.yaml: cannot be read: no such file or directory\n',
    );
    expect(run.stdout).toContain('name: cache');
  });

  it('reports a directory without manifests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autoprobe-empty-'));
    made.push(dir);
    const run = await runCli(['explain', '-f', dir]);
    expect(run.code).toBe(EXIT.inputErrors);
    expect(run.stderr).toContain(
      `autoprobe: ${dir}: directory has no *.yaml, *.yml or *.json files`,
    );
  });

  it('ends with a summary line after the problems', async () => {
    const run = await runCli(['inject', '-f', 'missing-1.yaml', '-f', 'missing-2.yaml']);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      'autoprobe: missing-1.yaml: cannot be read: no such file or directory',
      'autoprobe: missing-2.yaml: cannot be read: no such file or directory',
      'autoprobe: 2 input problems; everything else was processed',
    ]);
  });

  it('lists every problem of an invalid --config and exits with the usage code', async () => {
    const config = tempFile(
      'config.yaml',
      'mode: sometimes\nfamilies:\n  redis:\n    enabled: maybe\nbogus: 1\n',
    );
    const run = await runCli(['inject', '-f', 'examples', '--config', config]);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.every((line) => line.startsWith(`autoprobe: ${config}: `))).toBe(true);
    expect(run.stderr).toContain('/mode');
    expect(run.stderr).toContain('/families/redis/enabled');
    expect(run.stderr).toContain('bogus');
  });

  it('exits with the usage code when --config cannot be read', async () => {
    const run = await runCli(['explain', '-f', 'examples', '--config', 'no-such-config.yaml']);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(/cannot read the configuration file \(ENOENT\)\n$/);
  });

  it('applies a valid --config: a disabled family is skipped', async () => {
    const config = tempFile('config.yaml', 'families:\n  redis:\n    enabled: false\n');
    const run = await runCli([
      'explain',
      '-f',
      'examples/redis-deployment.yaml',
      '-o',
      'json',
      '--config',
      config,
    ]);
    expect(run.code).toBe(EXIT.ok);
    const [item] = JSON.parse(run.stdout) as { action: string; reasons: string[] }[];
    expect(item?.action).toBe('skip');
    expect(item?.reasons.some((r) => r.startsWith('family-disabled'))).toBe(true);
  });

  it.each([
    ['no -f', ['inject']],
    ['an unknown output format', ['inject', '-f', 'examples', '-o', 'xml']],
    ['an unknown option', ['explain', '-f', 'examples', '--colour']],
    ['a positional argument', ['inject', 'examples']],
    ['stdin twice', ['inject', '-f', '-', '-f', '-']],
    ['an unknown command', ['apply', '-f', 'examples']],
  ])('exits with the usage code on %s', async (_what, args) => {
    const run = await runCli(args);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toBe('');
  });
});
