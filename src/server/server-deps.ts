/**
 * @module server/server-deps — everything buildServer needs, passed in (Fastify's testing guide:
 * build the app in one place, listen in another). Tests pass fakes; serve.ts passes the real ones.
 */
import type { FastifyBaseLogger } from 'fastify';
import type {
  AdmissionRequest,
  AdmissionSettings,
  Engine,
  ReviewResult,
} from '../admission/index.js';
import type { NamespaceView } from '../core/index.js';
import type { Metrics } from './metrics.js';

/** The settings a review reads at request time; they change when the config file is reloaded. */
export interface RuntimeSettings {
  readonly admission: AdmissionSettings;
  readonly requestTimeoutMs: number;
  /** Request bodies in flight (reading, deciding or answering), in MiB, past which a request gets 503. */
  readonly maxInFlightMiB: number;
}

/** TLS material for the HTTPS listener. */
export interface TlsOptions {
  readonly key: string;
  readonly cert: string;
}

/** The dependencies of buildServer. */
export interface ServerDeps {
  readonly logger: FastifyBaseLogger;
  readonly metrics: Metrics;
  /** The current settings (reloadable). */
  readonly runtime: () => RuntimeSettings;
  /** Namespace labels from the watch-backed cache, or null when unknown; never waits. */
  readonly namespace: (namespace: string) => NamespaceView | null;
  /** True once shutdown has begun: answers carry `Connection: close`. */
  readonly draining: () => boolean;
  /** HTTPS when given; plain HTTP otherwise (tests use inject(), which needs neither). */
  readonly tls?: TlsOptions;
  /** Idle keep-alive timeout of the listener. */
  readonly keepAliveTimeoutMs?: number;
  /**
   * How long, once closing, a connection that never carried a request may take to send one.
   * @default UNUSED_GRACE_MS (2 s, unused-connections.ts)
   */
  readonly unusedGraceMs?: number;
  /** Replaces the engine (tests prove fail-open with a throwing one). */
  readonly engine?: Engine;
  /** Called with every decided review (tests read the decisions here). */
  readonly onReview?: (result: ReviewResult, request: AdmissionRequest) => void;
}
