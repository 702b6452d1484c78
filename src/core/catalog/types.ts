/** @module catalog/types — the shape of the catalog: images, negatives, operators, roles, profiles. */
import type { Family } from '../families.js';

/** A source key from docs/sources.md (an issue, a doc page, a file at a commit). */
export type SourceKey = string;

/** Where an engine reads its listening port from, in order of precedence. */
export type PortRule =
  /** A literal env var on the container (`PGPORT`, `POSTGRESQL_PORT_NUMBER`). */
  | { readonly from: 'env'; readonly name: string }
  /**
   * A command-line flag: `--port 5433`, `--port=5433`, `-p5433`. A value of 0 disables plain TCP
   * (Redis `--port 0`); the listener is then the one named by `zeroFallback` (`--tls-port`).
   */
  | {
      readonly from: 'flag';
      readonly flags: readonly string[];
      readonly zeroFallback?: readonly string[];
    }
  /** When an env switch turns TLS-only mode on (Bitnami `REDIS_TLS_ENABLED=yes`), these rules apply. */
  | {
      readonly from: 'tls-env';
      readonly enabledBy: string;
      readonly rules: readonly PortRule[];
      readonly defaultPort: number;
    }
  /** PostgreSQL's `-c port=N` / `--port=N` run-time settings. */
  | { readonly from: 'pg-setting' }
  /** A flag that changes the default (`mongod --shardsvr` listens on 27018). */
  | { readonly from: 'flag-implies'; readonly flag: string; readonly port: number }
  /** Kafka's listener list (`KAFKA_LISTENERS`), roles and controller listener names. */
  /** A `host:port` listen setting in env (`PATRONI_POSTGRESQL_LISTEN=0.0.0.0:5432`). */
  | { readonly from: 'listen-env'; readonly name: string }
  | {
      readonly from: 'kafka-listeners';
      readonly listeners: readonly string[];
      readonly roles: readonly string[];
      readonly controllerNames: readonly string[];
      readonly protocolMap: readonly string[];
    };

/** Where a mounted or referenced config file may silently change the port. */
export interface HiddenConfig {
  /** Flags whose value is a config file (`--config`, `--defaults-file`). */
  readonly fileFlags: readonly string[];
  /** A bare positional argument ending in one of these suffixes is a config file (redis-server FILE). */
  readonly fileSuffixes: readonly string[];
  /** Mount paths at or under which a volume can carry a config file the engine reads. */
  readonly mountPaths: readonly string[];
}

/** Flags that restrict where the server listens (loopback only, or no TCP at all). */
export interface BindRules {
  /** Flags whose value lists listen addresses (`--bind`, `--bind_ip`, `--bind-address`). */
  readonly addressFlags: readonly string[];
  /** PostgreSQL `listen_addresses` run-time setting (`-c listen_addresses=…`, `-h …`). */
  readonly pgListenAddresses?: boolean;
  /** Flags that turn TCP off entirely (`--skip-networking`). */
  readonly disableFlags: readonly string[];
  /** Flags that listen everywhere whatever else is set (`--bind_ip_all`). */
  readonly allFlags: readonly string[];
}

/** A setting under which the family's exec readiness command cannot work (TLS-only servers). */
export interface ExecBlocker {
  readonly flag?: string;
  readonly env?: string;
  /** Values (or substrings of env values) that block; absent means any presence blocks. */
  readonly values?: readonly string[];
  readonly why: string;
}

/**
 * How an image variant's server may require a password, for engines whose readiness CLI must
 * authenticate (Redis PING answers NOAUTH otherwise). Any of these present means "the server may
 * need credentials": exec readiness is used only if the command can read them (DESIGN §1).
 */
export interface PasswordSource {
  /** The env var the CLI reads its password from (`REDISCLI_AUTH`, redis-cli >= 5.0.3). */
  readonly cliEnv: string;
  /** Env vars holding the password (Bitnami `REDIS_PASSWORD`). */
  readonly env: readonly string[];
  /** Env vars holding a path to a file with the password (`REDIS_PASSWORD_FILE`). */
  readonly fileEnv: readonly string[];
  /** Flags whose value is a password the CLI can send (`--requirepass`, `--masterauth`). */
  readonly flags: readonly string[];
  /**
   * Flags and env that set credentials the CLI cannot use as one password (`--aclfile`, `--user`
   * ACL rules, Bitnami `REDIS_ACLFILE`): exec readiness falls back to TCP.
   */
  readonly opaque: { readonly flags: readonly string[]; readonly env: readonly string[] };
}

