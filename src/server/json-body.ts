/**
 * @module server/json-body — the `application/json` body parser of the admission route: a nesting
 * guard, JSON.parse with a message that says where the syntax breaks (never what the body says),
 * and the prototype-poisoning refusal Fastify's own parser applies (secure-json-parse), since a
 * Pod never has `__proto__` or `constructor.prototype` keys, however they are spelled.
 */
import type { FastifyInstance } from 'fastify';

// Cheap pre-check: the walk runs when one of the keys appears, or any `\u` escape (a key can
// spell `__proto__` as `"\u005f_proto__"`; JSON.parse unescapes it, the raw text does not show it).
const SUSPICIOUS = /"(?:__proto__|constructor)"\s*:|\\u/;

/**
 * The deepest nesting of arrays and objects accepted. An AdmissionReview of a Pod nests about 15
 * deep (request.object.spec.affinity…values[]); a 3 MiB body of a million nested arrays took
 * JSON.parse 0.4 s of one event loop (issue #12), so it is refused before parsing, in
 * microseconds: the scan stops at the first level past this.
 */
export const MAX_JSON_DEPTH = 128;

/** A JSON body that cannot be used; `statusCode` makes Fastify treat it as a client error. */
export class JsonBodyError extends Error {
  readonly statusCode = 400;
}

/** parseJsonBody parses `text` or throws a JsonBodyError with a clear message. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '')
    throw new JsonBodyError('the request body is empty; expected an AdmissionReview');
  const deep = depthPast(text, MAX_JSON_DEPTH);
  if (deep !== undefined) {
    throw new JsonBodyError(
      `the request body nests deeper than ${MAX_JSON_DEPTH} levels (at position ${deep}); an AdmissionReview does not`,
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
 * depthPast scans the text for the nesting of `[` and `{` outside strings, and returns the
 * position where it first passes `max`, or undefined. It reads each character once and stops
 * there, so a deep body costs microseconds; a wide 3 MiB one a few milliseconds.
 */
export function depthPast(text: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return undefined;
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
