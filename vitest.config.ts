// Test projects: unit (fast, in-process), probes (real database servers), e2e (real kube-apiserver).
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
            'test/server/**/*.test.ts',
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
    ],
  },
});
