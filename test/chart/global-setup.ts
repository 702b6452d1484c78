/**
 * Global setup of the `chart` project: build or find helm and promtool once
 * (test/e2e/cluster/build.sh, cached by version outside the repository) and hand their paths to
 * the test files.
 */
import type { TestProject } from 'vitest/node';
import { ensureTool } from './helpers/helm.js';

declare module 'vitest' {
  export interface ProvidedContext {
    helm: string;
    promtool: string;
  }
}

/** setup provides `helm` and `promtool` (the binaries' paths) to inject(). */
export default function setup(project: TestProject): void {
  project.provide('helm', ensureTool('helm'));
  project.provide('promtool', ensureTool('promtool'));
}