/** A CLI tool of an image, and the engine versions whose images ship it. */
export interface ToolRule {
  /** The program name as commands invoke it (`mariadb-admin`, `/opt/kafka/bin/x.sh`). */
  readonly name: string;
  /** First engine version (`major.minor`) whose image has it; absent: every version. */
  readonly since?: string;
  /** First engine version whose image no longer has it; absent: still shipped. */
  readonly before?: string;
  /** A regular expression over the tag of the image variants that lack it (`alpine`). */
  readonly absentInTags?: string;
}

/** One image variant of a family: which names, what the image contains, where it reads its port. */
export interface ImageVariant {
  readonly family: Family;
  /** Short id shown to users: `official`, `bitnami`, `postgis`, … */
  readonly variant: string;
  /** Canonical names (`registry/path`) this variant is published under. */
  readonly names: readonly string[];
  /** Regex over the tag whose first group is the engine version (`^(\d+(?:\.\d+)*)`). */
  readonly tagVersion: string;
  /** The image has `/bin/sh` and `timeout`, so shell-wrapped exec commands work. */
  readonly shell: boolean;
  /**
   * The readiness CLI tools verified in this image, by version (ground truth §1-§6). Empty: none
   * are verified, so readiness stays TCP. The planner picks from it and the safety gate checks
   * every exec command against it.
   */
  readonly tools: readonly ToolRule[];
  /** Ordered port sources; the first that yields a value wins. */
  readonly port: readonly PortRule[];
  /**
   * Env vars whose value the image's entrypoint appends to the server's args (Bitnami
   * `REDIS_EXTRA_FLAGS`, redis-stack `REDIS_ARGS`); read like args for ports, binds, passwords.
   */
  readonly argsEnv?: readonly string[];
  readonly hiddenConfig: HiddenConfig;
  readonly bind?: BindRules;
  readonly execBlockers?: readonly ExecBlocker[];
  /** Env holding the user name for CLIs that want one (`POSTGRES_USER`), and its default. */
  readonly user?: { readonly env: readonly string[]; readonly fallback: string };
  readonly password?: PasswordSource;
  /** Kafka CLI script prefix (`/opt/kafka/bin/`, `` for Confluent's PATH tools), when present. */
  readonly kafkaScripts?: { readonly prefix: string; readonly suffix: string };
  /**
   * Files the image's entrypoint writes once first-run setup has finished; exec readiness also
   * requires one of them, as the image's own chart does (Bitnami PostgreSQL, [BN-PG]).
   */
  readonly readyFiles?: readonly string[];
  /** An HA manager (catalog/ha.ts id) that always runs this variant's server: readiness only. */
  readonly ha?: string;
  readonly notes: string;
  readonly sources: readonly SourceKey[];
}

/** Categories of images that look like a family but are not its server. */
export type NegativeCategory =
  | 'exporter'
  | 'ui'
  | 'proxy'
  | 'sentinel'
  | 'coordination'
  | 'kafka-ecosystem'
  | 'operator'
  | 'operator-managed-image'
  | 'agent'
  | 'backup'
  | 'configured';

/** A known image that is not a database server autoprobe should probe, and why. */
export interface NegativeImage {
  readonly names: readonly string[];
  /** Anchored regular expressions over the canonical name (for `spilo-16`, `spilo-17`, …). */
  readonly patterns?: readonly string[];
  readonly category: NegativeCategory;
  readonly why: string;
  readonly sources: readonly SourceKey[];
}

/** How to recognise a Pod whose probes an operator owns. */
export interface OperatorRule {
  readonly operator: string;
  /** Label keys whose presence marks the pod. */
  readonly labelKeys?: readonly string[];
  /** Exact label key/value pairs. */
  readonly labels?: Readonly<Record<string, string>>;
  /** API groups of ownerReferences (`postgresql.cnpg.io/v1` → `postgresql.cnpg.io`). */
  readonly ownerApiGroups?: readonly string[];
  /** Canonical image names of agent containers that only run in operator pods. */
  readonly siblingImages?: readonly string[];
  readonly sources: readonly SourceKey[];
}

/** A registry that serves another registry's images under a path prefix. */
export interface MirrorRule {
  /** `registry/path-prefix` as written in references (`public.ecr.aws/docker/library`). */
  readonly prefix: string;
  /** What it stands for (`docker.io/library`). */
  readonly upstream: string;
  readonly sources: readonly SourceKey[];
}

