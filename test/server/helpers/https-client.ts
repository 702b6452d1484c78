/**
 * A small HTTPS load client for the loopback tests: several workers send AdmissionReviews over
 * keep-alive connections until told to stop, and every outcome is recorded.
 */
import https from 'node:https';
import tls from 'node:tls';
import { reviewOf, podOf } from './app.js';

/** The outcome of one request. */
export interface Sent {
  readonly status: number | null;
  readonly error: string | null;
  readonly ms: number;
  readonly uid: string;
  readonly echoed: boolean;
}

const BODY_POD = podOf([{ name: 'db', image: 'postgres:16' }]);

/** sendReview posts one review and resolves with its outcome (never rejects). */
export function sendReview(url: string, agent: https.Agent, uid: string): Promise<Sent> {
  const body = JSON.stringify(reviewOf(BODY_POD, { uid }));
  const started = performance.now();
  return new Promise((resolve) => {
    const request = https.request(
      `${url}/mutate`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? null,
            error: null,
            ms: performance.now() - started,
            uid,
            echoed: text.includes(`"uid":"${uid}"`),
          });
        });
        response.on('error', (error) => {
          resolve({
            status: null,
            error: String(error),
            ms: performance.now() - started,
            uid,
            echoed: false,
          });
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      resolve({
        status: null,
        error: error.code ?? String(error),
        ms: performance.now() - started,
        uid,
        echoed: false,
      });
    });
    request.end(body);
  });
}

/** A running load. */
export interface Load {
  readonly results: Sent[];
  /** Stops sending new requests and waits for the ones in flight. */
  stop(): Promise<Sent[]>;
}

/** startLoad runs `workers` request loops against `url`, until stopped or past `until` (epoch ms). */
export function startLoad(
  url: string,
  options: { ca: string[]; workers: number; until?: () => number },
): Load {
  const agent = new https.Agent({ keepAlive: true, maxSockets: options.workers, ca: options.ca });
  const results: Sent[] = [];
  let running = true;
  let n = 0;
  const more = (): boolean => running && Date.now() < (options.until?.() ?? Infinity);
  const loops = Array.from({ length: options.workers }, async (_, w) => {
    while (more()) {
      n += 1;
      results.push(await sendReview(url, agent, `w${w}-${n}`));
    }
  });
  return {
    results,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return results;
    },
  };
}

/** peerFingerprint opens a fresh TLS connection and returns the served certificate's SHA-256. */
export function peerFingerprint(
  port: number,
  ca: string[],
  options: tls.ConnectionOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port, ca, servername: 'localhost', ...options },
      () => {
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        socket.end();
        resolve(fingerprint);
      },
    );
    socket.on('error', reject);
  });
}
