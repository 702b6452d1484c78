/**
 * @module server/unused-connections — at shutdown, close the connections that carry no request,
 * without losing a request that is about to arrive on one.
 *
 * Fastify's `forceCloseConnections: 'idle'` calls Node's closeIdleConnections(), which closes only
 * connections that have finished a request; a connection that never carried one (still in the TLS
 * handshake, or pooled unused by the client) keeps server.close() waiting until the drain timeout,
 * and the process exits 1 instead of 0. Go's http.Transport, the apiserver's client, pools exactly
 * such a connection when a dial completes after its request was cancelled, e.g. after autoprobe
 * was slower than the webhook timeout (found by test/e2e/tests/failure-policy.test.ts).
 *
 * But during the drain every answer carries `Connection: close`, so a client that keeps sending
 * opens a new connection per request right up to the close, and destroying those at once reset
 * 1-2 requests per run with 5 clients and 15-26 with 50 (issue #12). So a connection that never
 * carried a request gets a grace to bring one, which is then answered; only a connection that
 * stays silent through it is destroyed.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How long a connection that never carried a request may take to send one once closing. */
export const UNUSED_GRACE_MS = 2_000;

/** Tracks a server's connections and the requests in flight on each. */
export interface ConnectionTracker {
  /** When the last connection was accepted (performance.now() milliseconds), or -Infinity. */
  lastConnectionAt(): number;
  /**
   * Destroys every connection with no request in flight that already served one, and, after
   * `graceMs`, every connection that never carried a request (call once the server is closing).
   */
  closeUnused(graceMs?: number): void;
}

interface Tracked {
  readonly socket: Socket;
  active: number;
  served: number;
}

/**
 * trackConnections follows a server's raw sockets ('connection', also for TLS servers) and its
 * requests, matched by the remote address and port (a TLS socket reports its raw socket's).
 */
export function trackConnections(server: Server): ConnectionTracker {
  const connections = new Map<string, Tracked>();
  let closing = false;
  let last = Number.NEGATIVE_INFINITY;
  const keyOf = (socket: Socket): string =>
    `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`;
  server.on('connection', (socket: Socket) => {
    last = performance.now();
    const key = keyOf(socket);
    const tracked: Tracked = { socket, active: 0, served: 0 };
    connections.set(key, tracked);
    socket.once('close', () => {
      if (connections.get(key) === tracked) connections.delete(key);
    });
  });
  server.on(
    'request',
    (request: { socket: Socket }, response: { once(e: 'close', f: () => void): void }) => {
      const tracked = connections.get(keyOf(request.socket));
      if (tracked === undefined) return;
      tracked.active += 1;
      response.once('close', () => {
        tracked.active -= 1;
        tracked.served += 1;
        // Once closing, a connection that has answered its request is not kept alive.
        if (closing && tracked.active === 0) tracked.socket.end();
      });
    },
  );
  return {
    lastConnectionAt: () => last,
    closeUnused: (graceMs = UNUSED_GRACE_MS) => {
      closing = true;
      const fresh: Tracked[] = [];
      for (const tracked of connections.values()) {
        if (tracked.active > 0) continue;
        if (tracked.served > 0) tracked.socket.destroy();
        else fresh.push(tracked);
      }
      if (fresh.length === 0) return;
      setTimeout(() => {
        for (const tracked of fresh) if (tracked.active === 0) tracked.socket.destroy();
      }, graceMs).unref();
    },
  };
}
