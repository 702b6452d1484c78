/**
 * Global setup of the `chart` project: build or find helm once (test/e2e/cluster/build.sh, cached
 * by version outside the repository) and hand its path to the test files.
 */
import type { TestProject } from 'vitest/node';
import { ensureHelm } from './helpers/helm.js';

declare module 'vitest' {
  export interface ProvidedContext {
    helm: string;
  }
}

/** setup provides `helm` (the binary's path) to inject('helm'). */
export default function setup(project: TestProject): void {
  project.provide('helm', ensureHelm());
}
