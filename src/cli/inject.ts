/**
 * @module cli/inject — `autoprobe inject`: run the engine on every Pod template and print the
 * manifests with the probes added. Only the added nodes are new; the rest prints as it was read.
 */
import { diffPatch, isObject, mutateTemplate } from '../core/index.js';
import type { EngineConfig, JsonObject } from '../core/index.js';
import type { Io } from '../program.js';
import type { Manifest } from './manifests.js';
import { loadManifests } from './pipeline.js';
import type { ManifestOptions } from './pipeline.js';
import { throwIfProblems } from './problems.js';
import { isListKind, notKubernetesObject } from './workloads.js';
import type { NodePath } from './workloads.js';
import { applyToDocument } from './yaml-edit.js';
import { renderYamlStream } from './yaml-format.js';

/** Output formats of inject. */
export const INJECT_FORMATS = ['yaml', 'json'] as const;

/** Options of `autoprobe inject`. */
export interface InjectOptions extends ManifestOptions {
  readonly output: (typeof INJECT_FORMATS)[number];
}

/** runInject prints every manifest, mutated; input problems are thrown after the output. */
export async function runInject(options: InjectOptions, io: Io): Promise<void> {
  const { engine, manifests, problems } = await loadManifests(options, io);
  const results = manifests.map((manifest) => ({ manifest, ...injectManifest(manifest, engine) }));
  io.stdout.write(
    options.output === 'json'
      ? renderJsonList(results.map((r) => r.value))
      : renderYamlStream(
          results.map(({ manifest, changed }) => ({
            doc: manifest.doc,
            style: manifest.style,
            verbatim: changed ? null : manifest.source,
          })),
        ),
  );
  throwIfProblems(problems);
}

/** The object after injection, and whether anything was added. */
export interface Injected {
  readonly value: JsonObject;
  readonly changed: boolean;
}

/**
 * injectManifest mutates every Pod template of the manifest, writes the changes into its yaml
 * Document, and returns the mutated object. The Document is edited node by node; when that cannot
 * reproduce the engine's result exactly (aliases, merge keys), it is rebuilt from the result.
 */
export function injectManifest(manifest: Manifest, engine: EngineConfig): Injected {
  let expected: unknown = manifest.value;
  let edited = true;
  for (const workload of manifest.workloads) {
    const { mutated } = mutateTemplate(workload.template, engine);
    const ops = diffPatch(workload.template, mutated);
    if (ops.length === 0) continue;
    expected = replaceAt(expected, workload.path, mutated);
    edited = edited && applyToDocument(manifest.doc, workload.path, ops);
  }
  if (expected === manifest.value || !isObject(expected)) {
    return { value: manifest.value, changed: false };
  }
  if (!edited || diffPatch(manifest.doc.toJS() as object, expected).length > 0) {
    manifest.doc.contents = manifest.doc.createNode(expected);
  }
  return { value: expected, changed: true };
}

/** replaceAt returns a copy of `root` with `value` at `path`; the input is not changed. */
function replaceAt(root: unknown, path: NodePath, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(root)) {
    return root.map((item: unknown, i) => (i === head ? replaceAt(item, rest, value) : item));
  }
  return isObject(root) ? { ...root, [head]: replaceAt(root[head], rest, value) } : root;
}

/**
 * renderJsonList prints one `v1 List`, as `kubectl get -o json` does. Input Lists are flattened
 * into it (clients treat List as a transport wrapper); List items that are not objects, already
 * reported, are left out.
 */
function renderJsonList(values: readonly JsonObject[]): string {
  const items = values.flatMap(flattenList);
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n`;
}

function flattenList(value: JsonObject): JsonObject[] {
  if (typeof value.kind !== 'string' || !isListKind(value.kind)) return [value];
  const items: unknown = value.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item: unknown) =>
    isObject(item) && notKubernetesObject(item) === undefined ? flattenList(item) : [],
  );
}
