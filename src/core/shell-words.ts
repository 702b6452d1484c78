/**
 * @module shell-words — read a `sh -c` script well enough to tell which programs it runs, with
 * which words. Quotes are honoured; `$VAR`, `${VAR}`, `${VAR:-default}`, `$1`… and `"$@"` are
 * expanded from what the spec shows (the container's literal env, the script's own top-level
 * assignments, the positional words after the script); anything else (`$(cmd)`, backticks, a
 * Secret-backed variable) stays as written, so a reader sees that it is not known.
 *
 * Work is bounded (limits.ts): a word grows to at most MAX_VALUE characters by expansion (past
 * that it keeps its unexpanded text), a script longer than MAX_SCRIPT is not read, and a script
 * yields at most MAX_SCRIPT_WORDS words.
 */
import { MAX_SCRIPT, MAX_SCRIPT_WORDS, MAX_VALUE } from './limits.js';

/** One simple command of a script: its words (program first) and whether it was `exec`ed. */
export interface SimpleCommand {
  readonly words: readonly string[];
  readonly exec: boolean;
}

/** The words of a script, its simple commands, and what could not be read, if anything. */
export interface ScriptWords {
  readonly words: readonly string[];
  readonly commands: readonly SimpleCommand[];
  /** Set when the script uses constructs whose effect cannot be read (eval, functions, …). */
  readonly unreadable?: string;
}

/**
 * How a script's variables resolve: a literal value, `null` when the variable is certainly unset,
 * or undefined when it may be set to something the spec does not show (a Secret, envFrom).
 */
export type Lookup = (name: string) => string | null | undefined;

/** The most characters a word may grow to by expansion; see limits.ts. */
const MAX_WORD = MAX_VALUE;

const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '\n']);
const REDIRECT_CHARS = new Set(['<', '>']);
const PREFIX_KEYWORDS = new Set([
  'then',
  'else',
  'elif',
  'do',
  'if',
  'while',
  'until',
  '!',
  '{',
  '}',
  'fi',
  'done',
  'esac',
  'time',
  'nohup',
]);
/** Programs whose effect on the rest of the script cannot be read from its text. */
const OPAQUE = new Set(['eval', 'source', '.']);
// Single-quoted `$` is literal: the lexer hides it from expansion behind this character.
const QUOTED_DOLLAR = '\u0000';

/**
 * splitScript tokenises a POSIX shell script into simple commands. `lookup` resolves the
 * container's env; `positional` are the words after the script (`sh -c SCRIPT $0 $1 …`).
 */
export function splitScript(
  script: string,
  lookup: Lookup = () => null,
  positional: readonly string[] = [],
): ScriptWords {
  const reader = new ScriptReader(lookup, positional);
  if (script.length > MAX_SCRIPT) {
    reader.cannotRead(`the script is longer than ${MAX_SCRIPT} characters`);
    return reader.done();
  }
  for (const token of lex(script)) {
    if (reader.words.length >= MAX_SCRIPT_WORDS) {
      reader.cannotRead(`the script has more than ${MAX_SCRIPT_WORDS} words`);
      break;
    }
    if (token.operator) reader.operator(token.text);
    else reader.word(token.text);
  }
  return reader.done();
}

/** The state of reading one script: its words, commands, variables and what was unreadable. */
class ScriptReader {
  readonly words: string[] = [];
  private readonly commands: SimpleCommand[] = [];
  private readonly vars = new Map<string, string>();
  private current: string[] = [];
  private exec = false;
  private unreadable: string | undefined;
  // `name() { …; }`: a word alone, then `(` and `)`; what the function runs is not known here.
  private opened: 'no' | 'alone' | 'after-words' = 'no';

  constructor(
    private readonly lookup: Lookup,
    private readonly positional: readonly string[],
  ) {}

  cannotRead(why: string): void {
    this.unreadable ??= why;
  }

