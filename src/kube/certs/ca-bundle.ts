/**
 * @module kube/certs/ca-bundle — the webhook configuration's side: which CAs its webhooks trust
 * now, and the JSON Patch that makes every webhook's `caBundle` equal to the Secret's bundle.
 * The patch first sets `metadata.resourceVersion` to the one that was read, so the apiserver
 * refuses it with 409 Conflict when another replica wrote in between (optimistic concurrency,
 * as with an update).
 */
import { joinPem, splitPem } from './secret-data.js';

/** What matters of a MutatingWebhookConfiguration. */
export interface WebhookConfigState {
  readonly resourceVersion: string;
  /** Each webhook's `clientConfig.caBundle` (base64 of PEM), in order; undefined when unset. */
  readonly caBundles: readonly (string | undefined)[];
}

/** One JSON Patch (RFC 6902) operation. */
export interface PatchOperation {
  readonly op: 'add' | 'replace';
  readonly path: string;
  readonly value: string;
}

/**
 * webhookTrust returns the CAs (PEM) that every webhook of the configuration trusts, or null when
 * there is no configuration.
 */
export function webhookTrust(config: WebhookConfigState | null): string[] | null {
  if (config === null) return null;
  const [first = [], ...rest] = config.caBundles.map((b) => splitPem(decode(b)));
  return first.filter((pem) => rest.every((bundle) => bundle.includes(pem)));
}

/** caBundlePatch returns the patch that installs `bundle` (PEM), or [] when it is in place. */
export function caBundlePatch(config: WebhookConfigState, bundle: string): PatchOperation[] {
  const wanted = joinPem([bundle]);
  const value = Buffer.from(wanted).toString('base64');
  const ops = config.caBundles.flatMap((current, i): PatchOperation[] =>
    joinPem([decode(current)]) === wanted
      ? []
      : [{ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value }],
  );
  if (ops.length === 0) return [];
  return [
    { op: 'replace', path: '/metadata/resourceVersion', value: config.resourceVersion },
    ...ops,
  ];
}

function decode(caBundle: string | undefined): string {
  return caBundle === undefined ? '' : Buffer.from(caBundle, 'base64').toString();
}
