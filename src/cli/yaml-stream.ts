/**
 * @module cli/yaml-stream — parse a YAML stream into Documents and, next to each, its exact source
 * text, so that a document autoprobe does not change can be printed byte for byte.
 */
import { CST, Composer, LineCounter, Parser } from 'yaml';
import type { Document } from 'yaml';
import { YAML_OPTIONS } from './yaml-format.js';
import { relaxQuotedContinuations } from './yaml-lenient.js';

/** A document's text as it appears in the input, with the comments that precede it. */
export interface SourceText {
  readonly text: string;
  /** Whether the text has its own `---` marker (needed when it is not printed first). */
  readonly marked: boolean;
}

/** A parsed document, its first error (position only), and its source text when known. */
export interface StreamDocument {
  readonly doc: Document.Parsed;
  readonly error: string | undefined;
  readonly source: SourceText | null;
  /** Line positions of the text the document was parsed from (its nodes' ranges index it). */
  readonly lines: LineCounter;
}

/**
 * parseYamlStream parses every document of `text` (as parseAllDocuments does). A document the
 * strict reader refuses is read again the way kubectl reads it (yaml-lenient.ts), if that helps.
 */
export function parseYamlStream(text: string): StreamDocument[] {
  const strict = parse(text);
  if (strict.every((d) => d.error === undefined)) return strict;
  const relaxed = relaxQuotedContinuations(text);
  if (relaxed === text) return strict;
  const lenient = parse(relaxed);
  if (lenient.length !== strict.length) return strict;
  // The values come from the relaxed text; the source printed for an unchanged document stays
  // the original, byte for byte.
  return strict.map((d, i) => {
    const l = lenient[i];
    return d.error !== undefined && l !== undefined && l.error === undefined
      ? { ...l, source: d.source }
      : d;
  });
}

function parse(text: string): StreamDocument[] {
  const lines = new LineCounter();
  const tokens = [...new Parser(lines.addNewLine).parse(text)];
  const docs = [...new Composer(YAML_OPTIONS).compose(tokens, true, text.length)];
  const sources = documentSources(tokens);
  // Sources pair with documents by position; if the counts differ, trust none of them.
  const paired = sources.length === docs.length;
  return docs.map((doc, i) => ({
    doc,
    error: describeError(doc, lines),
    source: paired ? (sources[i] ?? null) : null,
    lines,
  }));
}

/**
 * documentSources cuts the stream into one text per document: the comments and directives before
 * it, the document, and its `...` end marker. Concatenated, they are the whole stream.
 */
function documentSources(tokens: readonly CST.Token[]): SourceText[] {
  const sources: { text: string; marked: boolean }[] = [];
  let pending = '';
  for (const token of tokens) {
    const text = CST.stringify(token);
    const last = sources.at(-1);
    if (token.type === 'document') {
      const marked = token.start.some((t) => t.type === 'doc-start');
      sources.push({ text: pending + text, marked });
      pending = '';
    } else if (token.type === 'doc-end' && last !== undefined) {
      last.text += pending + text;
      pending = '';
    } else {
      pending += text;
    }
  }
  const last = sources.at(-1);
  if (last !== undefined) last.text += pending;
  return sources;
}

/**
 * describeError gives the first error as `message at line L, column C`. The yaml package's pretty
 * form adds an excerpt of the input, which may hold a secret; this one never does.
 */
function describeError(doc: Document.Parsed, lines: LineCounter): string | undefined {
  const error = doc.errors[0];
  if (error === undefined) return undefined;
  const { line, col } = lines.linePos(error.pos[0]);
  return `${error.message.split('\n', 1)[0] ?? ''} at line ${line}, column ${col}`;
}
