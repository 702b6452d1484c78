/**
 * @module kube/certs/manager — run the self-managed certificates for the life of the server: a
 * first pass before the webhook listens, retried with backoff until it succeeds (the pod stays
 * unready meanwhile, and the log says why), then a pass every resync period on every replica.
 * Each pass hands the Secret's material to `install`, which the server writes to the files its
 * certificate reloader watches; so a certificate another replica rotated is picked up here by
 * the next pass.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { delayFor } from '../namespace-cache.js';
import type { Backoff } from '../namespace-cache.js';
import type { PlanSettings } from './plan.js';
import { reconcileCertificates } from './reconcile.js';
import type { ReconcileResult } from './reconcile.js';
import type { CertificateSecret } from './secret-data.js';
import type { CertificateStore } from './store.js';

/** After a CA switch, how soon to look again whether the caBundle has the new CA. */
export const FOLLOW_UP_MS = 30_000;

const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000 };

/** Options of startCertificateManager. */
export interface CertificateManagerOptions {
  readonly store: CertificateStore;
  readonly settings: PlanSettings;
  readonly resyncMs: number;
  /** Puts the material in place for the listener (called after every successful pass). */
  readonly install: (secret: CertificateSecret) => Promise<void>;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly backoff?: Backoff;
  readonly random?: () => number;
}

/** A running certificate manager. */
export interface CertificateManager {
  /** Runs a pass now (and installs its result). */
  resync(): Promise<ReconcileResult>;
  close(): void;
}

/** startCertificateManager resolves once the first pass succeeded and its material is installed. */
export async function startCertificateManager(
  options: CertificateManagerOptions,
): Promise<CertificateManager> {
  const { logger, resyncMs } = options;
  const now = options.now ?? ((): Date => new Date());
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let failures = 0;

  const pass = async (): Promise<ReconcileResult> => {
    const result = await reconcileCertificates(options.store, options.settings, now);
    await options.install(result.secret);
    logResult(logger, result);
    return result;
  };
  /** One pass, its failure logged; says when the next one is due. */
  const attempt = async (level: 'error' | 'warn'): Promise<{ ok: boolean; nextMs: number }> => {
    try {
      const result = await pass();
      failures = 0;
      const waiting = result.plan.serving.action === 'wait';
      return { ok: true, nextMs: waiting ? Math.min(FOLLOW_UP_MS, resyncMs) : resyncMs };
    } catch (error) {
      failures += 1;
      const nextMs = delayFor(failures, backoff, options.random ?? Math.random);
      logger[level](
        { err: error, retryInMs: nextMs, failures },
        'self-managed certificates: cannot reconcile the Secret and the caBundle',
      );
      return { ok: false, nextMs };
    }
  };
  const schedule = (delayMs: number): void => {
    if (closed) return;
    timer = setTimeout(() => {
      void attempt('warn').then(({ nextMs }) => {
        schedule(nextMs);
      });
    }, delayMs);
    timer.unref();
  };

  // The webhook cannot listen without a certificate: retry the first pass until it succeeds.
  for (;;) {
    const { ok, nextMs } = await attempt('error');
    if (ok) {
      schedule(nextMs);
      break;
    }
    await sleep(nextMs);
  }
  return {
    resync: pass,
    close: () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

function logResult(logger: Logger, result: ReconcileResult): void {
  const { plan } = result;
  const changed = result.secretWritten || result.caBundlePatched === true;
  const fields = {
    ca: plan.ca,
    serving: plan.serving,
    secretWritten: result.secretWritten,
    caBundlePatched: result.caBundlePatched,
    conflicts: result.conflicts,
    trustedCas: plan.retained.length + 1,
  };
  if (changed) logger.info(fields, 'self-managed certificates updated');
  else logger.debug(fields, 'self-managed certificates checked');
  if (result.caBundlePatched === null) {
    logger.warn(
      'self-managed certificates: the webhook configuration does not exist; its caBundle is not kept',
    );
  }
}
