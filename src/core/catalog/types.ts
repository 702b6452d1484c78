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

/** How an image variant authenticates its own CLI, for engines whose readiness needs it. */
export interface PasswordSource {
  /** Env vars holding the password (Bitnami `REDIS_PASSWORD`). */
  readonly env: readonly string[];
  /** Env vars holding a path to a file with the password (`REDIS_PASSWORD_FILE`). */
  readonly fileEnv: readonly string[];
  /** Flags whose value is the password (`--requirepass`). */
  readonly flags: readonly string[];
  /** Env vars whose content is parsed like extra server args (`REDIS_ARGS` in redis-stack). */
  readonly argsEnv: readonly string[];
  /** Env vars that, when set to a true-ish value, mean "no password" (`ALLOW_EMPTY_PASSWORD`). */
  readonly emptyAllowedEnv: readonly string[];
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
  /** The readiness CLI tools of the family are known to be in this image. */
  readonly execTools: boolean;
  /** Ordered port sources; the first that yields a value wins. */
  readonly port: readonly PortRule[];
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
  /** Probes this variant must never get, with why (e.g. repmgr/Galera HA prefers no liveness). */
  readonly withhold?: Partial<Record<'liveness' | 'readiness' | 'startup', string>>;
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
  readonly sources: readonly SourceKey[];
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
  /** Readiness by exec (`exec`) or TCP (`tcp`) by default. */
  readonly readinessMode: 'exec' | 'tcp';
  readonly readinessWhy: string;
  readonly readinessExec: Timing;
  readonly readinessTcp: Timing;
  readonly sources: readonly SourceKey[];
}
