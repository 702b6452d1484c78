/**
 * The ways of installing the chart the tests render: the golden cases (one per option, compared
 * with test/fixtures/chart/<name>.yaml) and the full matrix of scope × mode × certificates,
 * checked for the properties every install must have.
 */
import type { ChartCase } from './helm.js';

/** A PEM-looking CA bundle in base64, for the `secret` certificates mode. */
export const SECRET_CA_BUNDLE = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n',
).toString('base64');

/** One rendering per option, kept as golden files. */
export const GOLDEN_CASES: readonly ChartCase[] = [
  { name: 'default', values: {} },
  { name: 'audit-cluster', values: { 'config.mode': 'audit', 'config.scope': 'cluster' } },
  { name: 'cert-manager', values: { 'certificates.mode': 'certManager' } },
  {
    name: 'cert-manager-issuer',
    values: {
      'certificates.mode': 'certManager',
      'certificates.certManager.issuerRef': {
        name: 'corp-ca',
        kind: 'ClusterIssuer',
        group: 'cert-manager.io',
      },
    },
  },
  {
    name: 'secret',
    values: {
      'certificates.mode': 'secret',
      'certificates.secret': { name: 'autoprobe-serving', caBundle: SECRET_CA_BUNDLE },
    },
  },
  {
    name: 'monitoring-priority',
    values: { 'serviceMonitor.enabled': true, priorityClassName: 'autoprobe-critical' },
  },
  {
    name: 'alerts-dashboard',
    values: {
      'serviceMonitor.enabled': true,
      'prometheusRule.enabled': true,
      'prometheusRule.labels': { release: 'kube-prometheus-stack' },
      'grafanaDashboard.enabled': true,
    },
  },
  { name: 'audit-schedule', values: { 'auditSchedule.enabled': true } },
  {
    name: 'custom-config',
    values: {
      'config.excludedNamespaces': ['legacy', 'autoprobe'],
      'config.logLevel': 'debug',
      'config.families': {
        postgres: { timings: { startup: { failureThreshold: 720 } } },
        rabbitmq: { readinessMode: 'tcp' },
        kafka: { enabled: false },
      },
      'config.mirrors': [{ prefix: 'mirror.example.com/dockerhub', upstream: 'docker.io' }],
      'config.images': [{ name: 'registry.example.com/team/postgres', family: 'postgres' }],
      'config.negatives': [{ name: 'registry.example.com/team/pg-proxy', why: 'a proxy' }],
      'config.operators': [{ operator: 'acme', labelKeys: ['acme.io/cluster'] }],
      'config.server.shutdownDelayMs': 15000,
      terminationGracePeriodSeconds: 45,
      'webhook.timeoutSeconds': 3,
    },
  },
];

const SCOPES = ['optin', 'cluster'] as const;
const MODES = ['enforce', 'audit'] as const;
const CERTIFICATES = {
  selfManaged: { 'certificates.mode': 'selfManaged' },
  certManager: { 'certificates.mode': 'certManager' },
  secret: {
    'certificates.mode': 'secret',
    'certificates.secret': { name: 'autoprobe-serving', caBundle: SECRET_CA_BUNDLE },
  },
} as const;

/** Every scope × mode × certificates combination, plus monitoring and a PriorityClass. */
export const MATRIX: readonly ChartCase[] = [
  ...SCOPES.flatMap((scope) =>
    MODES.flatMap((mode) =>
      Object.entries(CERTIFICATES).map(([certificates, values]) => ({
        name: `${scope} ${mode} ${certificates}`,
        values: { 'config.scope': scope, 'config.mode': mode, ...values },
      })),
    ),
  ),
  {
    name: 'ServiceMonitor on, PriorityClass set',
    values: { 'serviceMonitor.enabled': true, priorityClassName: 'autoprobe-critical' },
  },
  {
    name: 'alerts and dashboard on',
    values: {
      'serviceMonitor.enabled': true,
      'prometheusRule.enabled': true,
      'grafanaDashboard.enabled': true,
    },
  },
];
