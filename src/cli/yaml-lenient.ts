/**
 * @module cli/yaml-lenient — the one place where kubectl's YAML reader (go-yaml, through
 * sigs.k8s.io/yaml) accepts what YAML 1.2 and the yaml package refuse, and real manifests rely
 * on it: a multi-line quoted scalar whose continuation lines are indented no deeper than its key
 * (one of the Kubernetes project's own e2e manifests has such an annotation; issue #11). Flow
 * scalar folding drops a continuation line's leading spaces, so indenting those lines one column
 * past the key changes no value. Used only for documents the strict reader refused.
 */

type Quote = '"' | "'";

/** relaxQuotedContinuations indents shallow continuation lines of quoted scalars; the same text if none. */
export function relaxQuotedContinuations(text: string): string {
  let open: { readonly quote: Quote; readonly indent: number } | null = null;
  const lines = text.split('\n').map((line) => {
    if (open === null) {
      open = quotedStart(line);
      return line;
    }
    const { quote, indent } = open;
    const lead = leading(line);
    const body = line.slice(lead);
    if (closes(body, quote)) open = null;
    if (body === '' || lead > indent) return line;
    return `${' '.repeat(indent + 1)}${body}`;
  });
  // Splitting and joining on newlines gives back the same text when no line changed.
  return lines.join('\n');
}

/** A line whose value starts a quoted scalar that does not close on the same line. */
function quotedStart(line: string): { quote: Quote; indent: number } | null {
  const m = /^( *)(?:- +)?(?:[^\s"'#][^#]*?: +)?(["'])(.*)$/.exec(line);
  if (m === null) return null;
  const quote = m[2] as Quote;
  return closes(m[3] ?? '', quote) ? null : { quote, indent: (m[1] ?? '').length };
}

/** closes tells whether `text` (after an opening quote) contains the closing one. */
function closes(text: string, quote: Quote): boolean {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote === '"' && ch === '\\') i += 1;
    else if (ch === quote) {
      if (quote === "'" && text.charAt(i + 1) === "'") i += 1;
      else return true;
    }
  }
  return false;
}

function leading(line: string): number {
  return /^ */.exec(line)?.[0].length ?? 0;
}
