/**
 * @module e2e/harness/cluster — a real etcd and kube-apiserver on loopback, with the flags proven
 * by test/e2e/cluster/smoke.sh (identical for 1.34 and 1.36): etcd with --unsafe-no-fsync and its
 * data on tmpfs; kube-apiserver with --advertise-address=127.0.0.1 --endpoint-reconciler-type=none
 * (no default route needed, nothing writes the `kubernetes` Endpoints),
 * --disable-admission-plugins=ServiceAccount (no controller creates the `default` ServiceAccount)
 * and RBAC, reached with an admin client certificate in O=system:masters.
 *
 * startCluster owns the processes and stops them in stop(); connectCluster gives another process
 * (a vitest worker) a client for a cluster someone else owns, from the serialisable ClusterInfo.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AdmissionregistrationV1Api,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
} from '@kubernetes/client-node';
import { ensureBinaries } from './binaries.js';
import type { Binaries } from './binaries.js';
import { kubeHttp } from './kube-http.js';
import type { ApiCredentials, KubeHttp } from './kube-http.js';
import { resolveKubeVersion, runParentDir } from './paths.js';
import { createClusterPki } from './pki.js';
import type { CertificateAuthority } from './pki.js';
import { freePort } from './ports.js';
import { isAlive, killRecorded, onExitSync, startProcess } from './processes.js';
import type { ManagedProcess } from './processes.js';

/** Everything a client needs to use a running cluster; plain data (vitest `provide`s it). */
export interface ClusterInfo extends ApiCredentials {
  /** The apiserver version, e.g. `1.36.3`. */
  readonly version: string;
  /** A kubeconfig (YAML) with the admin credentials inline; also at kubeconfigPath. */
  readonly kubeconfig: string;
  readonly kubeconfigPath: string;
  /** The run directory (PKI, logs, etcd data); removed by stop(). */
  readonly dir: string;
  /** Where processes started for this cluster record their pids (see processes.killRecorded). */
  readonly pidDir: string;
  readonly etcdUrl: string;
  readonly logs: { readonly etcd: string; readonly apiserver: string };
}

/** A client view of a cluster. */
export interface ClusterClient extends ClusterInfo {
  readonly kc: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly admission: AdmissionregistrationV1Api;
  /** Raw HTTPS with the admin certificate (Warning headers, timings). */
  readonly http: KubeHttp;
  /** Closes the client's connections (does not stop the cluster). */
  close(): void;
}

/** A cluster this process started. */
export interface Cluster extends ClusterClient {
  /** The CA the apiserver trusts for clients and serves with; it can issue more certificates. */
  readonly ca: CertificateAuthority;
  readonly etcd: ManagedProcess;
  readonly apiserver: ManagedProcess;
  /** Stops kube-apiserver and etcd and removes the run directory (AUTOPROBE_E2E_KEEP=1 keeps it). */
  stop(): Promise<void>;
}

/** Options of startCluster. */
export interface StartClusterOptions {
  /** kube-apiserver version: `1.36.3` (default), `1.34.4`, or the minors `1.36` / `1.34`. */
  readonly version?: string;
  /** Binaries to use instead of running build.sh. */
  readonly binaries?: Binaries;
  /** How long etcd and the apiserver each may take to become ready (default 120 s: a contended
   * 2-core machine has taken 30 s). */
  readonly startTimeoutMs?: number;
  /** Extra kube-apiserver flags (`--flag=value`). */
  readonly apiserverFlags?: readonly string[];
}

const RUN_PREFIX = 'autoprobe-e2e-';
const PORT_ATTEMPTS = 5;

/** clusterInfo keeps the plain data of a cluster (what vitest can `provide` to workers). */
export function clusterInfo(cluster: ClusterInfo): ClusterInfo {
  const { version, url, caPem, adminCertPem, adminKeyPem, kubeconfig, kubeconfigPath } = cluster;
  const { dir, pidDir, etcdUrl, logs } = cluster;
  return {
    version,
    url,
    caPem,
    adminCertPem,
    adminKeyPem,
    kubeconfig,
    kubeconfigPath,
    dir,
    pidDir,
    etcdUrl,
    logs: { etcd: logs.etcd, apiserver: logs.apiserver },
  };
}

