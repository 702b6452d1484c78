/**
 * @module config/schema — the JSON Schema of autoprobe's config file (YAML). One schema serves the
 * server, the CLI (`--config`) and the Helm chart's values (which render this file).
 */
import { FAMILIES, MESH_SETTINGS, PROBE_KINDS } from '../core/index.js';

const timingPatch = {
  type: 'object',
  additionalProperties: false,
  properties: {
    initialDelaySeconds: { type: 'integer', minimum: 0, maximum: 2147483647 },
    periodSeconds: { type: 'integer', minimum: 1, maximum: 2147483647 },
    timeoutSeconds: { type: 'integer', minimum: 1, maximum: 2147483647 },
    failureThreshold: { type: 'integer', minimum: 1, maximum: 2147483647 },
    successThreshold: { type: 'integer', minimum: 1, maximum: 2147483647 },
  },
} as const;

const probeFlags = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(PROBE_KINDS.map((k) => [k, { type: 'boolean' }])),
} as const;

const familySettings = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    probes: probeFlags,
    readinessMode: { enum: ['exec', 'tcp'] },
    timings: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(PROBE_KINDS.map((k) => [k, timingPatch])),
    },
  },
} as const;

const imageName = {
  type: 'string',
  minLength: 3,
  maxLength: 255,
  pattern: '^[a-z0-9.:\\-\\[\\]]+(/[a-z0-9._-]+)+$',
};

/** A DNS-1123 name, as Kubernetes requires for Secrets, Services and webhook configurations. */
const objectName = {
  type: 'string',
  minLength: 1,
  maxLength: 253,
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
} as const;

/**
 * Self-managed certificates (kube/certs): autoprobe keeps a CA and its serving certificate in a
 * Secret of its own namespace and the webhook configuration's caBundle in step with it.
 */
const selfManaged = {
  type: 'object',
  additionalProperties: false,
  properties: {
    secretName: objectName,
    webhookConfigName: objectName,
    serviceName: { ...objectName, maxLength: 63 },
    clusterDomain: objectName,
    validityDays: { type: 'integer', minimum: 2, maximum: 3650 },
    caValidityDays: { type: 'integer', minimum: 2, maximum: 36500 },
    rotateBeforeDays: { type: 'integer', minimum: 1, maximum: 3649 },
    resyncSeconds: { type: 'integer', minimum: 1, maximum: 86400 },
  },
} as const;

export const CONFIG_SCHEMA = {
  $id: 'https://autoprobe.dev/schemas/config.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: { enum: ['enforce', 'audit'] },
    scope: { enum: ['optin', 'cluster'] },
    mesh: { enum: [...MESH_SETTINGS] },
    excludedNamespaces: {
      type: 'array',
      // A namespace name is a DNS-1123 label; anything else could never match.
      items: {
        type: 'string',
        minLength: 1,
        maxLength: 63,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      },
      uniqueItems: true,
    },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    server: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        metricsPort: { type: 'integer', minimum: 0, maximum: 65535 },
        tls: {
          type: 'object',
          additionalProperties: false,
          properties: {
            certFile: { type: 'string', minLength: 1 },
            keyFile: { type: 'string', minLength: 1 },
            generatedDir: { type: 'string', minLength: 1 },
            // Extra DNS names or IP addresses for the generated development certificate
            // (localhost, 127.0.0.1 and ::1 are always included), e.g. host.docker.internal or
            // the kind network's gateway address, so a local cluster's apiserver can call it;
            // with selfManaged, extra names of the serving certificate besides the Service's.
            hosts: {
              type: 'array',
              items: { type: 'string', minLength: 1, maxLength: 253 },
              uniqueItems: true,
            },
            selfManaged,
          },
        },
        requestTimeoutMs: { type: 'integer', minimum: 100, maximum: 30000 },
        keepAliveTimeoutMs: { type: 'integer', minimum: 1000, maximum: 600000 },
        shutdownDelayMs: { type: 'integer', minimum: 0, maximum: 300000 },
        maxInFlightMiB: { type: 'integer', minimum: 1, maximum: 4096 },
      },
    },
    families: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(FAMILIES.map((f) => [f, familySettings])),
    },
    mirrors: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['prefix', 'upstream'],
        properties: {
          prefix: { type: 'string', minLength: 1, pattern: '^[^\\s/]+(/[^\\s/]+)*$' },
          upstream: { type: 'string', minLength: 1, pattern: '^[^\\s/]+(/[^\\s/]+)*$' },
        },
      },
    },
    images: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'family'],
        properties: {
          name: imageName,
          family: { enum: [...FAMILIES] },
          like: { type: 'string', minLength: 1 },
        },
      },
    },
    negatives: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'why'],
        properties: { name: imageName, why: { type: 'string', minLength: 1, maxLength: 200 } },
      },
    },
    operators: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['operator'],
        properties: {
          operator: { type: 'string', minLength: 1 },
          labelKeys: { type: 'array', items: { type: 'string', minLength: 1 } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          ownerApiGroups: { type: 'array', items: { type: 'string', minLength: 1 } },
        },
      },
    },
  },
} as const;
