/** @module shell-quote — quote a word for a POSIX `sh -c` script. */

/** shellQuote leaves safe words as they are and single-quotes the rest (`'` as `'\''`). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_.@%+=:,/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
