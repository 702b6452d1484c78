/**
 * @module server/logger — the pino logger of `autoprobe serve`, with redaction configured as a
 * second line of defence: autoprobe never logs env values or whole objects, and if a future
 * change tried, these paths would still be censored (https://getpino.io/#/docs/redaction).
 */
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { isAutoprobeError } from '../core/index.js';

/** Paths censored in every log line, wherever a careless change might put them. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'body',
  'object',
  'oldObject',
  '*.object',
  '*.oldObject',
  '*.env',
  '*.envFrom',
  '*.spec',
  'key',
  '*.key',
  'keyPem',
];

/** Options of createLogger. */
export interface LoggerOptions {
  readonly level: string;
  /** Where lines go; stdout when absent (tests pass a memory stream). */
  readonly destination?: DestinationStream;
}

/** createLogger builds the JSON logger of the server process. */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { name: 'autoprobe' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

/** The most stack frames kept in a logged error: enough to find the bug, bounded in size. */
const MAX_FRAMES = 12;

/** What a log line says about an error: never its message unless autoprobe wrote it. */
export interface LoggedError {
  readonly type: string;
  readonly code?: string | number;
  readonly message?: string;
  readonly frames?: readonly string[];
}

/**
 * errorForLog reduces an error to what is safe to log. A foreign error's message or properties
 * may embed the document being reviewed (fast-json-patch puts the whole tree on its errors, a
 * TypeError can quote a value), so only autoprobe's own errors keep their message; others keep
 * their type, a stable code and the stack frames, without the first line that repeats the message.
 */
export function errorForLog(error: unknown): LoggedError {
  if (isAutoprobeError(error))
    return { type: error.name, code: error.code, message: error.message };
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.startsWith('    at '))
    .slice(0, MAX_FRAMES)
    .map((line) => line.trim());
  return {
    type: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    frames,
  };
}
