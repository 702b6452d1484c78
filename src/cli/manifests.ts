/**
 * @module cli/manifests — split an input text into documents (YAML multi-document or one JSON
 * object) and keep each as a yaml Document, so comments and key order survive editing.
 */
import { Document, isScalar } from 'yaml';
import type { LineCounter } from 'yaml';
import { isObject } from '../core/index.js';
import type { JsonObject } from '../core/index.js';
import type { InputText } from './inputs.js';
import type { InputProblem } from './problems.js';
import { findWorkloads, notKubernetesObject } from './workloads.js';
import type { Workload } from './workloads.js';
import { DEFAULT_STYLE, YAML_OPTIONS, detectStyle } from './yaml-format.js';
import type { YamlStyle } from './yaml-format.js';
import { parseYamlStream } from './yaml-stream.js';
import type { SourceText } from './yaml-stream.js';

/** One Kubernetes object (or List) from an input, with where it came from. */
export interface Manifest {
  readonly file: string;
  /** 1-based position in the file, counting `---` separated documents. */
  readonly document: number;
  /** The editable document; edits keep the input's comments and key order. */
  readonly doc: Document;
  /** The document as plain JSON, as the API server would see it. */
  readonly value: JsonObject;
  /** The Pod templates in the object (several for a List). */
  readonly workloads: readonly Workload[];
  readonly style: YamlStyle;
  /** The document's exact input text (YAML only), printed as is when nothing changes. */
  readonly source: SourceText | null;
  /** Line positions of the input (YAML only), for reports that point at a line. */
  readonly lines: LineCounter | null;
}

/** A document that is not a manifest (it does not parse, or is not a Kubernetes object). */
export interface Unread {
  readonly file: string;
  readonly document: number;
  /** Its exact input text, printed unchanged in its place; null when the file could not be cut. */
  readonly source: SourceText | null;
}

/** The manifests of one or more inputs, every document in input order, and the problems. */
export interface Parsed {
  readonly manifests: readonly Manifest[];
  /** Every document in input order: a manifest, or one passed through as it was read. */
  readonly documents: readonly (Manifest | Unread)[];
  readonly problems: readonly InputProblem[];
}

/**
 * parseManifests reads every document of `input`; a bad document is a problem, not a failure,
 * and is kept (as its source text) so that nothing the user wrote is dropped from the output.
 */
export function parseManifests(input: InputText): Parsed {
  const json = parseJson(input.text);
  if (json !== undefined) {
    const doc = new Document(json, YAML_OPTIONS);
    const at = { file: input.file, document: 1, style: DEFAULT_STYLE, source: null, lines: null };
    // A JSON text is one document: if it is not a manifest, the whole text passes through.
    const whole = { text: input.text, marked: false };
    return collect(
      checked(at, doc, json).map((r) =>
        'source' in r && !('doc' in r) ? { ...r, source: whole } : r,
      ),
    );
  }
  const style = detectStyle(input.text);
  return collect(
    parseYamlStream(input.text).flatMap(({ doc, error, source, lines }, i): Result[] => {
      const at = { file: input.file, document: i + 1, style, source, lines };
      if (error !== undefined) return [unread(at), parseProblem(input.file, at.document, error)];
      if (isEmpty(doc)) return [];
      let value: unknown;
      try {
        value = doc.toJS();
      } catch (cause) {
        // e.g. an alias bomb refused by the yaml package's alias limit.
        const message = cause instanceof Error ? cause.message : '';
        return [unread(at), parseProblem(input.file, at.document, message)];
      }
      return checked(at, doc, value);
    }),
  );
}

/** parseJson accepts a JSON text (`kubectl get -o json`); anything else is left to YAML. */
function parseJson(text: string): unknown {
  if (!/^\s*[{[]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON after all: YAML flow style also starts with `{`, and YAML reports a line number.
    return undefined;
  }
}

/** Where a document sits, and its file's layout. */
type Origin = Pick<Manifest, 'file' | 'document' | 'style' | 'source' | 'lines'>;

type Result = Manifest | Unread | InputProblem;

/** checked keeps Kubernetes objects (finding their templates) and reports anything else. */
function checked(at: Origin, doc: Document, value: unknown): Result[] {
  const problem = notKubernetesObject(value);
  if (problem !== undefined || !isObject(value)) {
    return [unread(at), kindProblem(at.file, at.document, problem ?? '')];
  }
  // A List with a bad item is still printed; the bad item is reported and left as it is.
  const found = findWorkloads(value);
  return [
    { ...at, doc, value, workloads: found.workloads },
    ...found.problems.map((message) => kindProblem(at.file, at.document, message)),
  ];
}

function kindProblem(file: string, document: number, message: string): InputProblem {
  return { code: 'AP_ERR_MANIFEST_KIND', file, document, message };
}

/** A document of only comments, or the empty one after a trailing `---`, is skipped (kubectl). */
function isEmpty(doc: Document): boolean {
  return doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
}

function parseProblem(file: string, document: number, message: string): InputProblem {
  // Messages name a position, never an excerpt of the input (it may hold a secret).
  const first = message.split('\n', 1)[0] ?? '';
  return { code: 'AP_ERR_MANIFEST_PARSE', file, document, message: first || 'cannot be parsed' };
}

function unread(at: Origin): Unread {
  return { file: at.file, document: at.document, source: at.source };
}

function collect(results: readonly Result[]): Parsed {
  const manifests: Manifest[] = [];
  const documents: (Manifest | Unread)[] = [];
  const problems: InputProblem[] = [];
  for (const result of results) {
    if ('code' in result) problems.push(result);
    else documents.push(result);
    if ('doc' in result) manifests.push(result);
  }
  return { manifests, documents, problems };
}
