/**
 * helm for the chart tests: the binary test/e2e/cluster/build.sh compiles from the Go module proxy
 * and caches by version (outside the repository), and the renders the tests compare. Used by the
 * `chart` project's global setup (which builds or finds helm once) and by the e2e chart test.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CHART_DIR = join(ROOT, 'charts', 'autoprobe');
const BUILD_SH = join(ROOT, 'test', 'e2e', 'cluster', 'build.sh');

/** A test binary build.sh builds, by target name and the variable holding its version. */
const TOOLS = { helm: 'HELM_VERSION', promtool: 'PROMTOOL_VERSION' } as const;

/** toolVersion is the version build.sh builds of `tool`: its variable, or the default written in build.sh. */
export function toolVersion(
  tool: keyof typeof TOOLS,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const variable = TOOLS[tool];
  const fromEnv = env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const match = new RegExp(`^${variable}="\\$\\{${variable}:-([^}]+)\\}"`, 'm').exec(
    readFileSync(BUILD_SH, 'utf8'),
  );
  if (match?.[1] === undefined) throw new Error(`no ${variable} default in ${BUILD_SH}`);
  return match[1];
}

/**
 * ensureTool runs `build.sh <tool>` (a cached binary is reused in well under a second; a missing
 * one is compiled, which needs Go) and returns the binary's path. It throws when the build fails:
 * the chart tests never skip.
 */
export function ensureTool(tool: keyof typeof TOOLS): string {
  const build = spawnSync('bash', [BUILD_SH, tool], { encoding: 'utf8', stdio: 'pipe' });
  if (build.status !== 0) {
    throw new Error(`test/e2e/cluster/build.sh ${tool} failed:\n${build.stdout}${build.stderr}`);
  }
  const binDir = spawnSync('bash', [BUILD_SH, '--print-bin-dir'], { encoding: 'utf8' });
  return join(binDir.stdout.trim(), `${tool}-v${toolVersion(tool)}`);
}

/** ensureHelm is ensureTool('helm'). */
export function ensureHelm(): string {
  return ensureTool('helm');
}

/** The outcome of one helm command. */
export interface HelmRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** runHelm runs helm with `args` (no kube access: template and lint only). */
export function runHelm(helm: string, args: readonly string[]): HelmRun {
  const run = spawnSync(helm, args, {
    encoding: 'utf8',
    // No kubeconfig, no cache or config written into $HOME.
    env: {
      PATH: process.env.PATH ?? '',
      HELM_CACHE_HOME: join(ROOT, 'node_modules', '.cache', 'helm', 'cache'),
      HELM_CONFIG_HOME: join(ROOT, 'node_modules', '.cache', 'helm', 'config'),
      HELM_DATA_HOME: join(ROOT, 'node_modules', '.cache', 'helm', 'data'),
      KUBECONFIG: '/dev/null',
    },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** One way of installing the chart. */
export interface ChartCase {
  readonly name: string;
  /** `--set`-style values (dotted keys); a value that is an object or array goes as JSON. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** The release the renders use: name and namespace `autoprobe`, as the README installs it. */
export const RELEASE = { name: 'autoprobe', namespace: 'autoprobe' } as const;

/** valueArgs turns case values into `--set-json` flags (typed: numbers stay numbers). */
export function valueArgs(values: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(values).flatMap(([key, value]) => [
    '--set-json',
    `${key}=${JSON.stringify(value)}`,
  ]);
}

/** templateArgs are the arguments of `helm template` for a case. */
export function templateArgs(
  values: Readonly<Record<string, unknown>>,
  release: { name: string; namespace: string } = RELEASE,
): string[] {
  return [
    'template',
    release.name,
    CHART_DIR,
    '--namespace',
    release.namespace,
    ...valueArgs(values),
  ];
}

/** renderChart runs `helm template` and returns its YAML; it throws with helm's message. */
export function renderChart(
  helm: string,
  values: Readonly<Record<string, unknown>> = {},
  release?: { name: string; namespace: string },
): string {
  const run = runHelm(helm, templateArgs(values, release));
  if (run.status !== 0) throw new Error(`helm template failed: ${run.stderr}`);
  return run.stdout;
}

/** A rendered object, loosely typed. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

/** parseObjects parses a multi-document render into objects (empty documents dropped). */
export function parseObjects(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** The header and Namespace that deploy/autoprobe.yaml adds to the default render. */
export const DEPLOY_HEADER = `# autoprobe: the Helm chart charts/autoprobe rendered with its default values, for kubectl and
# kustomize users (kubectl apply -f deploy/autoprobe.yaml, or kubectl apply -k deploy/audit for
# audit mode). Generated; do not edit. Regenerate with: UPDATE_GOLDEN=1 npm run test:chart
#   helm template ${RELEASE.name} charts/autoprobe --namespace ${RELEASE.namespace}
---
apiVersion: v1
kind: Namespace
metadata:
  name: ${RELEASE.namespace}
  labels:
    app.kubernetes.io/name: autoprobe
    app.kubernetes.io/part-of: autoprobe
    # autoprobe's pods meet the restricted Pod Security Standard.
    pod-security.kubernetes.io/enforce: restricted
`;

/** deployManifest is the content deploy/autoprobe.yaml must have. */
export function deployManifest(helm: string): string {
  return DEPLOY_HEADER + renderChart(helm);
}
