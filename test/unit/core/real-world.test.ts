// The real-world corpus (test/fixtures/real-world): public manifests copied verbatim, each
// container's verdict written from the ground truth before the engine ran. Every verdict must
// hold, and no added probe may harm a healthy pod: wrong port, unauthenticated check on a
// protected server, liveness without startup, a budget under the family's recovery minimum, a
// tool the image lacks (the gate's own check), or liveness/startup on an HA-managed server.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseManifests } from '../../../src/cli/manifests.js';
import {
  DEFAULT_ENGINE_CONFIG,
  PROBE_KINDS,
  formatReason,
  planPod,
} from '../../../src/core/index.js';
import type { ContainerDecision, Probe, ProbeKind } from '../../../src/core/index.js';

const ROOT = new URL('../../fixtures/real-world/', import.meta.url).pathname;

interface Verdict {
  readonly file: string;
  readonly object: string;
  readonly container: string;
  readonly family: string | null;
  readonly verdict: 'inject' | 'skip';
  readonly probes: readonly ProbeKind[];
  readonly port: number | null;
  readonly auth: boolean;
  readonly ha?: string;
  readonly why: string;
}

interface Decided {
  readonly decision: ContainerDecision;
  readonly container: Record<string, unknown>;
}

const verdicts = parse(readFileSync(join(ROOT, 'verdicts.yaml'), 'utf8')) as Verdict[];

/** Every container decision of the corpus, keyed `file|Kind/name|container`. */
function decideCorpus(): Map<string, Decided> {
  const out = new Map<string, Decided>();
  for (const name of readdirSync(join(ROOT, 'manifests'))) {
    const file = `manifests/${name}`;
    const { manifests } = parseManifests({ file, text: readFileSync(join(ROOT, file), 'utf8') });
    for (const manifest of manifests) {
      for (const w of manifest.workloads) {
        const plan = planPod(w.template, DEFAULT_ENGINE_CONFIG);
        const spec = (w.template.spec ?? {}) as Record<
          string,
          Record<string, unknown>[] | undefined
        >;
        for (const d of plan.decisions) {
          const container = spec[d.list]?.[d.index] ?? {};
          out.set(`${file}|${w.kind}/${w.name ?? ''}|${d.container}`, { decision: d, container });
        }
      }
    }
  }
  return out;
}

const decided = decideCorpus();

function portOf(probe: Probe, container: Record<string, unknown>): number | undefined {
  const port = probe.tcpSocket?.port;
  if (typeof port === 'number') return port;
  if (typeof port === 'string') {
    const ports = (container.ports ?? []) as { name?: string; containerPort: number }[];
    return ports.find((p) => p.name === port)?.containerPort;
  }
  const m = /(?:^|\s)(?:-p|-P|--port) (\d+)/.exec(probe.exec?.command.join(' ') ?? '');
  return m === null ? undefined : Number(m[1]);
}

describe('the real-world corpus', () => {
  it('has a verdict for every container and a source for every manifest', () => {
    const keys = new Set(verdicts.map((v) => `${v.file}|${v.object}|${v.container}`));
    for (const key of decided.keys()) expect(keys.has(key), key).toBe(true);
    const sources = readFileSync(join(ROOT, 'SOURCES.tsv'), 'utf8');
    for (const name of readdirSync(join(ROOT, 'manifests'))) {
      expect(sources, name).toMatch(
        new RegExp(`^manifests/${name}\\t\\S+\\t\\S+\\t[0-9a-f]{40}\\t`, 'm'),
      );
    }
    expect(readdirSync(join(ROOT, 'manifests')).length).toBeGreaterThanOrEqual(100);
  });

  for (const v of verdicts) {
    it(`${v.file} ${v.object} ${v.container}: ${v.verdict} ${v.probes.join('+')}`, () => {
      const found = decided.get(`${v.file}|${v.object}|${v.container}`);
      expect(found, 'decision').toBeDefined();
      if (found === undefined) return;
      const { decision: d, container } = found;
      const context = `${v.why}\n  engine: ${d.reasons.map(formatReason).join(' | ')}`;
      expect(d.action, context).toBe(v.verdict);
      if (v.verdict === 'inject') expect(d.family, context).toBe(v.family);
      const kinds = d.action === 'inject' ? d.kinds : [];
      expect(kinds, context).toEqual(PROBE_KINDS.filter((k) => v.probes.includes(k)));
      // No harm, whatever the verdict said about coverage.
      expect(d.vetoed, context).toEqual([]);
      if (d.action !== 'inject') return;
      for (const [kind, probe] of Object.entries(d.probes) as [ProbeKind, Probe][]) {
        const port = portOf(probe, container);
        if (v.port !== null && port !== undefined)
          expect(port, `${kind} port; ${context}`).toBe(v.port);
      }
      const readiness = d.probes.readiness?.exec?.command.join(' ');
      if (v.auth && readiness !== undefined) expect(readiness, context).toMatch(/REDISCLI_AUTH=/);
      if (v.ha !== undefined) expect(kinds, context).toEqual(['readiness']);
    });
  }
});
