/**
 * @module probes/harness/hang — a TCP listener on loopback that accepts connections and never
 * answers: the server a probe meets when the engine is wedged (or a proxy black-holes it).
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';

/** A running black-hole listener. */
export interface HangListener {
  readonly port: number;
  /** How many connections were accepted so far (proves the probe really connected). */
  accepted(): number;
  close(): Promise<void>;
}

/** startHangListener listens on 127.0.0.1:`port` (0 = any free port). */
export async function startHangListener(port = 0): Promise<HangListener> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    // Read nothing, write nothing; only forget the socket once the client gives up.
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('hang listener: no address');
  return {
    port: address.port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
