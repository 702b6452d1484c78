/**
 * @module credentials — whether a server may need credentials for its readiness CLI, and where an
 * exec probe could read them. A password marker anywhere (any flag form, a `sh -c` script, an
 * args-env, a config file the engine cannot read, ACL settings) means "may need credentials";
 * exec readiness is then used only with credentials the probe can read (DESIGN §1): a literal env
 * value or a Secret reference in the container's env, never a value that only a secret injector
 * resolves inside the server's process (bank-vaults/vault-secrets-webhook#422).
 */
import type { Catalog, ImageVariant, PasswordSource } from './catalog/index.js';
import type { ContainerEnv } from './container-env.js';
import { referencedVariable } from './container-env.js';
import { flagHits, hasFlag } from './argv.js';

/** Where a probe can read a password from. */
export type CredentialSource =
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'file-env'; readonly name: string };

/** What the server's settings say about credentials. */
export type Credentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'readable'; readonly sources: readonly CredentialSource[] }
  | { readonly kind: 'unreadable'; readonly why: string };

export interface CredentialInput {
  readonly variant: ImageVariant;
  readonly env: ContainerEnv;
  /** The server's words (args, script words, args-env words). */
  readonly words: readonly string[];
  /** A config file or mount the engine cannot read may set a password (port.ts hidden config). */
  readonly hiddenConfig: boolean;
  readonly catalog: Catalog;
}

/** readCredentials says whether the server may need a password and where a probe can read it. */
export function readCredentials(input: CredentialInput): Credentials {
  const source = input.variant.password;
  if (source === undefined) return { kind: 'none' };
  const blocked = opaqueCredentials(source, input);
  if (blocked !== undefined) return { kind: 'unreadable', why: blocked };
  const found = passwordSources(source, input);
  if ('why' in found) return { kind: 'unreadable', why: found.why };
  if (found.sources.length === 0) {
    return input.hiddenConfig
      ? { kind: 'unreadable', why: 'a config file the probe cannot read may set a password' }
      : { kind: 'none' };
  }
  for (const s of found.sources) {
    const why = unreadable(s.name, input.env, input.catalog);
    if (why !== undefined) return { kind: 'unreadable', why };
  }
  return { kind: 'readable', sources: dedupe(found.sources) };
}

/** Credentials the CLI cannot use at all: ACL files and users, an args-env that is not visible. */
function opaqueCredentials(source: PasswordSource, input: CredentialInput): string | undefined {
  const { env, words } = input;
  const opaque =
    source.opaque.flags.find((f) => hasFlag(words, [f])) ??
    source.opaque.env.find((n) => env.get(n).kind !== 'absent');
  if (opaque !== undefined) return `${opaque} sets ACL credentials, which the CLI cannot use`;
  const hidden = (input.variant.argsEnv ?? []).find((name) => env.get(name).kind === 'hidden');
  return hidden === undefined
    ? undefined
    : `${hidden} is not visible in the spec and may set a password`;
}

/** Where the password flags and env point; a literal password in the args has no such place. */
function passwordSources(
  source: PasswordSource,
  input: CredentialInput,
): { sources: CredentialSource[] } | { why: string } {
  const { env } = input;
  const sources: CredentialSource[] = [];
  for (const hit of flagHits(input.words, source.flags)) {
    const name = variableOf(hit.value) ?? envHolding(hit.value, env);
    if (name === undefined) {
      return {
        why: `${hit.flag} is written in the args; autoprobe will not copy a password into a probe`,
      };
    }
    sources.push({ kind: 'env', name });
  }
  // Through envFrom any of them may be set unseen; the probe reads each only when it is set.
  const present = (name: string): boolean => env.get(name).kind !== 'absent' || env.hasEnvFrom;
  for (const name of source.env) if (present(name)) sources.push({ kind: 'env', name });
  for (const name of source.fileEnv) if (present(name)) sources.push({ kind: 'file-env', name });
  return { sources };
}

/** The variable a flag value refers to: `$(NAME)` (kubelet), `$NAME` or `${NAME}` (shell). */
function variableOf(value: string): string | undefined {
  return (
    referencedVariable(value) ??
    /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(value.replace(/^["']|["']$/g, ''))?.[1]
  );
}

/** A literal password that equals a literal env value was expanded from it: use the variable. */
function envHolding(value: string, env: ContainerEnv): string | undefined {
  if (value === '') return undefined;
  for (const name of env.names) {
    const v = env.get(name);
    if (v.kind === 'literal' && v.value === value) return name;
  }
  return undefined;
}

/** Why a probe cannot read the variable, or undefined when it can. */
export function unreadable(name: string, env: ContainerEnv, catalog: Catalog): string | undefined {
  const v = env.get(name);
  if (v.kind === 'absent')
    return env.hasEnvFrom ? undefined : `${name} is not set in the container`;
  if (v.kind === 'hidden')
    return v.via === 'too-large' ? `${name} is larger than autoprobe reads` : undefined;
  const injector = injectorOf(v.value, catalog);
  return injector === undefined
    ? undefined
    : `${name} is a ${injector} reference, resolved only inside the server's process`;
}

/** injectorOf names the secret injector whose reference syntax `value` uses, if any. */
export function injectorOf(value: string, catalog: Catalog): string | undefined {
  return catalog.injectors.find((i) => i.patterns.some((p) => new RegExp(p).test(value)))?.injector;
}

function dedupe(sources: readonly CredentialSource[]): CredentialSource[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const key = `${s.kind}:${s.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