/** connectCluster builds the client-node APIs and the raw client for a cluster. */
export function connectCluster(info: ClusterInfo): ClusterClient {
  const kc = new KubeConfig();
  kc.loadFromString(info.kubeconfig);
  const http = kubeHttp(info);
  return {
    ...info,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    admission: kc.makeApiClient(AdmissionregistrationV1Api),
    http,
    close: () => {
      http.close();
    },
  };
}

/**
 * startCluster builds (or reuses) the binaries, makes a PKI, starts etcd and kube-apiserver on
 * free loopback ports, and returns once /readyz is 200 and namespace `default` exists.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  sweepStaleRuns();
  const version = options.binaries?.kubeVersion ?? resolveKubeVersion(options.version);
  const binaries = options.binaries ?? ensureBinaries({ kubeVersions: [version] });
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const dir = mkdtempSync(join(runParentDir(), RUN_PREFIX));
  writeFileSync(join(dir, 'owner'), String(process.pid));
  const removeDir = (): void => {
    if (process.env.AUTOPROBE_E2E_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  };
  // Interrupted (SIGINT/SIGTERM) or exiting without stop(): the processes are killed, then this.
  const forgetDir = onExitSync(removeDir);
  const pidDir = join(dir, 'pids');
  const pkiDir = join(dir, 'pki');
  mkdirSync(pkiDir, { recursive: true });
  const started: ManagedProcess[] = [];
  try {
    const pki = await createClusterPki();
    const file = (name: string, content: string): string => {
      const path = join(pkiDir, name);
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    };
    const paths = {
      ca: file('ca.crt', pki.ca.certPem),
      cert: file('apiserver.crt', pki.apiserver.certPem),
      key: file('apiserver.key', pki.apiserver.keyPem),
      sa: file('sa.key', pki.serviceAccountKeyPem),
    };
    const etcd = await startEtcd({ binaries, dir, pidDir, timeoutMs });
    started.push(etcd.process);
    const apiserver = await startApiserver({
      binaries,
      dir,
      pidDir,
      timeoutMs,
      etcdUrl: etcd.url,
      paths,
      creds: {
        caPem: pki.ca.certPem,
        adminCertPem: pki.admin.certPem,
        adminKeyPem: pki.admin.keyPem,
      },
      extraFlags: options.apiserverFlags ?? [],
    });
    started.push(apiserver.process);
    const kubeconfig = kubeconfigYaml(apiserver.url, pki.ca.certPem, pki.admin);
    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });
    const info: ClusterInfo = {
      version,
      url: apiserver.url,
      caPem: pki.ca.certPem,
      adminCertPem: pki.admin.certPem,
      adminKeyPem: pki.admin.keyPem,
      kubeconfig,
      kubeconfigPath,
      dir,
      pidDir,
      etcdUrl: etcd.url,
      logs: { etcd: etcd.process.logFile, apiserver: apiserver.process.logFile },
    };
    const client = connectCluster(info);
    let stopping: Promise<void> | undefined;
    return {
      ...client,
      ca: pki.ca,
      etcd: etcd.process,
      apiserver: apiserver.process,
      stop: () => {
        stopping ??= (async () => {
          client.close();
          await apiserver.process.stop();
          await etcd.process.stop();
          killRecorded(pidDir); // anything else started for this cluster and not stopped
          removeDir();
          forgetDir();
        })();
        return stopping;
      },
    };
  } catch (error) {
    for (const p of started.reverse()) await p.stop({ graceMs: 5_000 });
    killRecorded(pidDir);
    removeDir();
    forgetDir();
    throw error;
  }
}

interface Started {
  readonly process: ManagedProcess;
  readonly url: string;
}

interface StartContext {
  readonly binaries: Binaries;
  readonly dir: string;
  readonly pidDir: string;
  readonly timeoutMs: number;
}

/** withPortRetry starts a server on a fresh port until it does not fail with EADDRINUSE. */
async function withPortRetry(
  what: string,
  attempt: (port: number) => Promise<Started | 'port-in-use'>,
): Promise<Started> {
  for (let i = 1; i <= PORT_ATTEMPTS; i++) {
    const result = await attempt(await freePort());
    if (result !== 'port-in-use') return result;
  }
  throw new Error(`${what}: every port tried was in use (${PORT_ATTEMPTS} attempts)`);
}

