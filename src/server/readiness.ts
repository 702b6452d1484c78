/**
 * @module server/readiness — whether this replica should receive admission traffic. Readiness
 * fails first on shutdown so the endpoint is removed before the listener closes
 * (kubernetes/kubernetes#127335), and it fails until a serving certificate is loaded.
 */

/** The readiness state of the process. */
export interface Readiness {
  /** Marks the serving certificate as loaded (the HTTPS listener is up). */
  markTlsLoaded(): void;
  /** Starts draining: readiness fails from now on. */
  startDraining(): void;
  /** True once draining has started. */
  readonly draining: () => boolean;
  /** The reasons the process is not ready (empty when ready). */
  readonly problems: () => string[];
}

/** createReadiness returns a fresh state: not ready until TLS is loaded. */
export function createReadiness(): Readiness {
  let tlsLoaded = false;
  let draining = false;
  return {
    markTlsLoaded: () => {
      tlsLoaded = true;
    },
    startDraining: () => {
      draining = true;
    },
    draining: () => draining,
    problems: () => [
      ...(tlsLoaded ? [] : ['the serving certificate is not loaded']),
      ...(draining ? ['shutting down'] : []),
    ],
  };
}
