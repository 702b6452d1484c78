// The config file is reloaded when it changes (a ConfigMap-style atomic update included); an
// invalid file keeps the last good configuration and reports every problem; flags keep winning.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { parseConfigText } from '../../src/config/load.js';
import { watchConfig } from '../../src/server/config-reloader.js';
import type { ConfigReloader } from '../../src/server/config-reloader.js';
import { createMetrics } from '../../src/server/metrics.js';
import type { Metrics } from '../../src/server/metrics.js';
import type { LogLine } from './helpers/app.js';
import { metricValue } from './helpers/app.js';
import { secretVolume } from './helpers/secret-volume.js';
import type { SecretVolume } from './helpers/secret-volume.js';

let dir: string | undefined;
let reloader: ConfigReloader | undefined;
afterEach(async () => {
  reloader?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

interface Harness {
  readonly volume: SecretVolume;
  readonly metrics: Metrics;
  readonly logs: LogLine[];
  current(): Config;
}

async function harness(initial: string, overrides = {}, debounceMs = 20): Promise<Harness> {
  dir = await mkdtemp(join(tmpdir(), 'autoprobe-config-'));
  const volume = await secretVolume(dir, { 'config.yaml': initial });
  const path = volume.path('config.yaml');
  const metrics = createMetrics(new Registry());
  const logs: LogLine[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (l: string) => logs.push(JSON.parse(l) as LogLine) },
  );
  let current = parseConfigText(initial, path, overrides);
  reloader = watchConfig(
    {
      path,
      overrides,
      current: () => current,
      apply: (next) => {
        current = next;
      },
      logger,
      metrics,
      debounceMs,
      pollMs: 0,
    },
    initial,
  );
  return { volume, metrics, logs, current: () => current };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('config reload', () => {
  it('applies a valid new file when the ConfigMap volume is swapped', async () => {
    const h = await harness('mode: enforce\n');
    await h.volume.publish({ 'config.yaml': 'mode: audit\nscope: cluster\n' });
    await until(() => h.current().mode === 'audit');
    expect(h.current().scope).toBe('cluster');
    expect(
      await metricValue(h.metrics, 'autoprobe_config_reloads_total', { result: 'success' }),
    ).toBe(1);
    expect(h.logs.find((l) => l.msg === 'config reloaded')).toMatchObject({
      mode: 'audit',
      scope: 'cluster',
    });
  });

  it('keeps the last good configuration when the new file is invalid, reporting every problem', async () => {
    const h = await harness('mode: audit\n', {}, 10_000);
    await h.volume.publish({ 'config.yaml': 'mode: sometimes\nscope: everywhere\ncolour: blue\n' });
    expect(await reloader?.reload()).toBe('invalid');
    expect(h.current().mode).toBe('audit');
    expect(
      await metricValue(h.metrics, 'autoprobe_config_reloads_total', { result: 'failure' }),
    ).toBe(1);
    const line = h.logs.find((l) => l.msg === 'config file is invalid; keeping the last good one');
    expect(line?.level).toBe(50);
    const problems = (line?.problems ?? []) as string[];
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/\/mode: must be one of/);
    expect(problems.join('\n')).toMatch(/\/scope: must be one of/);
    expect(problems.join('\n')).toMatch(/unknown key "colour"/);
  });

  it('keeps the last good configuration when the new file is not YAML', async () => {
    const h = await harness('mode: audit\n', {}, 10_000);
    await h.volume.publish({ 'config.yaml': 'mode: [audit\n' });
    expect(await reloader?.reload()).toBe('invalid');
    expect(h.current().mode).toBe('audit');
  });

  it('applies the command-line flags over every reloaded file', async () => {
    const h = await harness('mode: enforce\n', { mode: 'enforce' }, 10_000);
    await h.volume.publish({ 'config.yaml': 'mode: audit\nscope: cluster\n' });
    expect(await reloader?.reload()).toBe('applied');
    expect(h.current().mode).toBe('enforce');
    expect(h.current().scope).toBe('cluster');
  });

  it('does nothing when the content did not change', async () => {
    const h = await harness('mode: audit\n', {}, 10_000);
    expect(await reloader?.reload()).toBe('unchanged');
    expect(
      await metricValue(h.metrics, 'autoprobe_config_reloads_total', { result: 'success' }),
    ).toBe(0);
  });

  it('warns that server settings need a restart', async () => {
    const h = await harness('server:\n  port: 8443\n', {}, 10_000);
    await h.volume.publish({ 'config.yaml': 'server:\n  port: 9443\n' });
    expect(await reloader?.reload()).toBe('applied');
    expect(h.logs.some((l) => l.msg.includes('take effect after a restart'))).toBe(true);
  });
});
