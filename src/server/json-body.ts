/**
 * @module server/json-body — the `application/json` body parser of the admission route: JSON.parse
 * with a message that says where the syntax breaks, and the prototype-poisoning refusal Fastify's
 * own parser applies (secure-json-parse), since a Pod never has `__proto__` or
 * `constructor.prototype` keys.
 */
import type { FastifyInstance } from 'fastify';

// Cheap pre-check; the walk runs only when one of the keys appears at all.
const SUSPICIOUS = /"(?:__proto__|constructor)"\s*:/;

/** A JSON body that cannot be used; `statusCode` makes Fastify treat it as a client error. */
export class JsonBodyError extends Error {
  readonly statusCode = 400;
}

/** parseJsonBody parses `text` or throws a JsonBodyError with a clear message. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '')
    throw new JsonBodyError('the request body is empty; expected an AdmissionReview');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new JsonBodyError(`the request body is not valid JSON (${detail})`);
  }
  if (SUSPICIOUS.test(text)) {
    const key = poisonedKey(value);
    if (key !== undefined) {
      throw new JsonBodyError(`the request body has a "${key}" key, refused (prototype poisoning)`);
    }
  }
  return value;
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
