/**
 * @module argv — the one reader of flags in a server's words, in every form the engines accept:
 * - `--port 5433` (two words) and `--port=5433`;
 * - `--requirepass $(X)` as one word: Redis joins its argv into config lines and re-splits them,
 *   so Argo CD's install runs redis-server with exactly this args item (argo-cd manifests/install.yaml);
 * - `-p5433` for single-letter flags (digits or a `$VAR` only, so `-print` is not `-p`);
 * - config-line style `requirepass x` as one word, as a redis.conf line written by a script.
 * Every place in the engine that reads a flag goes through this module, so a form read in one
 * place is read in all (the property tests in test/unit/core/argv.test.ts generate each form).
 */

/** A value of a flag and the form it was written in. */
export interface FlagHit {
  readonly flag: string;
  readonly value: string;
}

/**
 * flagHits returns every occurrence of any of `flags` in `words` with its value, in order. A flag
 * written last wins for the engines (getopt and Redis alike), so callers that need one value take
 * the last; callers that check consistency look at all of them.
 */
export function flagHits(words: readonly string[], flags: readonly string[]): FlagHit[] {
  const hits: FlagHit[] = [];
  words.forEach((word, i) => {
    for (const flag of flags) {
      const value = valueAt(words, i, word, flag);
      if (value !== undefined) hits.push({ flag, value });
    }
  });
  return hits;
}

/** flagValue returns the value of the last occurrence of any of `flags`, or undefined. */
export function flagValue(words: readonly string[], flags: readonly string[]): string | undefined {
  return flagHits(words, flags).at(-1)?.value;
}

/** hasFlag tells whether any of `flags` appears, alone or with a value in any form. */
export function hasFlag(words: readonly string[], flags: readonly string[]): boolean {
  return words.some((word) =>
    flags.some(
      (flag) =>
        word === flag ||
        word.startsWith(`${flag}=`) ||
        startsWithSpaced(word, flag) ||
        (configName(flag) !== undefined && startsWithSpaced(word, configName(flag) ?? '')),
    ),
  );
}

function valueAt(
  words: readonly string[],
  i: number,
  word: string,
  flag: string,
): string | undefined {
  if (word === flag) return words[i + 1];
  if (word.startsWith(`${flag}=`)) return word.slice(flag.length + 1);
  if (startsWithSpaced(word, flag)) return word.slice(flag.length).trim();
  if (/^-[A-Za-z]$/.test(flag) && word.startsWith(flag) && /^(\d+|\$.+)$/.test(word.slice(2))) {
    return word.slice(2);
  }
  const name = configName(flag);
  if (name !== undefined && startsWithSpaced(word, name)) return word.slice(name.length).trim();
  return undefined;
}

/** `--flag value` in one word (whitespace after the flag name). */
function startsWithSpaced(word: string, flag: string): boolean {
  return word.length > flag.length && word.startsWith(flag) && /\s/.test(word.charAt(flag.length));
}

/** The config-file name of a long flag (`--requirepass` → `requirepass`), for config-line words. */
function configName(flag: string): string | undefined {
  return /^--[a-z][a-z0-9_-]{2,}$/.test(flag) ? flag.slice(2) : undefined;
}
