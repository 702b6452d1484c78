// Test projects: unit (fast, in-process), probes (real database servers), e2e (real kube-apiserver),
// chart (the Helm chart, deploy/ and the image recipe).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'src/**/*.test.ts',
            'test/unit/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/cli/**/*.test.ts',
            'test/admission/**/*.test.ts',
            'test/audit/**/*.test.ts',
            'test/server/**/*.test.ts',
            'test/fuzz/**/*.test.ts',
            'test/soak/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          // Real servers on loopback (npm run test:probes): one file at a time, so the servers
          // do not fight over the CPUs, with timeouts sized for first starts (initdb, Kafka).
          name: 'probes',
          include: ['test/probes/**/*.test.ts'],
          globalSetup: ['test/probes/harness/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          // A real kube-apiserver + etcd (npm run test:e2e; AUTOPROBE_E2E_KUBE_VERSION picks the
          // version, default 1.36.3): the global setup builds or reuses the binaries and starts one
          // cluster for the run; files run one at a time, since webhook configurations are global.
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/harness/global-setup.ts'],
          fileParallelism: false,
          // One worker for every file: @kubernetes/client-node is imported once, not per file.
          isolate: false,
          testTimeout: 60_000,
          // beforeAll starts autoprobe (seconds; far more on a loaded machine) and waits for the
          // webhook registration to take effect.
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          // Packaging (npm run test:chart): the Helm chart with helm built by
          // test/e2e/cluster/build.sh (lint, golden renders, properties, schema), deploy/
          // kept in step with it, and the container image's recipe run without Docker.
          name: 'chart',
          include: ['test/chart/**/*.test.ts', 'test/image/**/*.test.ts'],
          globalSetup: ['test/chart/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
