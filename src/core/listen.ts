/**
 * @module listen — whether the server listens on the pod IP at all.
 *
 * TCP probes dial the pod IP, not 127.0.0.1 (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/),
 * so a server bound to loopback fails them while healthy; exec probes against 127.0.0.1 still work.
 */
import type { BindRules } from './catalog/index.js';
import { flagValue, hasFlag } from './argv.js';
import { pgSettings } from './port.js';

/** Where the server accepts TCP connections. */
export type Listen =
  | { readonly tcp: 'pod-ip' }
  | { readonly tcp: 'loopback-only'; readonly detail: string }
  | { readonly tcp: 'none'; readonly detail: string };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/;

/** analyseListen reads the bind flags of a server's words. */
export function analyseListen(words: readonly string[], rules: BindRules | undefined): Listen {
  if (rules === undefined) return { tcp: 'pod-ip' };
  const disabled = rules.disableFlags.find((f) => hasFlag(words, [f]));
  if (disabled !== undefined) return { tcp: 'none', detail: `${disabled} turns TCP off` };
  if (rules.allFlags.some((f) => hasFlag(words, [f]))) return { tcp: 'pod-ip' };

  const addresses = rules.pgListenAddresses === true ? pgListenAddresses(words) : undefined;
  const value = addresses ?? flagValue(words, rules.addressFlags);
  if (value === undefined) return { tcp: 'pod-ip' };
  const list = value
    .split(/[\s,]+/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (list.length === 0) return { tcp: 'none', detail: 'listen address list is empty (no TCP)' };
  if (list.every((a) => LOOPBACK.test(a))) {
    return { tcp: 'loopback-only', detail: `listens on ${list.join(',')} only` };
  }
  return { tcp: 'pod-ip' };
}

/** PostgreSQL: `-c listen_addresses=…`, `--listen_addresses=…` or `-h …`; the last one wins. */
function pgListenAddresses(words: readonly string[]): string | undefined {
  const setting = pgSettings(words, 'listen_addresses').at(-1);
  const long = flagValue(words, ['--listen_addresses', '--listen-addresses']);
  const host = flagValue(words, ['-h']);
  const found = long ?? setting ?? host;
  return found === undefined ? undefined : stripQuotes(found);
}

function stripQuotes(value: string): string {
  return value.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
}
