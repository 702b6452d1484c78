/**
 * @module scope — whether autoprobe acts in a namespace, and in which mode, from its labels and
 * the configured scope. Pure: the labels are facts passed in by the edge (a watch-backed cache).
 */
import { LABELS } from './keys.js';

/** `optin`: only labelled namespaces; `cluster`: all but system, own and opted-out ones. */
export type Scope = 'optin' | 'cluster';
/** `enforce` patches; `audit` only reports. */
export type Mode = 'enforce' | 'audit';

/** What the edge knows about the namespace. */
export interface NamespaceFacts {
  readonly name: string;
  /** The namespace's labels, or null when they are not known (no cache, or not yet synced). */
  readonly labels: Readonly<Record<string, string>> | null;
}

export interface ScopeConfig {
  readonly scope: Scope;
  readonly mode: Mode;
  /** Never acted on, whatever their labels (system namespaces and autoprobe's own). */
  readonly excludedNamespaces: readonly string[];
}

/** The verdict for one namespace. */
export type ScopeDecision =
  | { readonly act: true; readonly mode: Mode; readonly why: string }
  | { readonly act: false; readonly why: string };

/** decideScope applies scope, exclusions and namespace labels. */
export function decideScope(ns: NamespaceFacts, config: ScopeConfig): ScopeDecision {
  if (config.excludedNamespaces.includes(ns.name))
    return { act: false, why: `namespace ${ns.name} is excluded` };
  const inject = ns.labels?.[LABELS.inject];
  // The label can only soften the global mode: a namespace may ask for audit, never force enforce.
  const effective: Mode =
    config.mode === 'audit' || ns.labels?.[LABELS.mode] === 'audit' ? 'audit' : 'enforce';
  if (inject === 'disabled')
    return { act: false, why: `namespace label ${LABELS.inject}=disabled` };
  if (config.scope === 'cluster') return { act: true, mode: effective, why: 'cluster scope' };
  if (inject === 'enabled')
    return { act: true, mode: effective, why: `namespace label ${LABELS.inject}=enabled` };
  if (ns.labels === null) {
    // Labels unknown (no cache): the apiserver's namespaceSelector already made the first cut.
    return {
      act: true,
      mode: effective,
      why: 'optin scope, namespace labels unknown: trusting the namespaceSelector',
    };
  }
  return { act: false, why: `optin scope and namespace lacks ${LABELS.inject}=enabled` };
}
