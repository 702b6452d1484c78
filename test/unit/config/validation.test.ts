// Config validation reports every problem of a file at once: schema errors and cross-key rules
// together, so an operator fixes a values file in one round instead of one error per restart.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.js';
import { AutoprobeError } from '../../../src/core/index.js';

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw, 'c.yaml');
  } catch (error) {
    if (error instanceof AutoprobeError)
      return error.details.map((d) => d.replace(/^c\.yaml: /, ''));
    throw error;
  }
  return [];
}

describe('config validation', () => {
  it('reports a lone certFile together with a schema error elsewhere', () => {
    expect(problemsOf({ mode: 'loud', server: { tls: { certFile: '/c' } } })).toEqual([
      expect.stringMatching(/^\/mode: must be one of/),
      '/server/tls: certFile and keyFile (--tls-cert, --tls-key) must be given together',
    ]);
  });

  it('reports a lone keyFile', () => {
    expect(problemsOf({ server: { tls: { keyFile: '/k' } } })).toEqual([
      '/server/tls: certFile and keyFile (--tls-cert, --tls-key) must be given together',
    ]);
  });

  it('refuses the webhook and metrics listeners on one port, the defaults filled in', () => {
    expect(problemsOf({ server: { port: 8080 } })).toEqual([
      '/server/metricsPort: must differ from server.port (both are 8080)',
    ]);
    expect(problemsOf({ server: { port: 9000, metricsPort: 9000 } })).toHaveLength(1);
  });

  it('lets both ports be 0, each then picking a free port', () => {
    expect(problemsOf({ server: { port: 0, metricsPort: 0 } })).toEqual([]);
  });

  it('refuses excluded namespaces that are not DNS labels', () => {
    const problems = problemsOf({
      excludedNamespaces: ['kube-system', 'Kube_System', 'a.b', '-x'],
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^\/excludedNamespaces\/1: must match pattern/);
  });

  it('skips a cross-key rule over a section the schema found malformed, instead of misreading it', () => {
    expect(problemsOf({ server: { port: 'http', metricsPort: 'http' } })).toEqual([
      '/server/port: must be integer',
      '/server/metricsPort: must be integer',
    ]);
    expect(problemsOf({ server: 'x' })).toEqual(['/server: must be object']);
  });

  it('still runs the rules of clean sections when another section is malformed', () => {
    const problems = problemsOf({
      server: { port: 'http' },
      families: { redis: { timings: { startup: { failureThreshold: 1, periodSeconds: 1 } } } },
      images: [{ name: 'registry.example.com/team/pg', family: 'postgres', like: 'nope' }],
    });
    expect(problems).toEqual([
      '/server/port: must be integer',
      expect.stringMatching(/^\/images\/0\/like: postgres has no variant "nope"/),
      expect.stringMatching(/^\/families\/redis\/timings\/startup: a \d+ s budget is below/),
    ]);
  });
});
