/**
 * @module probes/harness/env — the environment a probe runs with: what the container would have.
 *
 * That is the image's PATH and HOME, the Pod's env (literal values, `$(VAR)` expanded as the
 * kubelet does, and Secret values the test supplies), and from the server's `probe.env` only what
 * stands in for the image itself: tool directories on PATH, and RabbitMQ's node identity (cookie
 * HOME, node name, epmd port), which in the real image are the defaults. Credentials that
 * probe.env offers for the test's own use (REDISCLI_AUTH, MYSQL_PWD, PGPASSWORD, …) are dropped:
 * a probe gets a password only if the Pod's env gives it one. Nothing else leaks from the test
 * process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The PATH of a typical Debian-based image (Docker's default). */
export const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

type Env = Record<string, string>;

/** What probe.env may contribute: the image stand-in, never credentials. */
const TOOL_ENV = /^(PATH|HOME|RABBITMQ_[A-Z_]+|ERL_[A-Z_]+)$/;

/** toolEnv reads DIR/probe.env (shell `export` lines) and keeps the image stand-in part. */
export function toolEnv(serverDir: string, home: string): Env {
  const file = join(serverDir, 'probe.env');
  if (!existsSync(file)) return {};
  const dump = execFileSync('bash', ['-c', 'set -a; . "$1"; exec env -0', 'probe-env', file], {
    env: { PATH: IMAGE_PATH, HOME: home },
    encoding: 'utf8',
  });
  const out: Env = {};
  for (const entry of dump.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const name = entry.slice(0, eq);
    if (TOOL_ENV.test(name)) out[name] = entry.slice(eq + 1);
  }
  return out;
}

/** A container's `env` list entry, as far as the suite uses it. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string; readonly key: string } };
}

/**
 * podEnv resolves a container's env like the kubelet: literal values with `$(VAR)` expanded from
 * earlier entries, `secretKeyRef` from `secrets` (keyed `secret/key`; a missing key leaves the
 * variable unset, as an optional Secret would).
 */
export function podEnv(vars: readonly EnvVar[], secrets: Readonly<Record<string, string>>): Env {
  const out: Env = {};
  for (const v of vars) {
    const ref = v.valueFrom?.secretKeyRef;
    if (ref !== undefined) {
      const value = secrets[`${ref.name}/${ref.key}`];
      if (value !== undefined) out[v.name] = value;
      continue;
    }
    out[v.name] = (v.value ?? '').replace(
      /\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
      (match, name: string | undefined) =>
        match === '$$' ? '$' : ((name !== undefined ? out[name] : undefined) ?? match),
    );
  }
  return out;
}

/** containerEnvironment layers image defaults, the probe.env stand-in and the Pod env. */
export function containerEnvironment(layers: {
  readonly home: string;
  readonly tools: Env;
  readonly pod: Env;
}): Env {
  return { PATH: IMAGE_PATH, HOME: layers.home, ...layers.tools, ...layers.pod };
}
