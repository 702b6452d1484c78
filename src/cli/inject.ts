/**
 * @module cli/inject — `autoprobe inject`: run the engine on every Pod template and print the
 * manifests with the probes added. Only the added nodes are new; the rest prints as it was read.
 */
import { AutoprobeError, diffPatch, isObject, mutateTemplate } from '../core/index.js';
import type { EngineConfig, JsonObject, Notice } from '../core/index.js';
import type { Io } from '../program.js';
import type { Manifest, Unread } from './manifests.js';
import { loadManifests } from './pipeline.js';
import type { ManifestOptions } from './pipeline.js';
import { formatProblem, throwIfProblems } from './problems.js';
import type { InputProblem } from './problems.js';
import { isListKind, notKubernetesObject } from './workloads.js';
import type { NodePath } from './workloads.js';
import { applyToDocument } from './yaml-edit.js';
import { DEFAULT_STYLE, renderYamlStream } from './yaml-format.js';
import type { OutputDocument } from './yaml-format.js';
import type { SourceText } from './yaml-stream.js';

/** Output formats of inject. */
export const INJECT_FORMATS = ['yaml', 'json'] as const;

/** Options of `autoprobe inject`. */
export interface InjectOptions extends ManifestOptions {
  readonly output: (typeof INJECT_FORMATS)[number];
}

/**
 * runInject prints every document, the manifests mutated and the rest exactly as they were read,
 * each in its place: `inject -f dir/ > out.yaml && kubectl apply --prune -f out.yaml` must never
 * delete an object because autoprobe could not read it. Input problems are thrown after the output.
 */
export async function runInject(options: InjectOptions, io: Io): Promise<void> {
  const { engine, documents, problems } = await loadManifests(options, io);
  const results = documents.map((d) =>
    'doc' in d
      ? { manifest: d, ...injectManifest(d, engine) }
      : { unread: d, source: passThrough(d, options, problems) },
  );
  for (const r of results) {
    if (!('manifest' in r)) continue;
    for (const n of r.notices) {
      io.stderr.write(
        `autoprobe: ${r.manifest.file}: document ${r.manifest.document}: ${n.detail}\n`,
      );
    }
  }
  io.stdout.write(
    options.output === 'json'
      ? renderJsonList(results.flatMap((r) => ('manifest' in r ? [r.value] : [])))
      : renderYamlStream(
          results.map((r): OutputDocument =>
            'manifest' in r
              ? {
                  doc: r.manifest.doc,
                  style: r.manifest.style,
                  verbatim: r.changed ? null : r.manifest.source,
                }
              : { doc: null, style: DEFAULT_STYLE, verbatim: r.source },
          ),
        ),
  );
  throwIfProblems(problems);
}

/**
 * passThrough returns the exact text of a document autoprobe could not read. JSON output cannot
 * carry it, nor can a document whose text was not found: then nothing at all is printed, rather
 * than a stream missing an object.
 */
function passThrough(
  d: Unread,
  options: InjectOptions,
  problems: readonly InputProblem[],
): SourceText {
  if (d.source !== null && options.output !== 'json') return d.source;
  const how = options.output === 'json' ? ' as JSON (use -o yaml)' : '';
  throw new AutoprobeError(
    'AP_ERR_MANIFEST_PARSE',
    `${d.file}: document ${d.document} cannot be printed unchanged${how}; nothing was printed`,
    { details: problems.map(formatProblem) },
  );
}

/** The object after injection, whether anything was added, and the annotations ignored. */
export interface Injected {
  readonly value: JsonObject;
  readonly changed: boolean;
  readonly notices: readonly Notice[];
}

/**
 * injectManifest mutates every Pod template of the manifest, writes the changes into its yaml
 * Document, and returns the mutated object. The Document is edited node by node; when that cannot
 * reproduce the engine's result exactly (aliases, merge keys), it is rebuilt from the result.
 */
export function injectManifest(manifest: Manifest, engine: EngineConfig): Injected {
  let expected: unknown = manifest.value;
  let edited = true;
  const notices: Notice[] = [];
  for (const workload of manifest.workloads) {
    const { mutated, plan } = mutateTemplate(workload.template, engine);
    notices.push(...plan.notices);
    const ops = diffPatch(workload.template, mutated);
    if (ops.length === 0) continue;
    expected = replaceAt(expected, workload.path, mutated);
    edited = edited && applyToDocument(manifest.doc, workload.path, ops);
  }
  if (expected === manifest.value || !isObject(expected)) {
    return { value: manifest.value, changed: false, notices };
  }
  if (!edited || diffPatch(manifest.doc.toJS() as object, expected).length > 0) {
    manifest.doc.contents = manifest.doc.createNode(expected);
  }
  return { value: expected, changed: true, notices };
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