/** The processes a family's images run, for deciding what a container's command does. */
export interface RoleTable {
  /** Server binaries (`postgres`, `redis-server`, `mongod`, `mongos`). */
  readonly servers: readonly string[];
  /** Entrypoint scripts that start the server (`docker-entrypoint.sh`, Bitnami `run.sh`). */
  readonly entrypoints: readonly string[];
  /** Client, dump, restore, admin and provisioning tools: a container running these is not a server. */
  readonly clients: readonly string[];
  /** One-shot dump/restore tools: a script that also starts the server is a job, not a server. */
  readonly oneShot: readonly string[];
  /** Binaries or flags that mark a side role of the same image (Redis Sentinel, Kafka Connect). */
  readonly sideRoles: readonly { readonly token: string; readonly role: string }[];
  /**
   * With no `command`, the image's entrypoint starts the server when the first arg ends in one of
   * these (the official Redis entrypoint turns `*.conf` into `redis-server *.conf`).
   */
  readonly serverArgSuffixes?: readonly string[];
  readonly sources: readonly SourceKey[];
}

/**
 * An HA manager or cluster mode that stops, demotes or re-seeds the server on purpose (Patroni,
 * repmgr, a Galera joiner in SST): its servers get readiness only (DESIGN §1). Any one of the
 * markers is enough.
 */
export interface HaRule {
  readonly id: string;
  readonly manager: string;
  readonly families: readonly Family[];
  /** Programs that are the manager itself, starting the server (`patroni`). */
  readonly programs?: readonly string[];
  /** Env var names, or prefixes ending in `*`, whose presence marks it (`PATRONI_*`). */
  readonly env?: readonly string[];
  /** Server flags that mark it, in any form (`--wsrep-on`, `--wsrep_cluster_address`). */
  readonly flags?: readonly string[];
  /**
   * Lower-case words that mark it inside an env value (`MARIADB_EXTRA_FLAGS=--wsrep-on`) or a
   * mounted volume's or ConfigMap's name (`galera.cnf`), where the flags themselves are not visible.
   */
  readonly markers?: readonly string[];
  readonly why: string;
  readonly sources: readonly SourceKey[];
}

/**
 * A service mesh mode and what it does to tcpSocket probes: `intercepts` (its proxy answers every
 * TCP connection, so the probe always passes), `rewrites` (its injector turns the probe into a check
 * from inside the pod), `passes` (probes reach the application as they are). Each marker map is
 * key → accepted values (empty: any value); the rule applies if any marker matches, all `requires`
 * hold, and no `optOut` matches.
 */
export interface MeshRule {
  readonly mesh: string;
  readonly effect: 'intercepts' | 'rewrites' | 'passes';
  /** Container or native-sidecar names of the mesh's proxy. */
  readonly proxyContainers?: readonly string[];
  readonly podAnnotations?: Readonly<Record<string, readonly string[]>>;
  readonly podLabels?: Readonly<Record<string, readonly string[]>>;
  readonly namespaceAnnotations?: Readonly<Record<string, readonly string[]>>;
  readonly namespaceLabels?: Readonly<Record<string, readonly string[]>>;
  /** Pod annotations or labels that must all be present, with these values. */
  readonly requires?: Readonly<Record<string, readonly string[]>>;
  /** Pod annotations or labels that turn the mesh off for the pod. */
  readonly optOut?: Readonly<Record<string, readonly string[]>>;
  readonly sources: readonly SourceKey[];
}

/** A secret injector whose env references resolve only inside the server's process. */
export interface InjectorRule {
  readonly injector: string;
  /** Regular expressions over an env value that mark a reference to be resolved in-process. */
  readonly patterns: readonly string[];
  readonly sources: readonly SourceKey[];
}

/** How a wrapper program's own argv is skipped to find the program it runs. */
export interface WrapperSpec {
  /** Options whose value is the next word (`numactl -i all`); `--opt=value` needs no entry. */
  readonly valueOptions: readonly string[];
  /** Positional words of the wrapper's own before the program (gosu USER). */
  readonly positionals: number;
  /** `NAME=value` words are the wrapper's own (env). */
  readonly assignments?: boolean;
}

/** Probe timings: the Kubernetes probe fields autoprobe sets. */
export interface Timing {
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
}

/** How a family is probed by default, with the sources of each choice. */
export interface FamilyProfile {
  readonly family: Family;
  readonly displayName: string;
  readonly defaultPort: number;
  /** Container port names that mean "the engine's client port". */
  readonly portNames: readonly string[];
  /** Liveness timing, or null when the engine's maintainers advise no liveness probe. */
  readonly liveness: Timing | null;
  readonly livenessWhy: string;
  readonly startup: Timing;
  readonly startupWhy: string;
  /**
   * The shortest startup budget (initialDelaySeconds + periodSeconds × failureThreshold) that covers
   * the engine's worst realistic recovery; the safety gate vetoes a startup probe below it.
   */
  readonly recoveryMinimumSeconds: number;
  /** Readiness by exec (`exec`) or TCP (`tcp`) by default. */
  readonly readinessMode: 'exec' | 'tcp';
  readonly readinessWhy: string;
  readonly readinessExec: Timing;
  readonly readinessTcp: Timing;
  readonly sources: readonly SourceKey[];
}
