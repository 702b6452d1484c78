/**
 * @module shell-words — split a `sh -c` script into words and command names, well enough to
 * recognise which programs it runs and which flags it passes. Quotes are honoured; expansions
 * are kept as written (`$PORT` stays `$PORT`).
 */

/** The words of a script, and the first word of each simple command in it. */
export interface ScriptWords {
  readonly words: readonly string[];
  readonly commands: readonly string[];
}

const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '\n', '`']);
const REDIRECT_CHARS = new Set(['<', '>']);
const PREFIX_KEYWORDS = new Set([
  'exec',
  'then',
  'else',
  'do',
  'if',
  'while',
  'until',
  '!',
  '{',
  'time',
  'nohup',
]);

/** splitScript tokenises a POSIX shell script into words and command names. */
export function splitScript(script: string): ScriptWords {
  const words: string[] = [];
  const commands: string[] = [];
  let atCommandStart = true;
  for (const token of lex(script)) {
    if (token.operator) {
      atCommandStart = true;
      continue;
    }
    words.push(token.text);
    if (!atCommandStart) continue;
    // Assignments (`A=b cmd`) and keywords (`exec cmd`) precede the command name.
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(token.text) || PREFIX_KEYWORDS.has(token.text)) continue;
    commands.push(token.text);
    atCommandStart = false;
  }
  return { words, commands };
}

interface Token {
  readonly text: string;
  readonly operator: boolean;
}

function* lex(script: string): Generator<Token> {
  const state = { current: '', inWord: false };
  let i = 0;
  while (i < script.length) {
    const ch = script.charAt(i);
    const quoted = ch === "'" || ch === '"' ? readQuoted(script, i) : undefined;
    if (quoted !== undefined) {
      state.current += quoted.text;
      state.inWord = true;
      i = quoted.next;
    } else if (ch === '\\' && i + 1 < script.length) {
      state.current += script.charAt(i + 1);
      state.inWord = true;
      i += 2;
    } else if (isBreak(ch)) {
      if (state.inWord) yield { text: state.current, operator: false };
      state.current = '';
      state.inWord = false;
      if (OPERATOR_CHARS.has(ch)) yield { text: ch, operator: true };
      i += 1;
    } else if (ch === '#' && !state.inWord) {
      const newline = script.indexOf('\n', i);
      i = newline < 0 ? script.length : newline;
    } else {
      state.current += ch;
      state.inWord = true;
      i += 1;
    }
  }
  if (state.inWord) yield { text: state.current, operator: false };
}

function readQuoted(script: string, at: number): { text: string; next: number } {
  const quote = script.charAt(at);
  const end = script.indexOf(quote, at + 1);
  const stop = end < 0 ? script.length : end;
  return { text: script.slice(at + 1, stop), next: stop + 1 };
}

function isBreak(ch: string): boolean {
  return (
    OPERATOR_CHARS.has(ch) || REDIRECT_CHARS.has(ch) || ch === ' ' || ch === '\t' || ch === '\r'
  );
}

/** basename of a program path (`/usr/local/bin/postgres` → `postgres`). */
export function basename(program: string): string {
  const slash = program.lastIndexOf('/');
  return slash >= 0 ? program.slice(slash + 1) : program;
}

/**
 * flagValue returns the value of the last occurrence of any of `flags` in `words`:
 * `--port 5433`, `--port=5433`, and for single-letter flags `-p5433` (digits or a `$VAR` only, so `-print` is not `-p`).
 */
export function flagValue(words: readonly string[], flags: readonly string[]): string | undefined {
  let found: string | undefined;
  words.forEach((word, i) => {
    for (const flag of flags) {
      if (word === flag) found = words[i + 1] ?? found;
      else if (word.startsWith(`${flag}=`)) found = word.slice(flag.length + 1);
      else if (
        /^-[A-Za-z]$/.test(flag) &&
        word.startsWith(flag) &&
        /^(\d+|\$.+)$/.test(word.slice(2))
      )
        found = word.slice(2);
    }
  });
  return found;
}

/** hasFlag tells whether any of `flags` appears, alone or as `--flag=value`. */
export function hasFlag(words: readonly string[], flags: readonly string[]): boolean {
  return words.some((w) => flags.some((f) => w === f || w.startsWith(`${f}=`)));
}
