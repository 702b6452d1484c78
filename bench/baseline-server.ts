/**
 * @module bench/baseline-server — the floor of the platform: a bare Node HTTPS server with the same
 * TLS and keep-alive settings as `autoprobe serve` that reads each body, JSON-parses it and answers
 * a fixed allowed AdmissionReview (with the request's uid echoed, as the apiserver requires).
 * Anything autoprobe costs above this is autoprobe's own.
 *
 * Usage: `node --import tsx bench/baseline-server.ts --port N --cert FILE --key FILE`; prints
 * `listening PORT` once it accepts connections and exits on SIGINT or SIGTERM.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { parseArgs } from 'node:util';
import { DEFAULT_KEEP_ALIVE_TIMEOUT_MS, TLS_MIN_VERSION } from '../src/server/app.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    cert: { type: 'string' },
    key: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (values.cert === undefined || values.key === undefined) {
  throw new Error('usage: baseline-server --port N --cert FILE --key FILE');
}

const server = https.createServer(
  {
    cert: readFileSync(values.cert, 'utf8'),
    key: readFileSync(values.key, 'utf8'),
    minVersion: TLS_MIN_VERSION,
  },
  (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let uid = '';
      let status = 200;
      try {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          request?: { uid?: unknown };
        };
        uid = typeof review.request?.uid === 'string' ? review.request.uid : '';
      } catch {
        status = 400;
      }
      const body = JSON.stringify({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid, allowed: true },
      });
      response.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  },
);
server.keepAliveTimeout = DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
server.headersTimeout = DEFAULT_KEEP_ALIVE_TIMEOUT_MS + 1_000;
server.requestTimeout = DEFAULT_KEEP_ALIVE_TIMEOUT_MS + 2_000;
server.listen(Number(values.port), values.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`listening ${port}\n`);
});
const stop = (): void => {
  server.close();
  server.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
