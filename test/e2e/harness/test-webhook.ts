/**
 * @module e2e/harness/test-webhook — a tiny second mutating webhook (Node https, its own CA) to
 * put autoprobe in a chain: it adds an env var to every container, a label, or a sidecar, with
 * JSON Patch `add` operations, idempotently. It records what it was sent, so a test can tell the
 * order the apiserver called the webhooks in and how often.
 */
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { createCa } from './pki.js';

/** One JSON Patch operation. */
export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: unknown;
}

/** A mutation: the operations to apply to `pod` (none when it already has what it adds). */
export type Mutation = (pod: V1Pod) => PatchOperation[];

/** What the test webhook was sent. */
export interface ReceivedReview {
  readonly uid: string;
  readonly namespace: string;
  readonly object: V1Pod;
  readonly dryRun: boolean;
  /** The number of patch operations it answered with. */
  readonly operations: number;
}

/** A running test webhook. */
export interface TestWebhook {
  /** `https://127.0.0.1:PORT/mutate`. */
  readonly url: string;
  readonly caPem: string;
  readonly received: ReceivedReview[];
  stop(): Promise<void>;
}

const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** addEnv adds `name=value` to every container's env, where it is missing. */
export function addEnv(name: string, value: string): Mutation {
  return (pod) => {
    const ops: PatchOperation[] = [];
    (pod.spec?.containers ?? []).forEach((c, i) => {
      if (c.env === undefined)
        ops.push({ op: 'add', path: `/spec/containers/${i}/env`, value: [{ name, value }] });
      else if (!c.env.some((e) => e.name === name))
        ops.push({ op: 'add', path: `/spec/containers/${i}/env/-`, value: { name, value } });
    });
    return ops;
  };
}

/** addLabel sets a label on the Pod, where it is missing. */
export function addLabel(key: string, value: string): Mutation {
  return (pod) => {
    const labels = pod.metadata?.labels;
    if (labels?.[key] !== undefined) return [];
    if (labels === undefined)
      return [{ op: 'add', path: '/metadata/labels', value: { [key]: value } }];
    return [{ op: 'add', path: `/metadata/labels/${escape(key)}`, value }];
  };
}

/** addSidecar appends a container, where no container of that name exists. */
export function addSidecar(container: V1Container): Mutation {
  return (pod) =>
    (pod.spec?.containers ?? []).some((c) => c.name === container.name)
      ? []
      : [{ op: 'add', path: '/spec/containers/-', value: container }];
}

/** combine applies several mutations (each sees the Pod as sent, so they must not overlap). */
export function combine(...mutations: Mutation[]): Mutation {
  return (pod) => mutations.flatMap((m) => m(pod));
}

interface Review {
  readonly apiVersion?: string;
  readonly request?: { uid: string; namespace?: string; object?: V1Pod; dryRun?: boolean };
}

/** startTestWebhook serves `mutate` at https://127.0.0.1:PORT/mutate with a fresh CA. */
export async function startTestWebhook(mutate: Mutation): Promise<TestWebhook> {
  const ca = await createCa('autoprobe e2e test webhook CA');
  const serving = await ca.issue({
    commonName: 'test-webhook',
    hosts: ['127.0.0.1', 'localhost'],
    usage: 'server',
  });
  const received: ReceivedReview[] = [];
  const server: Server = createServer(
    { cert: serving.certPem, key: serving.keyPem },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Review;
        const request = review.request;
        if (request === undefined) {
          res.writeHead(400).end();
          return;
        }
        const object = request.object ?? {};
        const ops = mutate(object);
        received.push({
          uid: request.uid,
          namespace: request.namespace ?? '',
          object,
          dryRun: request.dryRun === true,
          operations: ops.length,
        });
        const response: Record<string, unknown> = { uid: request.uid, allowed: true };
        if (ops.length > 0) {
          response.patchType = 'JSONPatch';
          response.patch = Buffer.from(JSON.stringify(ops)).toString('base64');
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }),
        );
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/mutate`,
    caPem: ca.certPem,
    received,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
