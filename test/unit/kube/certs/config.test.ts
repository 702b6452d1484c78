// server.tls.selfManaged in the config file: defaults, validation, and the names the serving
// certificate covers; and `autoprobe serve` refusing the mode without Kubernetes credentials.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SELF_MANAGED_DEFAULTS, parseConfig } from '../../../../src/config/config.js';
import { planSettingsOf } from '../../../../src/kube/certs/settings.js';
import { startSelfManagedTls } from '../../../../src/server/serve-certificates.js';

describe('server.tls.selfManaged', () => {
  it('fills every default when the mode is switched on with {}', () => {
    const config = parseConfig({ server: { tls: { selfManaged: {} } } }, 'test');
    expect(config.server.tls.selfManaged).toEqual({
      secretName: 'autoprobe-tls',
      webhookConfigName: 'autoprobe',
      serviceName: 'autoprobe',
      clusterDomain: 'cluster.local',
      validityDays: 365,
      caValidityDays: 1825,
      rotateBeforeDays: 30,
      resyncSeconds: 300,
    });
    expect(parseConfig(undefined, 'test').server.tls.selfManaged).toBeUndefined();
  });

  it('keeps the values given', () => {
    const config = parseConfig(
      { server: { tls: { selfManaged: { secretName: 'certs', rotateBeforeDays: 10 } } } },
      'test',
    );
    expect(config.server.tls.selfManaged).toEqual({
      ...SELF_MANAGED_DEFAULTS,
      secretName: 'certs',
      rotateBeforeDays: 10,
    });
  });

  it('reports every bad value at once', () => {
    expect(() =>
      parseConfig(
        {
          server: {
            tls: { selfManaged: { secretName: 'Bad_Name', resyncSeconds: 0, colour: 'red' } },
          },
        },
        'test',
      ),
    ).toThrow(
      expect.objectContaining({
        details: [
          'test: /server/tls/selfManaged: unknown key "colour"',
          'test: /server/tls/selfManaged/secretName: must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"',
          'test: /server/tls/selfManaged/resyncSeconds: must be >= 1',
        ],
      }),
    );
  });

  it('refuses a renewal window as long as a lifetime, and certificate files it would not use', () => {
    expect(() =>
      parseConfig(
        {
          server: {
            tls: {
              certFile: '/tls/tls.crt',
              keyFile: '/tls/tls.key',
              selfManaged: { validityDays: 30, rotateBeforeDays: 30 },
            },
          },
        },
        'test',
      ),
    ).toThrow(
      expect.objectContaining({
        details: [
          'test: /server/tls/selfManaged: cannot be combined with server.tls.certFile/keyFile (--tls-cert/--tls-key); it writes its own files into server.tls.generatedDir',
          'test: /server/tls/selfManaged/rotateBeforeDays: must be less than validityDays (30 >= 30)',
        ],
      }),
    );
  });

  it('covers <svc>.<ns>.svc, its cluster-domain form and the extra hosts', () => {
    const settings = planSettingsOf(
      { ...SELF_MANAGED_DEFAULTS, serviceName: 'hook', clusterDomain: 'corp.example' },
      'tools',
      ['127.0.0.1'],
    );
    expect(settings).toEqual({
      hosts: ['hook.tools.svc', 'hook.tools.svc.corp.example', '127.0.0.1'],
      validityMs: 365 * 86_400_000,
      caValidityMs: 1825 * 86_400_000,
      rotateBeforeMs: 30 * 86_400_000,
    });
  });

  it('cannot start without Kubernetes credentials or the pod namespace', async () => {
    const tls = { selfManaged: SELF_MANAGED_DEFAULTS };
    const logger = pino({ level: 'silent' });
    for (const env of [
      { podNamespace: 'autoprobe', kube: null },
      { podNamespace: undefined, kube: { kind: 'in-cluster' as const } },
    ]) {
      await expect(startSelfManagedTls(tls, env, logger)).rejects.toMatchObject({
        code: 'AP_ERR_CONFIG_INVALID',
        message: expect.stringContaining('POD_NAMESPACE') as unknown,
      });
    }
    expect(await startSelfManagedTls({}, { podNamespace: 'x', kube: null }, logger)).toBeNull();
  });
});
