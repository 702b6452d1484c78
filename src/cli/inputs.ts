/**
 * @module cli/inputs — turn `-f` arguments (files, directories, `-` for stdin) into texts, in a
 * deterministic order. An unreadable path is a problem for that path only.
 */
import type { Dirent } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AutoprobeError } from '../core/index.js';
import type { Io } from '../program.js';
import type { InputProblem } from './problems.js';

/** One input file's text, named as the user would recognise it. */
export interface InputText {
  readonly file: string;
  readonly text: string;
}

/** `-f DIR` takes these files, like `kubectl apply -R -f DIR`. */
const MANIFEST_FILE = /\.(ya?ml|json)$/;
const STDIN = '-';

/**
 * readInputs reads every path in order, directories recursively and sorted by name. It returns
 * the texts and the unreadable paths in input order.
 */
export async function readInputs(
  paths: readonly string[],
  io: Io,
): Promise<(InputText | InputProblem)[]> {
  if (paths.filter((p) => p === STDIN).length > 1) {
    throw new AutoprobeError('AP_ERR_USAGE', 'stdin (-f -) can be given only once');
  }
  const results: (InputText | InputProblem)[] = [];
  for (const path of paths) {
    if (path === STDIN) {
      results.push(asInput(STDIN, await readStdin(io.stdin)));
      continue;
    }
    const files = await expand(path, io.cwd);
    results.push(...files.problems);
    for (const file of files.found) results.push(asInput(file, await readText(file, io.cwd)));
  }
  return results;
}

function asInput(file: string, read: string | InputProblem): InputText | InputProblem {
  return typeof read === 'string' ? { file, text: read } : read;
}

interface Expanded {
  readonly found: string[];
  readonly problems: InputProblem[];
}

/** expand lists the files a path stands for: itself, or the manifests under a directory. */
async function expand(path: string, cwd: string): Promise<Expanded> {
  try {
    if (!(await stat(resolve(cwd, path))).isDirectory()) return { found: [path], problems: [] };
    const found = await walk(path, cwd);
    if (found.length > 0) return { found, problems: [] };
    return {
      found: [],
      problems: [readProblem(path, 'directory has no *.yaml, *.yml or *.json files')],
    };
  } catch (error) {
    return { found: [], problems: [readProblem(path, describeFsError(error))] };
  }
}

async function walk(dir: string, cwd: string): Promise<string[]> {
  const entries = await readdir(resolve(cwd, dir), { withFileTypes: true });
  const files: string[] = [];
  // Hidden entries (.git, .github workflows) are not manifests.
  for (const entry of entries.filter((e) => !e.name.startsWith('.')).sort(byName)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path, cwd)));
    else if (MANIFEST_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

function byName(a: Dirent, b: Dirent): number {
  // Code-point order, not locale order: the same on every machine.
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

async function readText(file: string, cwd: string): Promise<string | InputProblem> {
  try {
    return stripBom(await readFile(resolve(cwd, file), 'utf8'));
  } catch (error) {
    return readProblem(file, describeFsError(error));
  }
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string | InputProblem> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    }
  } catch (error) {
    return readProblem(STDIN, describeFsError(error));
  }
  return stripBom(Buffer.concat(chunks).toString('utf8'));
}

function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function readProblem(file: string, message: string): InputProblem {
  return { code: 'AP_ERR_INPUT_READ', file, document: null, message };
}

const FS_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a path component is not a directory',
  ELOOP: 'too many symbolic links',
};

/** describeFsError names the failure by its code; Node's messages repeat the absolute path. */
function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return 'cannot be read';
  return `cannot be read: ${FS_ERRORS[code] ?? code}`;
}
