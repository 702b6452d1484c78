/**
 * @module e2e/harness/binaries — kube-apiserver, etcd (and helm) for the e2e suite, from
 * test/e2e/cluster/build.sh. The script reuses cached binaries in well under a second and builds
 * missing ones from the Go module proxy (minutes). A missing Go toolchain or a failed build is an
 * error that fails the suite: it never skips.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_SCRIPTS_DIR, ETCD_VERSION, cacheDir } from './paths.js';

/** Paths of the binaries for one apiserver version. */
export interface Binaries {
  readonly kubeApiserver: string;
  readonly etcd: string;
  readonly kubeVersion: string;
  readonly etcdVersion: string;
}

/** Options of ensureBinaries. */
export interface EnsureBinariesOptions {
  /** Full kube-apiserver versions to have (e.g. ['1.36.3']). */
  readonly kubeVersions: readonly string[];
  /** Also build helm (the chart tests need it). */
  readonly helm?: boolean;
  /** Where build.sh's progress goes; default: this process's stderr. */
  readonly stdio?: 'inherit' | 'pipe';
}

/** How long a cold build may take (CI's budget is 90 min; a cold build is ~37 min on 2 cores). */
const BUILD_TIMEOUT_MS = 75 * 60 * 1000;

/** binDir is build.sh's output directory. */
export function binDir(): string {
  return join(cacheDir(), 'bin');
}

/** helmBinary is the cached helm path (after ensureBinaries({helm: true})). */
export function helmBinary(version = '3.22.0'): string {
  return join(binDir(), `helm-v${version}`);
}

/**
 * ensureBinaries runs build.sh for the wanted targets and returns the binaries of the first
 * version. It throws, with build.sh's output in the message when piped, if the build fails.
 */
export function ensureBinaries(options: EnsureBinariesOptions): Binaries {
  const [first] = options.kubeVersions;
  if (first === undefined) throw new Error('ensureBinaries: no kube-apiserver version given');
  const targets = [
    ...options.kubeVersions.map((v) => `kube-apiserver-v${v}`),
    'etcd',
    ...(options.helm === true ? ['helm'] : []),
  ];
  const script = join(CLUSTER_SCRIPTS_DIR, 'build.sh');
  const run = spawnSync('bash', [script, ...targets], {
    stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit'],
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
    env: { ...process.env, ETCD_VERSION },
  });
  if (run.error !== undefined || run.status !== 0) {
    const output = options.stdio === 'pipe' ? `\n${run.stdout}${run.stderr}` : '';
    throw new Error(
      `test/e2e/cluster/build.sh ${targets.join(' ')} failed ` +
        `(${run.error?.message ?? `exit ${String(run.status ?? run.signal)}`}). The e2e suite needs ` +
        `a real kube-apiserver and etcd built with Go (>= 1.26 on the PATH); it does not skip.${output}`,
    );
  }
  const binaries: Binaries = {
    kubeApiserver: join(binDir(), `kube-apiserver-v${first}`),
    etcd: join(binDir(), `etcd-v${ETCD_VERSION}`),
    kubeVersion: first,
    etcdVersion: ETCD_VERSION,
  };
  for (const file of [binaries.kubeApiserver, binaries.etcd]) {
    try {
      accessSync(file, constants.X_OK);
    } catch (cause) {
      throw new Error(`build.sh succeeded but ${file} is not an executable`, { cause });
    }
  }
  return binaries;
}
