// Test projects: unit (fast, in-process), probes (real database servers), e2e (real kube-apiserver).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
        },
      },
    ],
  },
});
