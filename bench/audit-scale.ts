/**
 * @module bench/audit-scale — `npx tsx bench/audit-scale.ts [--workloads N]`: time and memory of
 * one `autoprobe audit` over N workloads in a real kube-apiserver (the e2e harness's, on
 * loopback): N Deployments of the bench corpus's images spread over 20 namespaces, then
 * `node dist/main.js audit -o json` under /usr/bin/time. Prints the figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startCluster } from '../test/e2e/harness/cluster.js';

const { values } = parseArgs({ options: { workloads: { type: 'string', default: '10000' } } });
const total = Number(values.workloads);
const IMAGES = [
  'postgres:16.4',
  'redis:7.4',
  'nginx:1.27',
  'mysql:8.4',
  'registry.example.com/app:1',
];
const NAMESPACES = 20;

const cluster = await startCluster({ startTimeoutMs: 180_000 });
try {
  for (let n = 0; n < NAMESPACES; n++) {
    await cluster.http.request('POST', '/api/v1/namespaces', {
      body: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: `scale-${n}`, labels: { 'autoprobe.dev/inject': 'enabled' } },
      },
    });
  }
  const started = Date.now();
  const create = async (i: number): Promise<void> => {
    const name = `w-${i}`;
    const image = IMAGES[i % IMAGES.length] ?? 'nginx';
    const res = await cluster.http.request(
      'POST',
      `/apis/apps/v1/namespaces/scale-${i % NAMESPACES}/deployments`,
      {
        body: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name },
          spec: {
            selector: { matchLabels: { app: name } },
            template: {
              metadata: { labels: { app: name } },
              spec: {
                containers: [
                  {
                    name: 'main',
                    image,
                    env: [
                      {
                        name: 'POSTGRES_PASSWORD',
                        valueFrom: { secretKeyRef: { name: 's', key: 'p' } },
                      },
                    ],
                  },
                  { name: 'sidecar', image: 'busybox:1.36' },
                ],
              },
            },
          },
        },
      },
    );
    if (res.status !== 201) throw new Error(`create ${name}: HTTP ${res.status}`);
  };
  for (let i = 0; i < total; i += 8) {
    await Promise.all(Array.from({ length: Math.min(8, total - i) }, (_, k) => create(i + k)));
  }
  process.stdout.write(
    `created ${total} Deployments in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  const run = spawnSync(
    '/usr/bin/time',
    ['-v', process.execPath, 'dist/main.js', 'audit', '-o', 'json'],
    {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        KUBECONFIG: cluster.kubeconfigPath,
        HOME: '/nonexistent',
      },
      maxBuffer: 1 << 30,
    },
  );
  const field = (name: string): string =>
    new RegExp(`${name}: (.*)`).exec(run.stderr)?.[1]?.trim() ?? '?';
  const items = (JSON.parse(run.stdout) as unknown[]).length;
  process.stdout.write(
    `audit: exit ${run.status}, ${items} container rows, wall ${field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)')}, ` +
      `user ${field('User time \\(seconds\\)')} s, sys ${field('System time \\(seconds\\)')} s, peak RSS ${Math.round(Number(field('Maximum resident set size \\(kbytes\\)')) / 1024)} MB\n`,
  );
} finally {
  await cluster.stop();
}
