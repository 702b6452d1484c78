/**
 * @module admission/base64 — UTF-8 text to base64 with web-standard globals only (TextEncoder,
 * btoa), so the admission layer stays free of Node APIs. The apiserver expects `response.patch`
 * base64-encoded (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#response).
 */

// String.fromCharCode takes its arguments on the stack; chunk to stay far below engine limits
// (and small: spreading 32 K arguments cost ~90 µs for a 2 KB patch).
const CHUNK = 0x1000;

// Printable ASCII (all JSON.stringify output is, unless a value has other characters): the
// UTF-8 bytes are the characters themselves, so btoa can take the text as is.
const PRINTABLE_ASCII = /^[ -~]*$/;

/** encodeBase64 encodes `text` as UTF-8 and returns standard (padded) base64. */
export function encodeBase64(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return btoa(text);
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}
