/**
 * @module safety/invariants — the named invariants the safety gate holds every added probe to.
 * One line of rule, what breaking it does to a healthy pod, and the source; docs/safety.md is
 * generated from this table.
 */
import type { ReasonCode } from '../reasons.js';

interface Invariant {
  /** The reason code a veto carries. */
  readonly code: ReasonCode;
  readonly rule: string;
  readonly prevents: string;
  readonly source: string;
}

export const INVARIANTS = {
  'user-probe-kept': {
    code: 'veto-user-probe',
    rule: 'A probe kind the user already set is never added or replaced.',
    prevents: "overwriting the user's own judgement about their server",
    source: 'DESIGN §1 ("Never overwrite a probe the user set")',
  },
  'thresholds-valid': {
    code: 'veto-thresholds',
    rule: 'Every timing field is an integer in the range the API accepts; liveness and startup have successThreshold 1.',
    prevents:
      'a Pod the apiserver rejects (a webhook patch it cannot apply is a 500 whatever the failurePolicy)',
    source: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe',
  },
  'ha-readiness-only': {
    code: 'veto-ha-managed',
    rule: 'A server run by an HA manager (Patroni, repmgr, Galera) gets no liveness or startup probe.',
    prevents: 'restarting a server the manager stopped, demoted or is re-seeding on purpose',
    source: 'patroni/patroni#1159; google/trillian#614 (Galera SST); ground truth §7.6',
  },
  'tcp-reaches-server': {
    code: 'veto-unreachable',
    rule: 'A tcpSocket probe is added only where the server listens on the pod IP (not loopback-only, not without TCP).',
    prevents:
      'a probe that fails on a healthy server bound to 127.0.0.1 (kubelet dials the pod IP)',
    source:
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
  },
  'tcp-means-what-it-says': {
    code: 'veto-mesh-tcp',
    rule: 'No tcpSocket probe where a mesh proxy answers every TCP connection (Linkerd; Istio when its injector already ran or does not rewrite).',
    prevents:
      'a probe that always passes: it hides an unhealthy pod, and a startup probe that passes at once lets liveness start too early',
    source: 'linkerd/linkerd2#7777; istio/istio#33734',
  },
  'port-is-listening': {
    code: 'veto-port-mismatch',
    rule: "Every port a probe uses is the one the server's own args and env resolve to, whatever decided the family.",
    prevents:
      'a startup or liveness probe on a port nothing listens on (restart loop), a readiness that never passes',
    source:
      'DESIGN §2.4; the numactl/--configsvr case of issue #11 (mongod on 27019 probed on 27017)',
  },
  'exec-runs-as-built': {
    code: 'veto-kubelet-expansion',
    rule: "An exec probe's command comes out of the kubelet's probe-time `$(VAR)` expansion unchanged.",
    prevents:
      'a probe that runs another command than the one built: the kubelet substitutes raw env values (empty for Secret-backed ones) and turns `$$` into `$`',
    source:
      'k8s.io/kubernetes pkg/kubelet/prober/prober.go (ExpandContainerCommandOnlyStatic); issue #12 (a $(VAR) chain reaching pg_isready -U)',
  },
  'exec-timeout': {
    code: 'veto-exec-timeout',
    rule: "Every tool an exec probe runs is under its own `timeout` shorter than the probe's timeoutSeconds.",
    prevents: 'hung tools and zombies piling up in the container after the kubelet gives up',
    source:
      'kubernetes/kubernetes#94115 (exec timeouts enforced since 1.20); bitnami/charts redis health scripts',
  },
  'tool-in-image': {
    code: 'veto-tool-missing',
    rule: 'An exec probe runs only tools the image has at that version (or picks among them at run time with `command -v`).',
    prevents:
      '"executable file not found" on every probe (mysqladmin on MariaDB ≥ 11, mongo on MongoDB ≥ 6)',
    source: 'MariaDB/mariadb-docker#512; docker-library/mongo 9631e54a',
  },
  'credentials-readable': {
    code: 'veto-credentials',
    rule: 'Where the server may need credentials (or TLS), an exec probe authenticates with ones it can read: a literal env value or a Secret reference, never an injector reference.',
    prevents: 'a readiness probe answered NOAUTH forever: the pod never becomes Ready',
    source:
      'redis/redis#5458; argo-cd manifests/install.yaml ("--requirepass $(REDIS_PASSWORD)"); bank-vaults/vault-secrets-webhook#422',
  },
  'startup-budget': {
    code: 'veto-startup-budget',
    rule: "A startup probe's budget (initialDelaySeconds + periodSeconds × failureThreshold) covers the family's recovery minimum.",
    prevents: 'killing a server in crash recovery, log recovery or peer wait before it can listen',
    source:
      'ground truth §1-§6 (CNPG 3600 s, KAFKA-14658, RabbitMQ 10 × 30 s peer wait, Percona 7200 s)',
  },
  'liveness-needs-startup': {
    code: 'veto-liveness-without-startup',
    rule: 'A liveness probe is added only together with a startup probe (added now or already set).',
    prevents:
      "a liveness probe that kills a server before its recovery is done (it runs from the container's start)",
    source:
      'DESIGN §1; https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/',
  },
} as const satisfies Record<string, Invariant>;

/** The id of an invariant. */
export type InvariantId = keyof typeof INVARIANTS;
