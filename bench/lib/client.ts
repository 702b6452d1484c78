/**
 * @module bench/lib/client — a minimal HTTP/1.1 keep-alive client over TLS for load generation.
 *
 * Node's `https.request` costs several times more CPU per request than the servers it would
 * measure here, and the load generator shares the machine with them; this client writes
 * pre-serialised requests straight to a TLS socket and parses only what it needs (status line,
 * `Content-Length`, `Connection: close`). One request at a time per connection, as the apiserver
 * does (HTTP/1.1, no pipelining). Chunked answers are not supported and count as errors, which
 * neither server under test sends.
 */
import tls from 'node:tls';

/** What one request came back with. */
export interface Reply {
  /** HTTP status, or 0 when the request failed at the transport level. */
  readonly status: number;
  readonly body: Buffer;
  /** The transport error, when status is 0. */
  readonly error?: string;
}

/** Where to connect. */
export interface Target {
  readonly host: string;
  readonly port: number;
  /** CA certificates the client trusts (PEM). */
  readonly ca: readonly string[];
  /** SNI and certificate host name. */
  readonly servername: string;
}

/** buildRequest serialises a POST with a JSON body, headers as the apiserver sends them. */
export function buildRequest(target: Target, path: string, body: string): Buffer {
  const payload = Buffer.from(body, 'utf8');
  const head =
    `POST ${path} HTTP/1.1\r\n` +
    `Host: ${target.servername}:${target.port}\r\n` +
    'User-Agent: autoprobe-bench\r\n' +
    'Accept: application/json, */*\r\n' +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${payload.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection; `send` may only be called when `busy` is false. */
export class Connection {
  busy = false;
  closed = false;
  /** Requests answered on this connection. */
  served = 0;
  private socket: tls.TLSSocket | undefined;
  private pending: ((reply: Reply) => void) | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private bodyStart = -1;
  private bodyLength = -1;
  private status = 0;
  private closeAfter = false;

  constructor(private readonly target: Target) {}

  /** open performs the TLS handshake. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect(
        {
          host: this.target.host,
          port: this.target.port,
          ca: [...this.target.ca],
          servername: this.target.servername,
        },
        () => {
          socket.setNoDelay(true);
          resolve();
        },
      );
      socket.on('data', (chunk: Buffer) => {
        this.onData(chunk);
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        this.fail(error.code ?? error.message);
        reject(error);
      });
      socket.on('close', () => {
        this.fail('connection closed');
      });
      this.socket = socket;
    });
  }

  /** send writes one request; `done` is called exactly once. */
  send(request: Buffer, done: (reply: Reply) => void): void {
    if (this.closed || this.socket === undefined) {
      done({ status: 0, body: Buffer.alloc(0), error: 'connection closed' });
      return;
    }
    this.busy = true;
    this.pending = done;
    this.socket.write(request);
  }

  /** close ends the connection. */
  close(): void {
    this.closed = true;
    this.socket?.destroy();
  }

  /** The certificate fingerprint (SHA-256) the server presented on this connection. */
  fingerprint(): string | undefined {
    return this.socket?.getPeerCertificate().fingerprint256;
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    if (this.bodyStart < 0 && !this.parseHead()) return;
    if (this.buffer.length < this.bodyStart + this.bodyLength) return;
    const body = this.buffer.subarray(this.bodyStart, this.bodyStart + this.bodyLength);
    const rest = this.buffer.subarray(this.bodyStart + this.bodyLength);
    const reply: Reply = { status: this.status, body };
    this.buffer = rest;
    this.bodyStart = -1;
    this.served += 1;
    if (this.closeAfter) this.close();
    this.finish(reply);
  }

  /** parseHead reads the status line and headers; false while they are incomplete. */
  private parseHead(): boolean {
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0) return false;
    const head = this.buffer.toString('latin1', 0, end);
    this.status = Number.parseInt(head.slice(9, 12), 10);
    const lower = head.toLowerCase();
    const length = /\r\ncontent-length: *(\d+)/.exec(lower);
    if (length?.[1] === undefined) {
      this.fail(`no content-length in the answer (${head.split('\r\n', 1)[0] ?? ''})`);
      this.close();
      return false;
    }
    this.bodyLength = Number.parseInt(length[1], 10);
    this.bodyStart = end + HEADER_END.length;
    this.closeAfter = /\r\nconnection: *close/.test(lower);
    return true;
  }

  private finish(reply: Reply): void {
    const pending = this.pending;
    this.pending = undefined;
    this.busy = false;
    pending?.(reply);
  }

  private fail(error: string): void {
    this.closed = true;
    if (this.pending !== undefined) this.finish({ status: 0, body: Buffer.alloc(0), error });
  }
}
