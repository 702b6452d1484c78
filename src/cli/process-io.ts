/** @module cli/process-io — the real process streams, environment and working directory as an Io. */
import type { Io } from '../program.js';

/** processIo returns the process's own Io; commands never touch `process` directly. */
export function processIo(): Io {
  // A reader that stops early (`autoprobe inject … | head`) closes the pipe: EPIPE only means
  // nobody wants the rest of the output, so it is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}
