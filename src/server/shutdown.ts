/**
 * @module server/shutdown — the graceful shutdown sequence, after kubernetes/kubernetes#127335:
 * the apiserver keeps using open connections to a terminating webhook until the endpoint removal
 * reaches it, so readiness fails first, answers carry `Connection: close` (mutate-route.ts), and
 * the listener keeps serving for the shutdown delay, and after it for as long as connections still
 * arrive (the endpoint removal has not reached every client yet), up to one more delay; only then
 * it stops accepting, finishes the requests in flight and closes idle keep-alive sockets. Closing a
 * listener resets the connections still in its accept queue, so it closes only once they stopped
 * coming (issue #12). An interactive SIGINT skips the delay.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { FileWatch } from './file-watch.js';
import type { Readiness } from './readiness.js';

/** What the shutdown stops, in order. */
export interface ShutdownParts {
  readonly readiness: Readiness;
  readonly logger: FastifyBaseLogger;
  /** The current shutdown delay (config may have been reloaded). */
  readonly delayMs: () => number;
  readonly watches: readonly FileWatch[];
  readonly app: FastifyInstance;
  readonly ops: FastifyInstance;
  readonly namespaces: { stop(): Promise<void> };
  /** When the webhook listener last accepted a connection (performance.now() ms). */
  readonly lastConnectionAt: () => number;
}

/** How long no new connection must arrive before the listener closes. */
export const QUIET_MS = 500;

/** A shutdown that runs once, however often it is asked for. */
export interface Shutdown {
  readonly run: (signal?: string) => Promise<void>;
  readonly closed: Promise<void>;
}

/** createShutdown prepares the sequence; nothing happens until `run`. */
export function createShutdown(parts: ShutdownParts): Shutdown {
  const { readiness, logger } = parts;
  let running: Promise<void> | undefined;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const sequence = async (signal: string | undefined): Promise<void> => {
    readiness.startDraining();
    const delayMs = signal === 'SIGINT' ? 0 : parts.delayMs();
    logger.info({ signal, delayMs }, 'shutting down: readiness fails, still serving');
    await sleep(delayMs);
    await untilQuiet(parts.lastConnectionAt, delayMs, logger);
    for (const watch of parts.watches) watch.close();
    logger.info('no longer accepting connections; finishing in-flight requests');
    await parts.app.close();
    await parts.namespaces.stop();
    // Last, so /readyz keeps saying "not ready" until the very end.
    await parts.ops.close();
    logger.info('autoprobe webhook stopped');
    markClosed();
  };
  return {
    run: (signal) => (running ??= sequence(signal)),
    closed,
  };
}

/** untilQuiet waits until no connection arrived for QUIET_MS, at most `maxMs`. */
async function untilQuiet(
  lastConnectionAt: () => number,
  maxMs: number,
  logger: FastifyBaseLogger,
): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (performance.now() - lastConnectionAt() < QUIET_MS) {
    if (performance.now() >= deadline) {
      logger.warn(
        { waitedMs: maxMs },
        'connections still arriving after the shutdown delay; closing anyway (raise shutdownDelayMs?)',
      );
      return;
    }
    await sleep(50);
  }
}
