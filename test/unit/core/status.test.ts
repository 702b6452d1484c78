// The status annotation is deterministic and merges later injections.
import { describe, expect, it } from 'vitest';
import { formatStatus, mergeStatus, readStatus } from '../../../src/core/index.js';

describe('status annotation', () => {
  it('is sorted compact JSON with probes in a fixed order', () => {
    const value = formatStatus({
      web: { family: 'redis', probes: ['startup', 'readiness'] },
      db: { family: 'postgres', probes: ['readiness', 'liveness', 'startup'] },
    });
    expect(value).toBe(
      '{"containers":{"db":{"family":"postgres","probes":["liveness","readiness","startup"]},"web":{"family":"redis","probes":["readiness","startup"]}}}',
    );
    expect(formatStatus(readStatus(value))).toBe(value);
  });

  it('merges new injections into an existing status', () => {
    const merged = mergeStatus(
      readStatus('{"containers":{"db":{"family":"postgres","probes":["readiness"]}}}'),
      {
        db: { family: 'postgres', probes: ['liveness'] },
        q: { family: 'rabbitmq', probes: ['startup'] },
      },
    );
    expect(formatStatus(merged)).toBe(
      '{"containers":{"db":{"family":"postgres","probes":["liveness","readiness"]},"q":{"family":"rabbitmq","probes":["startup"]}}}',
    );
  });

  it('treats unreadable values as empty', () => {
    expect(readStatus('not json')).toEqual({});
    expect(readStatus('{"containers":{"x":{"family":"cassandra"}}}')).toEqual({});
    expect(readStatus('[]')).toEqual({});
  });
});
