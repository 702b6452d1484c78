// Annotation overrides: valid values apply, invalid ones are reported and ignored.
import { describe, expect, it } from 'vitest';
import { readOverrides } from '../../../src/core/overrides.js';

describe('readOverrides', () => {
  it('reads per-container values', () => {
    const o = readOverrides(
      {
        'autoprobe.dev/family': 'db=postgres',
        'autoprobe.dev/port': 'db=5433,cache=redis-port',
        'autoprobe.dev/probes': 'cache=readiness+startup',
        'autoprobe.dev/readiness': 'db=tcp',
        'autoprobe.dev/timings': 'db.startup.failureThreshold=720, readiness.periodSeconds=5',
      },
      ['db', 'cache'],
    );
    expect(o.notices).toEqual([]);
    expect(o.containers.get('db')).toEqual({
      family: 'postgres',
      port: { value: 5433 },
      readiness: 'tcp',
      timings: { startup: { failureThreshold: 720 }, readiness: { periodSeconds: 5 } },
    });
    expect(o.containers.get('cache')).toEqual({
      port: { value: 'redis-port' },
      probes: new Set(['readiness', 'startup']),
      timings: { readiness: { periodSeconds: 5 } },
    });
  });

  it('opts the pod out only with exactly "false"', () => {
    expect(readOverrides({ 'autoprobe.dev/inject': 'false' }, ['a']).optOut).toBe(true);
    expect(readOverrides({ 'autoprobe.dev/inject': 'true' }, ['a']).optOut).toBe(false);
    const odd = readOverrides({ 'autoprobe.dev/inject': 'no' }, ['a']);
    expect(odd.optOut).toBe(false);
    expect(odd.notices).toEqual([
      {
        code: 'annotation-invalid',
        detail: 'autoprobe.dev/inject: must be "true" or "false", ignored',
      },
    ]);
  });

  it('applies a bare family or port only to a single-container pod', () => {
    expect(
      readOverrides({ 'autoprobe.dev/family': 'redis' }, ['only']).containers.get('only')?.family,
    ).toBe('redis');
    const multi = readOverrides({ 'autoprobe.dev/family': 'redis' }, ['a', 'b']);
    expect(multi.containers.size).toBe(0);
    expect(multi.notices[0]?.code).toBe('annotation-needs-container');
    expect(multi.notices[0]?.detail).toContain('needs the form container=value');
  });

  it('reports every invalid value and keeps the valid ones', () => {
    const o = readOverrides(
      {
        'autoprobe.dev/family': 'a=cassandra',
        'autoprobe.dev/port': 'a=99999,b=5432,ghost=1',
        'autoprobe.dev/probes': 'a=liveness+sometimes',
        'autoprobe.dev/readiness': 'a=http',
        'autoprobe.dev/timings':
          'a.liveness.successThreshold=2,a.startup.periodSeconds=0,a.readiness.bogus=1,junk',
        'autoprobe.dev/colour': 'blue',
      },
      ['a', 'b'],
    );
    expect(o.containers.get('b')?.port).toEqual({ value: 5432 });
    expect(o.containers.get('a')?.port).toEqual({ invalid: 'port 99999 out of range' });
    expect(o.containers.get('a')?.family).toBeUndefined();
    expect(o.notices).toHaveLength(10);
    for (const n of o.notices) expect(n.detail.length).toBeLessThan(160);
    const text = o.notices.map((n) => n.detail).join('\n');
    expect(text).toMatch(/unknown autoprobe annotation/);
    expect(text).toMatch(/liveness successThreshold must be 1/);
    expect(new Set(o.notices.map((n) => n.code))).toEqual(
      new Set(['annotation-unknown', 'annotation-invalid', 'annotation-no-container']),
    );
  });
});
