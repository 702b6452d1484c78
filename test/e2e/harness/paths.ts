/**
 * @module e2e/harness/paths — where the e2e suite finds the repository, the binary cache and the
 * Kubernetes versions it runs against. The versions mirror test/e2e/cluster/build.sh.
 */
import { existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (three levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** test/e2e/cluster: build.sh and smoke.sh. */
export const CLUSTER_SCRIPTS_DIR = join(REPO_ROOT, 'test', 'e2e', 'cluster');

/** Newest supported minor (build.sh's KUBE_APISERVER_VERSION). */
export const NEWEST_KUBE_VERSION = '1.36.3';
/** Oldest supported minor (build.sh's KUBE_APISERVER_OLDEST_VERSION). */
export const OLDEST_KUBE_VERSION = '1.34.4';
/** The etcd every apiserver version runs on (build.sh's ETCD_VERSION). */
export const ETCD_VERSION = '3.6.16';

/** The per-user cache of build.sh: `${AUTOPROBE_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/autoprobe}`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.AUTOPROBE_CACHE_DIR;
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'autoprobe');
}

/**
 * resolveKubeVersion turns `1.36.3`, `v1.36.3`, `1.36` or `1.34` into a full version; undefined
 * means the newest. Anything else is used as given (build.sh builds any served version).
 */
export function resolveKubeVersion(wanted: string | undefined): string {
  const v = (wanted ?? '').trim().replace(/^v/, '');
  if (v === '') return NEWEST_KUBE_VERSION;
  if (v === minorOf(NEWEST_KUBE_VERSION)) return NEWEST_KUBE_VERSION;
  if (v === minorOf(OLDEST_KUBE_VERSION)) return OLDEST_KUBE_VERSION;
  if (!/^\d+\.\d+\.\d+$/.test(v)) {
    throw new Error(`kube-apiserver version "${wanted ?? ''}": give X.Y.Z, or 1.36 / 1.34`);
  }
  return v;
}

function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/**
 * Parent of the per-run temporary directories: tmpfs when there is one, since a slow fdatasync
 * makes apiserver readiness time out (kubernetes#141284).
 */
export function runParentDir(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}
