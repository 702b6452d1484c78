// values.schema.json: helm refuses bad values with the key's path, every object refuses unknown
// keys, the checks the schema cannot express fail the render with a clear message, and the
// `config` values are validated exactly as autoprobe validates its config file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, inject, it } from 'vitest';
import { CONFIG_SCHEMA } from '../../src/config/schema.js';
import { CHART_DIR, runHelm, templateArgs } from './helpers/helm.js';

const helm = inject('helm');

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
  additionalProperties?: unknown;
  type?: unknown;
};

const CHART_SCHEMA = JSON.parse(
  readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8'),
) as Schema;

/** resolve replaces `#/definitions/…` references, to compare with the config schema. */
function resolve(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(resolve);
  if (typeof schema !== 'object' || schema === null) return schema;
  const ref = (schema as Schema).$ref;
  if (ref !== undefined)
    return resolve(CHART_SCHEMA.definitions?.[ref.replace('#/definitions/', '')]);
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(v)]));
}

function templateError(values: Record<string, unknown>): string {
  const run = runHelm(helm, templateArgs(values));
  expect(run.status, 'helm template should fail').not.toBe(0);
  return run.stderr;
}

describe('values.schema.json', () => {
  it.each([
    ['an unknown top-level value', { replicas: 3 }, "additional properties 'replicas' not allowed"],
    [
      'an unknown config key',
      { 'config.modes': 'audit' },
      "additional properties 'modes' not allowed",
    ],
    [
      'a mode that does not exist',
      { 'config.mode': 'dry-run' },
      "at '/config/mode': value must be one of 'enforce', 'audit'",
    ],
    ['a scope that does not exist', { 'config.scope': 'all' }, "at '/config/scope'"],
    [
      'a webhook timeout above 3 s',
      { 'webhook.timeoutSeconds': 10 },
      "at '/webhook/timeoutSeconds': maximum: got 10, want 3",
    ],
    [
      'a failurePolicy (always Ignore)',
      { 'webhook.failurePolicy': 'Fail' },
      "additional properties 'failurePolicy' not allowed",
    ],
    ['no replicas', { replicaCount: 0 }, "at '/replicaCount': minimum: got 0, want 1"],
    [
      'an excluded namespace that is not a DNS label',
      { 'config.excludedNamespaces': ['Kube_System'] },
      "at '/config/excludedNamespaces/0'",
    ],
    ['an unknown certificates mode', { 'certificates.mode': 'vault' }, "at '/certificates/mode'"],
    [
      'the secret mode without a Secret name',
      { 'certificates.mode': 'secret' },
      "at '/certificates/secret/name'",
    ],
    [
      'an issuerRef without a name',
      {
        'certificates.mode': 'certManager',
        'certificates.certManager.issuerRef': { kind: 'ClusterIssuer' },
      },
      "missing property 'name'",
    ],
    [
      'a caBundle that is not base64',
      {
        'certificates.mode': 'secret',
        'certificates.secret': { name: 's', caBundle: '-----BEGIN' },
      },
      "at '/certificates/secret/caBundle'",
    ],
    [
      'a renewal window longer than the certificate',
      { 'certificates.selfManaged.rotateBeforeDays': 5000 },
      "at '/certificates/selfManaged/rotateBeforeDays'",
    ],
    ['an image digest that is not sha256', { 'image.digest': 'latest' }, "at '/image/digest'"],
    [
      'an unknown family',
      { 'config.families': { cassandra: { enabled: true } } },
      "additional properties 'cassandra' not allowed",
    ],
    [
      'a timing that is not a number',
      { 'config.families': { redis: { timings: { liveness: { periodSeconds: 'often' } } } } },
      "at '/config/families/redis/timings/liveness/periodSeconds'",
    ],
    [
      'a custom image with a tag',
      { 'config.images': [{ name: 'Team/Postgres:16', family: 'postgres' }] },
      "at '/config/images/0/name'",
    ],
    [
      'an unknown resource',
      { 'resources.requests': { gpu: 1 } },
      "additional properties 'gpu' not allowed",
    ],
    [
      'a spread policy that does not exist',
      { 'topologySpread.zone': 'Sometimes' },
      "at '/topologySpread/zone'",
    ],
    [
      'an invalid PriorityClass name',
      { priorityClassName: 'Critical_Class' },
      "at '/priorityClassName'",
    ],
    [
      'an unknown ServiceMonitor setting',
      { 'serviceMonitor.port': 'metrics' },
      "additional properties 'port' not allowed",
    ],
  ])('refuses %s', (_what, values, message) => {
    expect(templateError(values)).toContain(message);
  });

  it.each([
    [
      'a grace period shorter than the shutdown delay and drain',
      { terminationGracePeriodSeconds: 15 },
      'terminationGracePeriodSeconds (15) must exceed',
    ],
    [
      'a renewal window as long as the certificate',
      { 'certificates.selfManaged.rotateBeforeDays': 365 },
      'certificates.selfManaged.rotateBeforeDays (365) must be less than validityDays (365)',
    ],
    [
      'a PDB over a single replica',
      { replicaCount: 1 },
      'podDisruptionBudget.enabled needs replicaCount >= 2',
    ],
    [
      'a PDB that allows every replica to go',
      { replicaCount: 3, 'podDisruptionBudget.maxUnavailable': 3 },
      'podDisruptionBudget.maxUnavailable (3) must be below replicaCount (3)',
    ],
  ])('fails the render on %s', (_what, values, message) => {
    expect(templateError(values)).toContain(message);
  });

  it('refuses unknown keys in every object it describes', () => {
    const open: string[] = [];
    const walk = (schema: Schema, path: string): void => {
      if (
        schema.type === 'object' &&
        schema.properties !== undefined &&
        schema.additionalProperties !== false
      ) {
        open.push(path);
      }
      for (const [key, child] of Object.entries(schema.properties ?? {}))
        walk(child, `${path}/${key}`);
      if (schema.items !== undefined) walk(schema.items, `${path}[]`);
    };
    walk(resolve(CHART_SCHEMA) as Schema, '');
    expect(open).toEqual([]);
  });

  it('validates config exactly as autoprobe validates its config file', () => {
    const config = (resolve(CHART_SCHEMA) as Schema).properties?.config?.properties ?? {};
    const own = CONFIG_SCHEMA.properties;
    for (const key of [
      'mode',
      'scope',
      'excludedNamespaces',
      'logLevel',
      'families',
      'mirrors',
      'images',
      'negatives',
      'operators',
    ] as const) {
      expect(config[key], `config.${key}`).toEqual(own[key]);
    }
    expect(Object.keys(config).sort()).toEqual(
      [...Object.keys(own).filter((k) => k !== 'server'), 'server'].sort(),
    );
    const server = config.server?.properties ?? {};
    for (const key of [
      'requestTimeoutMs',
      'keepAliveTimeoutMs',
      'shutdownDelayMs',
      'maxInFlightMiB',
    ] as const) {
      expect(server[key], `config.server.${key}`).toEqual(own.server.properties[key]);
    }
    const selfManaged =
      (resolve(CHART_SCHEMA) as Schema).properties?.certificates?.properties?.selfManaged
        ?.properties ?? {};
    const ownSelfManaged = own.server.properties.tls.properties.selfManaged.properties;
    for (const [key, schema] of Object.entries(selfManaged)) {
      expect(schema, `certificates.selfManaged.${key}`).toEqual(
        ownSelfManaged[key as keyof typeof ownSelfManaged],
      );
    }
  });

  it('is a valid JSON Schema that accepts the chart defaults', () => {
    const values = runHelm(helm, ['show', 'values', CHART_DIR]);
    expect(values.status).toBe(0);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(CHART_SCHEMA);
    const parsed: unknown = parseYaml(values.stdout);
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
  });
});
