/**
 * @module kube/certs/store — the thin Kubernetes edge of the self-managed certificates: read and
 * write the one Secret and the one MutatingWebhookConfiguration they concern, by name, so RBAC
 * can restrict the permissions to those names (`resourceNames`). Writes are JSON Patches that
 * carry the resourceVersion that was read: a writer that lost a race gets `conflict` and starts
 * over from fresh reads, as controller-runtime's optimistic-lock patches do.
 */
import {
  AdmissionregistrationV1Api,
  ApiException,
  CoreV1Api,
  V1ObjectMeta,
  V1Secret,
} from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { PatchOperation, WebhookConfigState } from './ca-bundle.js';

/** The certificate Secret as read. */
export interface StoredSecret {
  readonly resourceVersion: string;
  /** The Secret's `data` (base64 values); empty when the Secret has none yet. */
  readonly data: Readonly<Record<string, string>>;
}

/** The outcome of a conditional write. */
export type WriteResult = 'written' | 'conflict';

/** Where the certificate state lives. */
export interface CertificateStore {
  /** The Secret, or null when it does not exist. */
  readSecret(): Promise<StoredSecret | null>;
  /** Sets the Secret's data if it is still at `basis`; creates the Secret when `basis` is null. */
  writeSecret(
    data: Readonly<Record<string, string>>,
    basis: StoredSecret | null,
  ): Promise<WriteResult>;
  /** The webhook configuration, or null when it does not exist. */
  readWebhookConfig(): Promise<WebhookConfigState | null>;
  /** Applies a patch from caBundlePatch (it carries its own resourceVersion precondition). */
  patchWebhookConfig(ops: readonly PatchOperation[]): Promise<WriteResult>;
}

/** The names the store works on. */
export interface StoreNames {
  readonly namespace: string;
  readonly secretName: string;
  readonly webhookConfigName: string;
}

/** kubeCertificateStore is the store backed by the Kubernetes API. */
export function kubeCertificateStore(kubeConfig: KubeConfig, names: StoreNames): CertificateStore {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const admission = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const { namespace, secretName: name, webhookConfigName } = names;
  return {
    readSecret: () =>
      orNull(async () => {
        const secret = await core.readNamespacedSecret({ name, namespace });
        return { resourceVersion: secret.metadata?.resourceVersion ?? '', data: secret.data ?? {} };
      }),
    writeSecret: (data, basis) =>
      conditional(async () => {
        if (basis === null) {
          const body = new V1Secret();
          body.metadata = Object.assign(new V1ObjectMeta(), { name, namespace });
          body.type = 'Opaque';
          body.data = { ...data };
          await core.createNamespacedSecret({ namespace, body });
          return;
        }
        await core.patchNamespacedSecret({
          name,
          namespace,
          body: [
            { op: 'replace', path: '/metadata/resourceVersion', value: basis.resourceVersion },
            { op: 'add', path: '/data', value: data },
          ],
        });
      }),
    readWebhookConfig: () =>
      orNull(async () => {
        const config = await admission.readMutatingWebhookConfiguration({
          name: webhookConfigName,
        });
        return {
          resourceVersion: config.metadata?.resourceVersion ?? '',
          caBundles: (config.webhooks ?? []).map((w) => w.clientConfig.caBundle),
        };
      }),
    patchWebhookConfig: (ops) =>
      conditional(async () => {
        await admission.patchMutatingWebhookConfiguration({ name: webhookConfigName, body: ops });
      }),
  };
}

/** orNull turns 404 Not Found into null. */
async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return null;
    throw error;
  }
}

/** conditional turns 409 (Conflict, or AlreadyExists for a create) into 'conflict'. */
async function conditional(write: () => Promise<void>): Promise<WriteResult> {
  try {
    await write();
    return 'written';
  } catch (error) {
    if (error instanceof ApiException && error.code === 409) return 'conflict';
    throw error;
  }
}
