/**
 * @module server/unused-connections — at shutdown, close the connections that carry no request.
 * Fastify's `forceCloseConnections: 'idle'` calls Node's closeIdleConnections(), which closes only
 * connections that have finished a request; a connection that never carried one (still in the TLS
 * handshake, or pooled unused by the client) keeps server.close() waiting until the drain timeout,
 * and the process exits 1 instead of 0. Go's http.Transport, the apiserver's client, pools exactly
 * such a connection when a dial completes after its request was cancelled, e.g. after autoprobe
 * was slower than the webhook timeout (found by test/e2e/tests/failure-policy.test.ts).
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Tracks a server's connections and the requests in flight on each. */
export interface ConnectionTracker {
  /** Destroys every connection with no request in flight (call once the server is closing). */
  closeUnused(): void;
}

interface Tracked {
  readonly socket: Socket;
  active: number;
}

/**
 * trackConnections follows a server's raw sockets ('connection', also for TLS servers) and its
 * requests, matched by the remote address and port (a TLS socket reports its raw socket's).
 */
export function trackConnections(server: Server): ConnectionTracker {
  const connections = new Map<string, Tracked>();
  const keyOf = (socket: Socket): string =>
    `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`;
  server.on('connection', (socket: Socket) => {
    const key = keyOf(socket);
    const tracked: Tracked = { socket, active: 0 };
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
      });
    },
  );
  return {
    closeUnused: () => {
      for (const tracked of connections.values()) {
        if (tracked.active === 0) tracked.socket.destroy();
      }
    },
  };
}
