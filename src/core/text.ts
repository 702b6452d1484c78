/** @module text — shortening user text for one-line messages (reasons, notices, warnings). */

/** truncate cuts `text` to `max` characters (code points), marking the cut with "...". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 3).join('')}...`;
}

/** quoted shows a user value in a message: JSON-quoted and shortened to `max` characters. */
export function quoted(text: string, max: number): string {
  return JSON.stringify(truncate(text, max));
}
