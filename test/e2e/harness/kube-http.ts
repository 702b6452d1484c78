/**
 * @module e2e/harness/kube-http — plain HTTPS requests to the test apiserver with the admin client
 * certificate, for what @kubernetes/client-node does not expose: the `Warning` headers of a
 * response (admission warnings reach the client only there), exact timings over one keep-alive
 * connection (the latency report), and merge patches without content-type plumbing.
 */
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

/** What a raw client needs: the apiserver URL and the admin credentials, all PEM. */
export interface ApiCredentials {
  readonly url: string;
  readonly caPem: string;
  readonly adminCertPem: string;
  readonly adminKeyPem: string;
}

/** An apiserver response. */
export interface KubeResponse<T = unknown> {
  readonly status: number;
  /** The parsed JSON body (or the raw text when it is not JSON). */
  readonly body: T;
  /** The `Warning` header texts, in order (agent and code removed, unquoted). */
  readonly warnings: readonly string[];
  readonly headers: IncomingHttpHeaders;
  /** From sending the request to the end of the response body. */
  readonly durationMs: number;
}

/** Options of one request. */
export interface KubeRequestOptions {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string>>;
  readonly contentType?: string;
  readonly timeoutMs?: number;
}

/** A keep-alive client for one apiserver. */
export interface KubeHttp {
  request<T = unknown>(
    method: string,
    path: string,
    options?: KubeRequestOptions,
  ): Promise<KubeResponse<T>>;
  close(): void;
}

/**
 * kubeHttp makes a client: as the admin, or `anonymous` without the client certificate, or with a
 * bearer `token` (a ServiceAccount's) instead of it.
 */
export function kubeHttp(creds: ApiCredentials, anonymous = false, token?: string): KubeHttp {
  const asAdmin = !anonymous && token === undefined;
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 8,
    ca: creds.caPem,
    ...(asAdmin ? { cert: creds.adminCertPem, key: creds.adminKeyPem } : {}),
  });
  const base = new URL(creds.url);
  const auth = token === undefined ? {} : { Authorization: `Bearer ${token}` };
  return {
    request: (method, path, options = {}) => send(agent, base, method, path, options, auth),
    close: () => {
      agent.destroy();
    },
  };
}

function send<T>(
  agent: Agent,
  base: URL,
  method: string,
  path: string,
  options: KubeRequestOptions,
  auth: Readonly<Record<string, string>>,
): Promise<KubeResponse<T>> {
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { Accept: 'application/json', ...auth };
  if (payload !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpsRequest(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (e.g. /readyz's "ok"): keep the text
        }
        resolve({
          status: res.statusCode ?? 0,
          body: body as T,
          warnings: warningsOf(res.rawHeaders),
          headers: res.headers,
          durationMs: performance.now() - started,
        });
      });
    });
    req.setTimeout(options.timeoutMs ?? 30_000, () => {
      req.destroy(
        new Error(`${method} ${url.pathname}: no answer in ${options.timeoutMs ?? 30_000} ms`),
      );
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * warningsOf reads every `Warning` header (RFC 7234 form `299 - "text"`, as the apiserver sends
 * them). Raw headers are used because Node joins repeated headers with ", ", and the texts
 * contain commas.
 */
export function warningsOf(rawHeaders: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() !== 'warning') continue;
    out.push(...parseWarningHeader(rawHeaders[i + 1] ?? ''));
  }
  return out;
}

/** parseWarningHeader splits one header value into its warning texts. */
export function parseWarningHeader(value: string): string[] {
  const out: string[] = [];
  const re = /\s*(\d{3})\s+(\S+)\s+"((?:[^"\\]|\\.)*)"(?:\s+"[^"]*")?\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while ((match = re.exec(value)) !== null) {
    out.push((match[3] ?? '').replace(/\\(.)/g, '$1'));
    if (re.lastIndex >= value.length) break;
  }
  return out;
}
