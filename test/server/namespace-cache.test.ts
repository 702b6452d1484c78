// The namespace label cache against a fake apiserver on loopback (real client-node list+watch):
// labels arrive from the list and follow the watch, unknown names are null, and a failing
// apiserver is retried with backoff, counted and reported without blocking anything.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createNamespaceCache, delayFor } from '../../src/kube/index.js';
import type { NamespaceCache, NamespaceCacheState } from '../../src/kube/index.js';

interface FakeApiserver {
  readonly url: string;
  /** Fails the next n list calls with HTTP 500. */
  failLists(n: number): void;
  /** Ends every open watch and fails the next n watch calls with HTTP 500. */
  breakWatches(n: number): void;
  /** Sends a watch event to every open watch. */
  emit(type: 'ADDED' | 'MODIFIED' | 'DELETED', name: string, labels: Record<string, string>): void;
  lists(): number;
  close(): Promise<void>;
}

function namespace(
  name: string,
  labels: Record<string, string>,
  rv: number,
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels, resourceVersion: String(rv) },
  };
}

async function fakeApiserver(
  initial: Record<string, Record<string, string>>,
): Promise<FakeApiserver> {
  let failures = 0;
  let watchFailures = 0;
  let lists = 0;
  let rv = 10;
  const watches = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/v1/namespaces') {
      res.writeHead(404).end();
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      if (watchFailures > 0) {
        watchFailures -= 1;
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      watches.add(res);
      res.on('close', () => watches.delete(res));
      return;
    }
    lists += 1;
    if (failures > 0) {
      failures -= 1;
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"kind":"Status","code":500}');
      return;
    }
    const items = Object.entries(initial).map(([name, labels]) => namespace(name, labels, rv));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'NamespaceList',
        metadata: { resourceVersion: String(rv) },
        items,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    failLists: (n) => {
      failures = n;
    },
    breakWatches: (n) => {
      watchFailures = n;
      for (const res of watches) res.end();
    },
    emit: (type, name, labels) => {
      rv += 1;
      for (const res of watches)
        res.write(`${JSON.stringify({ type, object: namespace(name, labels, rv) })}\n`);
    },
    lists: () => lists,
    close: async () => {
      for (const res of watches) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

function kubeConfigFor(server: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'fake', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'not-a-real-token' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'u' }],
    currentContext: 'fake',
  });
  return config;
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

let api: FakeApiserver | undefined;
let cache: NamespaceCache | undefined;
afterEach(async () => {
  await cache?.stop();
  await api?.close();
});

describe('namespace label cache', () => {
  it('answers null before the first sync, then the listed labels, then watched changes', async () => {
    api = await fakeApiserver({ team: { 'autoprobe.dev/inject': 'enabled' } });
    const states: NamespaceCacheState[] = [];
    cache = createNamespaceCache(kubeConfigFor(api.url), {
      logger: pino({ level: 'silent' }),
      events: { state: (s) => states.push(s) },
    });
    expect(cache.getNamespace('team')).toBeNull();
    await cache.start();
    expect(cache.state()).toBe('synced');
    expect(cache.getNamespace('team')?.labels).toEqual({ 'autoprobe.dev/inject': 'enabled' });
    expect(cache.getNamespace('nope')).toBeNull();

    api.emit('MODIFIED', 'team', {
      'autoprobe.dev/inject': 'enabled',
      'autoprobe.dev/mode': 'audit',
    });
    api.emit('ADDED', 'fresh', {});
    await until(() => cache?.getNamespace('fresh') !== null);
    expect(cache.getNamespace('team')?.labels).toEqual({
      'autoprobe.dev/inject': 'enabled',
      'autoprobe.dev/mode': 'audit',
    });
    api.emit('DELETED', 'fresh', {});
    await until(() => cache?.getNamespace('fresh') === null);
    expect(states).toEqual(['syncing', 'synced']);
  });

  it('retries a failing list with backoff, counting each error, until it syncs', async () => {
    api = await fakeApiserver({ team: { a: 'b' } });
    api.failLists(2);
    const errors: unknown[] = [];
    cache = createNamespaceCache(kubeConfigFor(api.url), {
      logger: pino({ level: 'silent' }),
      events: { error: (e) => errors.push(e) },
      backoff: { initialMs: 20, maxMs: 100 },
    });
    await cache.start();
    expect(cache.state()).toBe('error');
    expect(cache.getNamespace('team')).toBeNull();
    await until(() => cache?.state() === 'synced');
    expect(errors).toHaveLength(2);
    expect(api.lists()).toBe(3);
    expect(cache.getNamespace('team')?.labels).toEqual({ a: 'b' });
  });

  it('keeps serving the labels it has while a broken watch is retried', async () => {
    api = await fakeApiserver({ team: { a: 'b' } });
    const errors: unknown[] = [];
    const states: NamespaceCacheState[] = [];
    cache = createNamespaceCache(kubeConfigFor(api.url), {
      logger: pino({ level: 'silent' }),
      events: { error: (e) => errors.push(e), state: (s) => states.push(s) },
      backoff: { initialMs: 50, maxMs: 100 },
    });
    await cache.start();
    api.breakWatches(1);
    await until(() => cache?.state() === 'error');
    expect(cache.getNamespace('team')?.labels).toEqual({ a: 'b' });
    await until(() => cache?.state() === 'synced');
    expect(errors).toHaveLength(1);
    expect(states).toEqual(['syncing', 'synced', 'error', 'synced']);
    api.emit('MODIFIED', 'team', { a: 'c' });
    await until(() => cache?.getNamespace('team')?.labels.a === 'c');
  });

  it('backs off exponentially with jitter, capped', () => {
    const backoff = { initialMs: 1000, maxMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => delayFor(n, backoff, () => 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(delayFor(1, backoff, () => 0)).toBe(800);
    expect(delayFor(1, backoff, () => 1)).toBe(1200);
  });
});
