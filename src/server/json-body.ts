/**
 * @module server/json-body — the `application/json` body parser of the admission route: a nesting
 * guard, JSON.parse with a message that says where the syntax breaks (never what the body says),
 * and the prototype-poisoning refusal Fastify's own parser applies (secure-json-parse), since a
 * Pod never has `__proto__` or `constructor.prototype` keys, however they are spelled.
 */
import type { FastifyInstance } from 'fastify';

// Cheap pre-check: the walk runs when one of the keys appears, or a `\u` escape of one of their
// letters (a key can spell `__proto__` as `"\u005f_proto__"`; JSON.parse unescapes it, the raw
// text does not show it). Go's encoder escapes <, > and & (\u003c…), which need no walk.
const SUSPICIOUS = /"(?:__proto__|constructor)"\s*:|\\u00(?:5[fF]|6[3eEfF]|7[0-5])/;

/**
 * The deepest nesting of arrays and objects accepted. An AdmissionReview of a Pod nests about 15
 * deep (request.object.spec.affinity…values[]); a 3 MiB body of a million nested arrays took
 * JSON.parse 0.6 s of one event loop (issue #12), so it is refused before parsing, in
 * microseconds: the scan stops at the first level past this.
 */
export const MAX_JSON_DEPTH = 128;

/**
 * The most arrays and objects a body may hold: a flat 3 MiB body of a million empty arrays costs
 * JSON.parse 0.24 s too. The widest Pod autoprobe reviews (4,096 env entries, 64 containers)
 * holds a few tens of thousands.
 */
export const MAX_JSON_CONTAINERS = 200_000;

/** A JSON body that cannot be used; `statusCode` makes Fastify treat it as a client error. */
export class JsonBodyError extends Error {
  readonly statusCode = 400;
}

/** parseJsonBody parses `text` or throws a JsonBodyError with a clear message. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '')
    throw new JsonBodyError('the request body is empty; expected an AdmissionReview');
  const shape = shapePast(text, MAX_JSON_DEPTH, MAX_JSON_CONTAINERS);
  if (shape !== undefined) {
    throw new JsonBodyError(
      shape.why === 'depth'
        ? `the request body nests deeper than ${MAX_JSON_DEPTH} levels (at position ${shape.at}); an AdmissionReview does not`
        : `the request body holds more than ${MAX_JSON_CONTAINERS} arrays and objects (at position ${shape.at}); an AdmissionReview does not`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JsonBodyError(`the request body is not valid JSON (${syntaxPlace(error)})`);
  }
  if (SUSPICIOUS.test(text)) {
    const key = poisonedKey(value);
    if (key !== undefined) {
      throw new JsonBodyError(`the request body has a "${key}" key, refused (prototype poisoning)`);
    }
  }
  return value;
}

/**
 * syntaxPlace says where JSON.parse stopped, and nothing else: V8's messages may quote the body
 * (`Unexpected token 'x', "…" is not valid JSON`), and a body holds env values.
 */
function syntaxPlace(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return `syntax error at position ${position}`;
  return /end of JSON input/.test(message) ? 'it ends too early' : 'syntax error';
}

/**
 * shapePast scans the text for the nesting of `[` and `{` outside strings and their count, and
 * returns where it first passes `maxDepth` or `maxContainers`, or undefined. String contents are
 * skipped with indexOf (most of a body is strings), so a typical review costs a fraction of its
 * JSON.parse, and a hostile one stops at the limit. An unterminated string ends the scan: JSON.parse
 * then reports the syntax error.
 */
export function shapePast(
  text: string,
  maxDepth: number,
  maxContainers: number,
): { readonly why: 'depth' | 'count'; readonly at: number } | undefined {
  let depth = 0;
  let opened = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = closingQuote(text, i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      opened += 1;
      if (depth > maxDepth) return { why: 'depth', at: i };
      if (opened > maxContainers) return { why: 'count', at: i };
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return undefined;
}

/** closingQuote finds the quote that ends the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
}

/** useJsonBody makes `application/json` (with any parameters) the only accepted content type. */
export function useJsonBody(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}

/**
 * poisonedKey finds a `__proto__` key or a `constructor` key holding a `prototype`, walking the
 * parsed value with an explicit stack: JSON nests as deep as the body allows (a 3 MiB body can
 * nest a million levels), and a recursive walk, JSON.parse's reviver included, overflows the call
 * stack at a few thousand (found by the fuzzer: a 500 instead of a 400).
 */
function poisonedKey(root: unknown): string | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (!Array.isArray(node)) {
      // JSON.parse defines `__proto__` as an own property, which is what a later merge would use.
      if (Object.hasOwn(node, '__proto__')) return '__proto__';
      if (
        Object.hasOwn(node, 'constructor') &&
        hasPrototype((node as Record<string, unknown>).constructor)
      ) {
        return 'constructor';
      }
    }
    for (const child of Object.values(node)) stack.push(child);
  }
  return undefined;
}

function hasPrototype(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype');
}
