/**
 * @module cli/yaml-format — how manifests are read and written as YAML: kubectl's reading of
 * scalars, and the input's own layout on output so that a GitOps diff shows only what was added.
 */
import type { Document, DocumentOptions, ParseOptions, SchemaOptions, Tags } from 'yaml';
import type { SourceText } from './yaml-stream.js';

const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';

/**
 * kubectl reads manifests with go-yaml v2 (sigs.k8s.io/yaml): YAML 1.1 scalars (`0644` is octal,
 * `<<` merges keys), but timestamps stay strings and there are no base-60 numbers. Duplicate keys
 * are an error, as in kubectl.
 */
export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: true,
  prettyErrors: true,
  customTags: (tags: Tags): Tags =>
    tags.filter(
      (t) =>
        typeof t === 'string' ||
        (t.tag !== TIMESTAMP_TAG && !('format' in t && t.format === 'TIME')),
    ),
};

/** The layout of an input file, reused when printing its documents. */
export interface YamlStyle {
  readonly indent: number;
  /** `key:\n  - item` (true) or kubectl's `key:\n- item` (false). */
  readonly indentSeq: boolean;
}

/** The layout for inputs that have none (JSON, or YAML too flat to tell). */
export const DEFAULT_STYLE: YamlStyle = { indent: 2, indentSeq: true };

const OPENS_BLOCK = /:\s*(#.*)?$/;
const SEQ_ITEM = /^\s*-(\s|$)/;

/**
 * detectStyle guesses indentation from the first nested mapping and the first nested sequence.
 * The yaml package renders unindented sequences two columns left of the indentation, which is
 * exact for kubectl's style (indent 2) and off for the rare 4-space unindented one.
 */
export function detectStyle(text: string): YamlStyle {
  const lines = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  lines.forEach((line, i) => {
    const previous = i > 0 ? lines[i - 1] : undefined;
    if (previous === undefined || !OPENS_BLOCK.test(previous)) return;
    const parent = keyColumn(previous);
    const column = leadingSpaces(line);
    if (SEQ_ITEM.test(line)) indentSeq ??= column > parent;
    else if (column > parent) indent ??= column - parent;
  });
  return {
    indent: indent !== undefined && indent >= 2 && indent <= 8 ? indent : DEFAULT_STYLE.indent,
    indentSeq: indentSeq ?? DEFAULT_STYLE.indentSeq,
  };
}

/** keyColumn is where a line's key starts, after any `- ` sequence markers. */
function keyColumn(line: string): number {
  return /^[\s-]*/.exec(line)?.[0].length ?? 0;
}

function leadingSpaces(line: string): number {
  return /^ */.exec(line)?.[0].length ?? 0;
}

/** A document to print: its exact input text when unchanged, else the edited Document. */
export type OutputDocument =
  | { readonly doc: Document; readonly style: YamlStyle; readonly verbatim: SourceText | null }
  | { readonly doc: null; readonly style: YamlStyle; readonly verbatim: SourceText };

/**
 * renderYamlStream prints documents separated by `---`. An unchanged document is printed as it
 * was read; an edited one in its file's layout, never folding long lines (that would rewrite
 * untouched scalars). It sets the edited documents' `---` markers.
 */
export function renderYamlStream(documents: readonly OutputDocument[]): string {
  const texts = documents.map(({ doc, style, verbatim }, i) => {
    if (verbatim !== null) return asPrinted(verbatim, i);
    if (doc === null) return '';
    if (i > 0 && doc.directives !== undefined) doc.directives.docStart = true;
    return doc.toString({
      indent: style.indent,
      indentSeq: style.indentSeq,
      lineWidth: 0,
      flowCollectionPadding: false,
    });
  });
  // A document that repeats directives (%YAML) must follow an explicit end marker.
  return texts
    .map((text, i) => {
      const next = texts[i + 1];
      const needsEnd = next?.startsWith('%') === true && !text.endsWith('...\n');
      return needsEnd ? `${text}...\n` : text;
    })
    .join('');
}

/**
 * asPrinted gives a verbatim document its own `---` when it is not first, a final newline, and LF
 * line ends (edited documents are printed with LF; one file must not mix both).
 */
function asPrinted(source: SourceText, position: number): string {
  const lf = source.text.replace(/\r\n/g, '\n');
  const text = lf.endsWith('\n') ? lf : `${lf}\n`;
  return position > 0 && !source.marked ? `---\n${text}` : text;
}
