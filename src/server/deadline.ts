/**
 * @module server/deadline — how long a review may take. The apiserver appends `?timeout=Ns` to
 * the webhook URL, its own deadline rounded up to whole seconds
 * (k8s.io/apiserver/pkg/admission/plugin/webhook/mutating/dispatcher.go); autoprobe answers
 * before min(that − a margin, server.requestTimeoutMs), as webhook-practices §1.5 asks.
 */

/** Time kept back from the apiserver's deadline for the network and the apiserver itself. */
export const DEADLINE_MARGIN_MS = 250;

/** budgetMs is the time a review may take, from the configured limit and the request's query. */
export function budgetMs(requestTimeoutMs: number, query: unknown): number {
  const apiserver = apiserverTimeoutMs(query);
  return apiserver === undefined
    ? requestTimeoutMs
    : Math.min(requestTimeoutMs, Math.max(apiserver - DEADLINE_MARGIN_MS, 0));
}

/** apiserverTimeoutMs reads `?timeout=10s` (a Go duration in whole seconds) when present. */
export function apiserverTimeoutMs(query: unknown): number | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  const value = (query as Record<string, unknown>).timeout;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,4})s$/.exec(value);
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 10) * 1000;
}
