/**
 * @module admission/base64 — UTF-8 text to base64 with web-standard globals only (TextEncoder,
 * btoa), so the admission layer stays free of Node APIs. The apiserver expects `response.patch`
 * base64-encoded (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#response).
 */

// String.fromCharCode takes its arguments on the stack; chunk to stay far below engine limits.
const CHUNK = 0x8000;

/** encodeBase64 encodes `text` as UTF-8 and returns standard (padded) base64. */
export function encodeBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}
