// Flags over the config file: merged before validation, so the schema names a bad flag value, and
// unset flags change nothing. The server keys added for serve validate like the rest.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { applyOverrides, hasOverrides } from '../../src/config/overrides.js';

describe('applyOverrides', () => {
  it('merges objects key by key and replaces other values', () => {
    const raw = { mode: 'audit', server: { port: 1, tls: { generatedDir: '/d' } } };
    expect(
      applyOverrides(raw, { mode: 'enforce', server: { tls: { certFile: 'c', keyFile: 'k' } } }),
    ).toEqual({
      mode: 'enforce',
      server: { port: 1, tls: { generatedDir: '/d', certFile: 'c', keyFile: 'k' } },
    });
  });

  it('ignores unset flags and does not touch the input', () => {
    const raw = Object.freeze({ mode: 'audit' });
    expect(applyOverrides(raw, { server: {} })).toEqual({ mode: 'audit' });
    expect(hasOverrides({ server: { tls: {} } })).toBe(false);
    expect(hasOverrides({ server: { port: 0 } })).toBe(true);
  });

  it('leaves a non-object file alone so the schema reports it', () => {
    expect(applyOverrides(['x'], { mode: 'audit' })).toEqual(['x']);
  });

  it('lets the schema name a bad flag value', () => {
    expect(() => parseConfig({}, 'flags', { server: { port: 'http' } })).toThrow(
      expect.objectContaining({ details: ['flags: /server/port: must be integer'] }),
    );
  });
});

describe('server.tls.hosts', () => {
  it('accepts DNS names and addresses for the development certificate', () => {
    const config = parseConfig(
      { server: { tls: { hosts: ['host.docker.internal', '172.18.0.1'] } } },
      't',
    );
    expect(config.server.tls.hosts).toEqual(['host.docker.internal', '172.18.0.1']);
  });

  it('refuses duplicates and empty names', () => {
    expect(() => parseConfig({ server: { tls: { hosts: ['a', 'a', ''] } } }, 't')).toThrow(
      expect.objectContaining({ code: 'AP_ERR_CONFIG_INVALID' }),
    );
  });
});