  operator(text: string): void {
    if (text === '<<') this.cannotRead('the script uses a here-document');
    if (text === ')' && this.opened === 'alone') this.cannotRead('the script defines a function');
    this.opened = text !== '(' ? 'no' : this.current.length === 1 ? 'alone' : 'after-words';
    this.finish();
  }

  word(text: string): void {
    this.opened = 'no';
    if (text === 'function' && this.current.length === 0) {
      this.cannotRead('the script defines a function');
    }
    const expanded = expandWord(text, (name) => this.resolve(name), this.positional);
    const restored = expanded.map(restore);
    this.words.push(...restored);
    if (this.current.length === 0 && this.prefix(text, expanded)) return;
    this.current.push(...restored);
  }

  done(): ScriptWords {
    this.finish();
    const { words, commands, unreadable } = this;
    return unreadable === undefined ? { words, commands } : { words, commands, unreadable };
  }

  /** Assignments (`A=b cmd`) and keywords (`exec cmd`) precede the command name. */
  private prefix(text: string, expanded: readonly string[]): boolean {
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(expanded[0] ?? '');
    if (assignment !== null && expanded.length === 1) {
      this.vars.set(assignment[1] ?? '', assignment[2] ?? '');
      return true;
    }
    if (text === 'exec') this.exec = true;
    return text === 'exec' || PREFIX_KEYWORDS.has(text);
  }

  private resolve(name: string): string | null | undefined {
    return this.vars.has(name) ? this.vars.get(name) : this.lookup(name);
  }

  private finish(): void {
    const program = this.current[0];
    if (program !== undefined) {
      if (OPAQUE.has(program)) this.cannotRead(`the script runs ${program}`);
      if (program === 'export' || program === 'readonly')
        assignAll(this.current.slice(1), this.vars);
      this.commands.push({ words: this.current, exec: this.exec });
    }
    this.current = [];
    this.exec = false;
  }
}

function assignAll(words: readonly string[], vars: Map<string, string>): void {
  for (const word of words) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word);
    if (m !== null) vars.set(m[1] ?? '', m[2] ?? '');
  }
}

interface Token {
  readonly text: string;
  readonly operator: boolean;
}

/** The lexer's position and the word being read. */
interface LexState {
  i: number;
  current: string;
  inWord: boolean;
  readonly out: Token[];
}

function lex(script: string): Token[] {
  const state: LexState = { i: 0, current: '', inWord: false, out: [] };
  while (state.i < script.length) step(script, state);
  endWord(state);
  return state.out;
}

/** step reads one character (or one quoted part, substitution, redirection) of the script. */
function step(script: string, s: LexState): void {
  const ch = script.charAt(s.i);
  if (ch === '\\' && script.charAt(s.i + 1) === '\n') {
    s.i += 2; // a line continuation: nothing, not even a word break
    return;
  }
  const read = readPart(script, s.i);
  if (read !== undefined) {
    s.current += read.text;
    s.inWord = true;
    s.i = read.next;
  } else if (REDIRECT_CHARS.has(ch)) {
    // `2>&1`, `>/dev/null`, `<<EOF`: the fd number and the target are not words of the command.
    if (/^\d+$/.test(s.current)) s.inWord = false;
    endWord(s);
    const redirect = readRedirect(script, s.i);
    if (redirect.heredoc) s.out.push({ text: '<<', operator: true });
    s.i = redirect.next;
  } else if (isBreak(ch)) {
    endWord(s);
    if (OPERATOR_CHARS.has(ch)) s.out.push({ text: ch, operator: true });
    s.i += 1;
  } else if (ch === '#' && !s.inWord) {
    const newline = script.indexOf('\n', s.i);
    s.i = newline < 0 ? script.length : newline;
  } else {
    s.current += ch;
    s.inWord = true;
    s.i += 1;
  }
}

function endWord(s: LexState): void {
  if (s.inWord) s.out.push({ text: s.current, operator: false });
  s.current = '';
  s.inWord = false;
}

