/**
 * @module server/logger — the pino logger of `autoprobe serve`, with redaction configured as a
 * second line of defence: autoprobe never logs env values or whole objects, and if a future
 * change tried, these paths would still be censored (https://getpino.io/#/docs/redaction).
 */
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

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