const PORT_IN_USE = /address already in use|EADDRINUSE/;

async function startEtcd(ctx: StartContext): Promise<Started> {
  return withPortRetry('etcd', async (port) => {
    const url = `http://127.0.0.1:${port}`;
    const logFile = join(ctx.dir, `etcd-${port}.log`);
    const proc = startProcess({
      name: 'etcd',
      command: ctx.binaries.etcd,
      args: [
        '--name=e2e',
        `--data-dir=${join(ctx.dir, `etcd-data-${port}`)}`,
        `--listen-client-urls=${url}`,
        `--advertise-client-urls=${url}`,
        '--listen-peer-urls=http://127.0.0.1:0',
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      logFile,
      pidDir: ctx.pidDir,
    });
    const ready = await waitUntil(proc, ctx.timeoutMs, async () => {
      const res = await fetch(`${url}/health`).catch(() => undefined);
      if (res === undefined) return false;
      const body = (await res.json().catch(() => ({}))) as { health?: string };
      return body.health === 'true';
    });
    if (ready) return { process: proc, url };
    await proc.stop({ graceMs: 5_000 });
    if (PORT_IN_USE.test(proc.log())) return 'port-in-use';
    throw new Error(`etcd did not become healthy on ${url}:\n${proc.tail()}`);
  });
}

interface ApiserverContext extends StartContext {
  readonly etcdUrl: string;
  readonly paths: {
    readonly ca: string;
    readonly cert: string;
    readonly key: string;
    readonly sa: string;
  };
  readonly creds: Omit<ApiCredentials, 'url'>;
  readonly extraFlags: readonly string[];
}

async function startApiserver(ctx: ApiserverContext): Promise<Started> {
  return withPortRetry('kube-apiserver', async (port) => {
    const url = `https://127.0.0.1:${port}`;
    const { paths } = ctx;
    const proc = startProcess({
      name: 'kube-apiserver',
      command: ctx.binaries.kubeApiserver,
      args: [
        `--etcd-servers=${ctx.etcdUrl}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        `--tls-cert-file=${paths.cert}`,
        `--tls-private-key-file=${paths.key}`,
        `--cert-dir=${join(ctx.dir, 'cert')}`,
        `--client-ca-file=${paths.ca}`,
        '--authorization-mode=RBAC',
        `--service-account-issuer=${url}`,
        `--service-account-key-file=${paths.sa}`,
        `--service-account-signing-key-file=${paths.sa}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        '--allow-privileged=true',
        '--disable-admission-plugins=ServiceAccount',
        '--endpoint-reconciler-type=none',
        '--advertise-address=127.0.0.1',
        '--v=1',
        ...ctx.extraFlags,
      ],
      logFile: join(ctx.dir, `apiserver-${port}.log`),
      pidDir: ctx.pidDir,
    });
    const anonymous = kubeHttp({ url, ...ctx.creds }, true);
    const admin = kubeHttp({ url, ...ctx.creds });
    try {
      const ready =
        (await waitUntil(proc, ctx.timeoutMs, async () => {
          const res = await anonymous
            .request('GET', '/readyz', { timeoutMs: 5_000 })
            .catch(() => undefined);
          return res?.status === 200;
        })) &&
        // As upstream's testserver.go: also wait until namespace `default` exists.
        (await waitUntil(proc, ctx.timeoutMs, async () => {
          const res = await admin
            .request('GET', '/api/v1/namespaces/default', { timeoutMs: 5_000 })
            .catch(() => undefined);
          return res?.status === 200;
        }));
      if (ready) {
        const version = await admin.request<{ gitVersion?: string }>('GET', '/version');
        const want = `v${ctx.binaries.kubeVersion}`;
        if (version.body.gitVersion !== want) {
          await proc.stop();
          throw new Error(`/version says ${String(version.body.gitVersion)}, expected ${want}`);
        }
        return { process: proc, url };
      }
    } finally {
      anonymous.close();
      admin.close();
    }
    await proc.stop({ graceMs: 5_000 });
    if (PORT_IN_USE.test(proc.log())) return 'port-in-use';
    throw new Error(`kube-apiserver did not become ready on ${url}:\n${proc.tail(40)}`);
  });
}

/** waitUntil polls `check` until it is true; false when the process exits or time runs out. */
async function waitUntil(
  proc: ManagedProcess,
  timeoutMs: number,
  check: () => Promise<boolean>,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.running()) return false;
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

/**
 * serviceAccountCredentials asks the apiserver for a token of ServiceAccount `name` (as the
 * kubelet would mount it) and returns it with a kubeconfig (YAML) that authenticates with it.
 */
export async function serviceAccountCredentials(
  cluster: ClusterClient,
  namespace: string,
  name: string,
): Promise<{ readonly token: string; readonly kubeconfig: string }> {
  const response = await cluster.http.request<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600 },
      },
    },
  );
  if (response.status !== 201) {
    throw new Error(`TokenRequest for ${namespace}/${name}: HTTP ${response.status}`);
  }
  const { token } = response.body.status;
  const b64 = Buffer.from(cluster.caPem).toString('base64');
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: e2e',
    '    cluster:',
    `      server: ${cluster.url}`,
    `      certificate-authority-data: ${b64}`,
    'users:',
    `  - name: ${name}`,
    '    user:',
    `      token: ${token}`,
    'contexts:',
    `  - name: ${name}`,
    `    context: {cluster: e2e, user: ${name}, namespace: ${namespace}}`,
    `current-context: ${name}`,
    '',
  ].join('\n');
  return { token, kubeconfig };
}

