// The shared case table through the CLI: each case's pod, as a Pod manifest on stdin.
import { describe, expect, it } from 'vitest';
import { CASES } from '../cases/cases.js';
import { checkDecisions } from '../cases/check.js';
import type { ReportedDecision } from '../cases/check.js';
import { runCli } from './helpers/run-cli.js';

interface PodOut {
  spec: { containers?: Record<string, unknown>[]; initContainers?: Record<string, unknown>[] };
}

const PROBE_FIELDS = {
  liveness: 'livenessProbe',
  readiness: 'readinessProbe',
  startup: 'startupProbe',
};

describe('shared cases through the CLI', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', ...c.pod });
      const mesh = c.namespace === undefined ? [] : ['--mesh', c.namespace.cliMesh];
      const explained = await runCli(['explain', '-f', '-', '-o', 'json', ...mesh], {
        stdin: manifest,
      });
      expect(explained.code, explained.stderr).toBe(0);
      const decisions = JSON.parse(explained.stdout) as ReportedDecision[];
      checkDecisions(decisions, c.expect);

      // inject adds exactly the probes explain announced.
      const injected = await runCli(['inject', '-f', '-', '-o', 'json', ...mesh], {
        stdin: manifest,
      });
      const [pod] = (JSON.parse(injected.stdout) as { items: PodOut[] }).items;
      const containers = [...(pod?.spec.containers ?? []), ...(pod?.spec.initContainers ?? [])];
      for (const decision of decisions) {
        const container = containers.find((x) => x.name === decision.container);
        for (const [kind, probe] of Object.entries(decision.probes)) {
          expect(container?.[PROBE_FIELDS[kind as keyof typeof PROBE_FIELDS]]).toEqual(probe);
        }
      }
    });
  }
});
