/**
 * @module server/serve-certificates — self-managed certificates in `autoprobe serve`
 * (`server.tls.selfManaged`, see kube/certs): the certificate manager runs before the listener,
 * and every pass's serving pair is written into `server.tls.generatedDir`, where the certificate
 * reloader picks up a rotation. The client library is loaded only in this mode.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ServerSettings } from '../config/config.js';
import { AutoprobeError } from '../core/index.js';
import { writeDevCertificate } from './dev-certificate.js';
import type { ServeEnv } from './env.js';
import type { FileWatch } from './file-watch.js';
import { defaultGeneratedDir } from './tls-setup.js';

/** The files the manager keeps current, and how to stop it. */
export interface ManagedTls {
  readonly files: { readonly certFile: string; readonly keyFile: string };
  readonly watch: FileWatch;
}

/** startSelfManagedTls starts the manager when configured; it resolves once the files exist. */
export async function startSelfManagedTls(
  tls: ServerSettings['tls'],
  env: ServeEnv,
  logger: Logger,
): Promise<ManagedTls | null> {
  const { selfManaged } = tls;
  if (selfManaged === undefined) return null;
  const namespace = env.podNamespace;
  if (env.kube === null || namespace === undefined) {
    throw new AutoprobeError(
      'AP_ERR_CONFIG_INVALID',
      'server.tls.selfManaged needs Kubernetes credentials (the in-cluster service account or a kubeconfig) and POD_NAMESPACE, the namespace of its Secret and Service',
    );
  }
  const [{ loadKubeConfig }, certs] = await Promise.all([
    import('../kube/kube-config.js'),
    import('../kube/certs/index.js'),
  ]);
  const dir = tls.generatedDir ?? defaultGeneratedDir();
  let installed = '';
  const settings = certs.planSettingsOf(selfManaged, namespace, tls.hosts);
  logger.info(
    {
      namespace,
      secret: selfManaged.secretName,
      webhookConfig: selfManaged.webhookConfigName,
      hosts: settings.hosts,
      dir,
    },
    'self-managed certificates: reconciling the Secret and the caBundle',
  );
  const manager = await certs.startCertificateManager({
    store: certs.kubeCertificateStore(loadKubeConfig(env.kube), {
      namespace,
      secretName: selfManaged.secretName,
      webhookConfigName: selfManaged.webhookConfigName,
    }),
    settings,
    resyncMs: selfManaged.resyncSeconds * 1000,
    logger,
    install: async (secret) => {
      const next = `${secret.cert}\n${secret.key}\n${secret.bundle}`;
      if (next === installed) return;
      await writeDevCertificate(dir, { caCert: secret.bundle, cert: secret.cert, key: secret.key });
      installed = next;
    },
  });
  return {
    files: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') },
    watch: {
      close: () => {
        manager.close();
      },
    },
  };
}