function kubeconfigYaml(
  url: string,
  caPem: string,
  admin: { readonly certPem: string; readonly keyPem: string },
): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: e2e',
    '    cluster:',
    `      server: ${url}`,
    `      certificate-authority-data: ${b64(caPem)}`,
    'users:',
    '  - name: e2e-admin',
    '    user:',
    `      client-certificate-data: ${b64(admin.certPem)}`,
    `      client-key-data: ${b64(admin.keyPem)}`,
    'contexts:',
    '  - name: e2e',
    '    context: {cluster: e2e, user: e2e-admin}',
    'current-context: e2e',
    '',
  ].join('\n');
}

/**
 * sweepStaleRuns removes run directories whose owner process is gone (a run killed with SIGKILL),
 * stopping the processes they recorded first.
 */
export function sweepStaleRuns(): void {
  const parent = runParentDir();
  let entries: string[];
  try {
    entries = readdirSync(parent).filter((e) => e.startsWith(RUN_PREFIX));
  } catch {
    return;
  }
  for (const entry of entries) {
    const dir = join(parent, entry);
    let owner: number;
    try {
      owner = Number.parseInt(readFileSync(join(dir, 'owner'), 'utf8'), 10);
    } catch {
      continue; // not a run directory (or not ours yet)
    }
    if (!Number.isInteger(owner) || isAlive(owner)) continue;
    const killed = killRecorded(join(dir, 'pids'));
    if (killed.length > 0)
      process.stderr.write(`e2e: stopped leftovers of a dead run: ${killed.join(', ')}\n`);
    rmSync(dir, { recursive: true, force: true });
  }
}
