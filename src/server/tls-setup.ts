/**
 * @module server/tls-setup — the serving certificate at start: the configured files, or a
 * development CA and certificate when none are configured. A development certificate is kept in
 * `server.tls.generatedDir` and reused on the next start while it is valid for 30 more days and
 * covers the configured hosts, so a caBundle registered from its CA keeps working across restarts.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { ServerSettings } from '../config/config.js';
import { readTlsFiles, validateTlsPair } from './tls-material.js';
import type { TlsMaterial } from './tls-material.js';

/** The certificate the listener starts with, and the files to watch when they were configured. */
export interface InitialTls {
  readonly material: TlsMaterial;
  readonly files: { readonly certFile: string; readonly keyFile: string } | null;
}

const REUSE_MIN_REMAINING_MS = 30 * 86_400_000;

/** Where the development CA goes when `server.tls.generatedDir` is not set. */
export function defaultGeneratedDir(): string {
  return join(tmpdir(), 'autoprobe-tls');
}

/** prepareTls loads the configured pair, or reuses or generates a development one. */
export async function prepareTls(
  tls: ServerSettings['tls'],
  logger: FastifyBaseLogger,
): Promise<InitialTls> {
  const { certFile, keyFile } = tls;
  if (certFile !== undefined && keyFile !== undefined) {
    return { material: await readTlsFiles(certFile, keyFile), files: { certFile, keyFile } };
  }
  const dir = tls.generatedDir ?? defaultGeneratedDir();
  const hosts = tls.hosts ?? [];
  const files = {
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
  };
  let material = await reusable(files, hosts);
  const reused = material !== undefined;
  if (material === undefined) {
    // Loaded only when needed: the X.509 library is not used when certificates are mounted.
    const { generateDevCertificate, writeDevCertificate } = await import('./dev-certificate.js');
    const generated = await generateDevCertificate({ hosts });
    await writeDevCertificate(dir, generated);
    material = validateTlsPair(generated.cert, generated.key);
  }
  logger.warn(
    { ...files, hosts, fingerprint: material.fingerprint, reused },
    `no certificate configured: serving a development certificate; its CA (for caBundle) is ${files.caFile}`,
  );
  return { material, files: null };
}

/** reusable returns the development pair in `dir` when it is still good for `hosts`. */
async function reusable(
  files: { caFile: string; certFile: string; keyFile: string },
  hosts: readonly string[],
): Promise<TlsMaterial | undefined> {
  try {
    await readFile(files.caFile);
    const material = await readTlsFiles(files.certFile, files.keyFile);
    if (material.notAfter.getTime() - Date.now() < REUSE_MIN_REMAINING_MS) return undefined;
    const leaf = new X509Certificate(material.cert);
    const covered = hosts.every((h) =>
      isIP(h) === 0 ? leaf.checkHost(h) !== undefined : leaf.checkIP(h) !== undefined,
    );
    return covered ? material : undefined;
  } catch {
    // Missing or unusable files simply mean a new certificate.
    return undefined;
  }
}
