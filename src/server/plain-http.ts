/**
 * @module server/plain-http — a clear answer to plain HTTP on the HTTPS port. Node drops such a
 * connection when the TLS handshake fails, which a misconfigured client (a caBundle-less test, a
 * Service pointing at the wrong scheme) sees as a bare reset; Go's net/http answers 400 "Client
 * sent an HTTP request to an HTTPS server" instead (net/http/server.go), and so does autoprobe.
 */
import net from 'node:net';
import type https from 'node:https';

const ANSWER = JSON.stringify({
  statusCode: 400,
  code: 'AP_ERR_REVIEW_DECODE',
  message: 'the client sent plain HTTP to the HTTPS port; use https://',
});

const RESPONSE =
  'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n' +
  `Content-Length: ${Buffer.byteLength(ANSWER)}\r\n\r\n${ANSWER}`;

/** answerPlainHttp makes `server` answer 400 to plain HTTP instead of dropping the connection. */
export function answerPlainHttp(server: https.Server): void {
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code !== 'ERR_SSL_HTTP_REQUEST') return;
    // The TCP socket under the failed TLS one (an internal of node:tls, absent: the old drop).
    const raw = (socket as { _parent?: unknown })._parent;
    if (raw instanceof net.Socket && raw.writable) raw.end(RESPONSE);
  });
}
