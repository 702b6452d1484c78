/**
 * @module lint/rules — the lint's rules for the probes a container already has: a stable code,
 * a severity (`error`: it can kill or hide a healthy pod; `warning`: wasteful or fragile), the
 * rule, a one-line fix and the source (keys of docs/sources.md, issues, docs). docs/lint.md is
 * generated from this table.
 */
import type { InvariantId } from '../safety/invariants.js';

/** How bad a finding is. */
export type Severity = 'error' | 'warning';

interface LintRule {
  readonly severity: Severity;
  readonly rule: string;
  readonly fix: string;
  readonly source: string;
}

export const LINT_RULES = {
  'probe-port-not-listening': {
    severity: 'error',
    rule: "A probe's port is one the server's own args, env or config do not listen on.",
    fix: 'Probe the port the server listens on (or name the declared containerPort).',
    source: 'DESIGN §2.4; MG-PORTS (--configsvr listens on 27019)',
  },
  'tcp-probe-loopback-server': {
    severity: 'error',
    rule: 'A tcpSocket probe on a server that listens only on loopback (or not on TCP): the kubelet dials the pod IP.',
    fix: 'Bind the server to 0.0.0.0, or use an exec probe that connects to 127.0.0.1.',
    source:
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
  },
  'probe-tool-missing': {
    severity: 'error',
    rule: 'An exec probe runs a program this image does not have at this version (or a shell in a shell-less image).',
    fix: 'Use the tool the image ships (mariadb-admin on MariaDB ≥ 11, mongosh on MongoDB ≥ 6) or a tcpSocket probe.',
    source: 'MariaDB/mariadb-docker#512; docker-library/mongo 9631e54a (MG-9631)',
  },
  'exec-without-credentials': {
    severity: 'error',
    rule: 'An exec probe talks to a server that may need a password (requirepass, ACLs, a config file) and cannot send it.',
    fix: 'Pass the credential from the container env (REDISCLI_AUTH, PGPASSWORD, …), or use a tcpSocket probe.',
    source: 'redis/redis#5458; argo-cd install.yaml ("--requirepass $(REDIS_PASSWORD)")',
  },
  'startup-budget-too-short': {
    severity: 'error',
    rule: "A startup probe's budget (initialDelaySeconds + periodSeconds × failureThreshold) is below the family's recovery minimum.",
    fix: 'Raise failureThreshold until the budget covers crash recovery (docs/catalog.md lists each family minimum).',
    source: 'ground truth §1-§6 (CNPG-IM 3600 s, KAFKA-14658, RMQ-MON peer wait, Percona 7200 s)',
  },
  'liveness-without-startup': {
    severity: 'error',
    rule: "A liveness probe with no startup probe, whose budget is below the family's recovery minimum: it kills a server in recovery.",
    fix: 'Add a startup probe with a budget that covers recovery; liveness starts after it passes.',
    source:
      'DESIGN §1; https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/',
  },
  'liveness-on-ha-manager': {
    severity: 'error',
    rule: 'A liveness or startup probe on a server an HA manager (Patroni, repmgr, Galera) stops, demotes or re-seeds on purpose.',
    fix: "Remove it; keep readiness, and let the manager's own health endpoint drive restarts.",
    source: 'PATRONI-1159; google/trillian#614 (Galera SST)',
  },
  'heavy-cli-in-liveness': {
    severity: 'error',
    rule: 'A liveness or startup probe runs a CLI that boots a JVM, an Erlang VM or Node.js per run.',
    fix: 'Use a tcpSocket probe (or, for readiness, the CLI with a generous timeout).',
    source:
      'RMQ-MON (rabbitmq-diagnostics); KF-RUNCLASS (JVM per run, 1–2 s CPU); ground truth §11 (mongosh)',
  },
  'http-probe-on-server-port': {
    severity: 'error',
    rule: 'An httpGet probe on the port where the server speaks its own protocol, not HTTP: it never passes.',
    fix: 'Use a tcpSocket probe on that port, or httpGet on an HTTP port (a management or metrics endpoint).',
    source: 'ground truth (none of the seven engines answers HTTP on its client port)',
  },
  'pg-isready-over-socket': {
    severity: 'warning',
    rule: 'pg_isready without -h asks over the Unix socket: it reports ready while the entrypoint runs its socket-only init server.',
    fix: 'Add -h 127.0.0.1 (and -p with the port).',
    source: 'PG-ENT (docker_temp_server_start)',
  },
  'tcp-probe-under-mesh': {
    severity: 'warning',
    rule: 'A tcpSocket probe where a mesh proxy answers every TCP connection: it always passes.',
    fix: "Use an exec probe that connects from inside the container, or the mesh's probe rewriting.",
    source: 'linkerd/linkerd2#7777; istio/istio#33734',
  },
  'exec-tool-without-timeout': {
    severity: 'warning',
    rule: "An exec probe runs a tool without its own `timeout` below the probe's timeoutSeconds.",
    fix: 'Wrap it: timeout 4 redis-cli ping (with timeoutSeconds 5).',
    source: 'kubernetes/kubernetes#94115; bitnami/charts redis health scripts',
  },
  'probe-thresholds-invalid': {
    severity: 'error',
    rule: 'A timing field is out of the range the API accepts, or liveness/startup have a successThreshold other than 1.',
    fix: 'Use integers in range; successThreshold 1 for liveness and startup.',
    source: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe',
  },
} as const satisfies Record<string, LintRule>;

/** A lint rule's code. */
export type LintCode = keyof typeof LINT_RULES;

/** The lint code each safety invariant maps to, when the gate's check applies to a user's probe. */
export const INVARIANT_LINT: Readonly<Partial<Record<InvariantId, LintCode>>> = {
  'thresholds-valid': 'probe-thresholds-invalid',
  'ha-readiness-only': 'liveness-on-ha-manager',
  'tcp-means-what-it-says': 'tcp-probe-under-mesh',
  'tcp-reaches-server': 'tcp-probe-loopback-server',
  'port-is-listening': 'probe-port-not-listening',
  'exec-timeout': 'exec-tool-without-timeout',
  'credentials-readable': 'exec-without-credentials',
  'startup-budget': 'startup-budget-too-short',
  // tool-in-image: the lint has its own rule (a tool the catalog does not list is not missing).
  // exec-runs-as-built, user-probe-kept: about the probes autoprobe builds, not the user's.
};

/**
 * Programs that start a virtual machine or a runtime per run (JVM, Erlang, Node.js). Matched by
 * basename; `kafka-*` covers the Kafka scripts with and without `.sh`.
 */
export const HEAVY_CLIS: readonly RegExp[] = [
  /^rabbitmq-(diagnostics|plugins|queues|upgrade)$/,
  /^rabbitmqctl$/,
  /^kafka-[a-z-]+(\.sh)?$/,
  /^(java|jcmd|jps|nodetool)$/,
  /^mongosh$/,
];
