/**
 * @module e2e/harness/ports — loopback ports for servers that must be told their port up front
 * (etcd, kube-apiserver). They are picked BELOW the kernel's ephemeral range: a port in that
 * range can be the local end of an outgoing connection, which a bind probe does not always see,
 * and the server then fails with "address already in use". A small race remains until the server
 * binds, so callers retry a start that fails with EADDRINUSE (see startCluster).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const handedOut = new Set<number>();

/** The first port of the ephemeral range (32768 on Linux by default). */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const n = Number.parseInt(low ?? '', 10);
    return Number.isInteger(n) && n > 11_000 ? n : 32_768;
  } catch {
    return 32_768;
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

/** freePort returns a loopback port in [10000, ephemeral low) that can be bound right now. */
export async function freePort(): Promise<number> {
  const low = 10_000;
  const high = ephemeralLow();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    if (await canBind(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free loopback port found in ${low}-${high - 1}`);
}