/** readRedirect skips a redirection operator and its target word. */
function readRedirect(script: string, at: number): { next: number; heredoc: boolean } {
  let i = at;
  const heredoc = script.startsWith('<<', i);
  while (i < script.length && /[<>&|-]/.test(script.charAt(i))) i += 1;
  while (i < script.length && (script.charAt(i) === ' ' || script.charAt(i) === '\t')) i += 1;
  while (i < script.length) {
    const part = readPart(script, i);
    if (part !== undefined) i = part.next;
    else if (isBreak(script.charAt(i))) break;
    else i += 1;
  }
  return { next: i, heredoc };
}

/** readPart reads a quoted part, an escape, a command substitution or a backtick run. */
function readPart(script: string, at: number): { text: string; next: number } | undefined {
  const ch = script.charAt(at);
  if (ch === "'") {
    const { text, next } = until(script, at + 1, "'");
    return { text: text.replaceAll('$', QUOTED_DOLLAR), next };
  }
  if (ch === '"') return until(script, at + 1, '"');
  if (ch === '\\' && at + 1 < script.length) return { text: script.charAt(at + 1), next: at + 2 };
  if (ch === '`') {
    const { text, next } = until(script, at + 1, '`');
    return { text: `\`${text}\``, next };
  }
  if (ch === '$' && script.charAt(at + 1) === '(') return substitution(script, at);
  return undefined;
}

function until(script: string, from: number, quote: string): { text: string; next: number } {
  const end = script.indexOf(quote, from);
  const stop = end < 0 ? script.length : end;
  return { text: script.slice(from, stop), next: stop + 1 };
}

/** `$( … )` kept verbatim (balanced parentheses): its output is not known. */
function substitution(script: string, at: number): { text: string; next: number } {
  let depth = 0;
  for (let i = at + 1; i < script.length; i++) {
    const ch = script.charAt(i);
    if (ch === '(') depth += 1;
    else if (ch === ')') {
      depth -= 1;
      if (depth === 0) return { text: script.slice(at, i + 1), next: i + 1 };
    }
  }
  return { text: script.slice(at), next: script.length };
}

function isBreak(ch: string): boolean {
  return (
    OPERATOR_CHARS.has(ch) || REDIRECT_CHARS.has(ch) || ch === ' ' || ch === '\t' || ch === '\r'
  );
}

const PARAMETER =
  /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*)|([0-9@]))/g;

/**
 * expandWord expands parameters in one word. `$@` alone becomes the positional words; inside a
 * longer word they are joined with spaces. A word that would grow past MAX_WORD stays as written.
 */
export function expandWord(
  word: string,
  lookup: Lookup,
  positional: readonly string[] = [],
): string[] {
  if (!word.includes('$')) return [word];
  if (word === '$@') return positional.slice(1);
  const out = word.replace(PARAMETER, (match, ...groups: (string | undefined)[]) => {
    const [braced, op, fallback, plain, special] = groups;
    if (special !== undefined) {
      const value = special === '@' ? positional.slice(1).join(' ') : positional[Number(special)];
      return value ?? match;
    }
    const value = lookup(braced ?? plain ?? '');
    const unsetOrEmpty = value === null || (op?.startsWith(':') === true && value === '');
    if (op !== undefined && fallback !== undefined && unsetOrEmpty && !fallback.includes('$')) {
      return fallback;
    }
    return typeof value === 'string' ? value : match;
  });
  return out.length > MAX_WORD ? [word] : [out];
}

function restore(word: string): string {
  return word.includes(QUOTED_DOLLAR) ? word.replaceAll(QUOTED_DOLLAR, '$') : word;
}

/** basename of a program path (`/usr/local/bin/postgres` → `postgres`). */
export function basename(program: string): string {
  const slash = program.lastIndexOf('/');
  return slash >= 0 ? program.slice(slash + 1) : program;
}
