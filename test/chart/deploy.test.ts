// deploy/ for kubectl and kustomize users: deploy/autoprobe.yaml is the chart rendered with its
// default values (UPDATE_GOLDEN=1 rewrites it), and the audit overlay's patch applies to it and
// turns the webhook to audit mode.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { describe, expect, inject, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { overridesOf, registerServeCommand } from '../../src/server/serve-command.js';
import type { ServeFlags } from '../../src/server/serve-command.js';
import { expectFile } from './helpers/golden.js';
import { ROOT, deployManifest, parseObjects } from './helpers/helm.js';

const helm = inject('helm');
const DEPLOY = join(ROOT, 'deploy');

interface Kustomization {
  resources: string[];
  patches?: {
    path: string;
    target: { group?: string; version?: string; kind: string; name: string };
  }[];
}

function readYaml(...path: string[]): unknown {
  return parseYaml(readFileSync(join(DEPLOY, ...path), 'utf8'));
}

/** The flags a container's args give `autoprobe serve`, parsed by the real command (not run). */
function serveFlags(args: readonly string[]): ServeFlags {
  const program = new Command('autoprobe').exitOverride();
  registerServeCommand(program, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: {},
    cwd: ROOT,
  });
  const serve = program.commands.find((c) => c.name() === 'serve');
  if (serve === undefined) throw new Error('no serve command');
  serve.action(() => undefined);
  program.parse(['serve', ...args], { from: 'user' });
  return serve.opts<ServeFlags>();
}

describe('deploy/', () => {
  it('autoprobe.yaml is the chart rendered with its default values, plus its Namespace', () => {
    expectFile(join(DEPLOY, 'autoprobe.yaml'), deployManifest(helm));
  });

  it('creates the namespace first, with the restricted Pod Security level its pods meet', () => {
    const [first] = parseObjects(readFileSync(join(DEPLOY, 'autoprobe.yaml'), 'utf8'));
    expect(first).toMatchObject({
      kind: 'Namespace',
      metadata: {
        name: 'autoprobe',
        labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    });
  });

  it('is a kustomize base made of autoprobe.yaml', () => {
    expect((readYaml('kustomization.yaml') as Kustomization).resources).toEqual(['autoprobe.yaml']);
  });

  it('has an audit overlay whose patch turns the Deployment to audit mode', () => {
    const overlay = readYaml('audit', 'kustomization.yaml') as Kustomization;
    expect(overlay.resources).toEqual(['..']);
    const [patch] = overlay.patches ?? [];
    expect(patch?.target).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      name: 'autoprobe',
    });

    const objects = parseObjects(readFileSync(join(DEPLOY, 'autoprobe.yaml'), 'utf8'));
    const targets = objects.filter(
      (o) =>
        o.apiVersion === 'apps/v1' &&
        o.kind === patch?.target.kind &&
        o.metadata.name === patch.target.name,
    );
    expect(targets).toHaveLength(1);
    const ops = readYaml('audit', patch?.path ?? '') as Operation[];
    expect(fastJsonPatch.validate(ops, targets[0])).toBeUndefined();
    const patched = fastJsonPatch.applyPatch(structuredClone(targets[0]), ops)
      .newDocument as unknown as V1Deployment;
    const container = patched.spec?.template.spec?.containers[0];
    expect(container?.name).toBe('autoprobe');

    // The flags the container now starts with make the rendered config audit, whatever it says.
    const configMap = objects.find((o) => o.kind === 'ConfigMap') as unknown as
      V1ConfigMap | undefined;
    const text = configMap?.data?.['config.yaml'] ?? '';
    expect(parseConfigText(text, 'config.yaml').mode).toBe('enforce');
    const flags = serveFlags(container?.args ?? []);
    expect(flags.config).toBe('/etc/autoprobe/config/config.yaml');
    expect(parseConfigText(text, 'config.yaml', overridesOf(flags)).mode).toBe('audit');
  });
});
