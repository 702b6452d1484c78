/**
 * @module notices — what the engine ignored and why (an invalid annotation, an unknown key), as
 * stable codes with a human detail. A notice never changes a decision's action by itself; it says
 * what the user asked for that was not taken, or (`pod-too-large`) why a Pod has no decisions at
 * all. docs/reasons.md lists the codes.
 */

/** Every notice code with its meaning. */
export const NOTICES = {
  'annotation-unknown': 'An autoprobe.dev/ annotation that autoprobe does not know; it is ignored.',
  'annotation-invalid': 'An autoprobe annotation value that is not valid; it is ignored.',
  'annotation-no-container': 'An annotation names a container the pod does not have; ignored.',
  'annotation-needs-container':
    'A bare value needs the form container=value when the pod has several containers; ignored.',
  'pod-too-large':
    "The pod has more containers (64), env entries (4096) or characters of command and args (64 KiB) than autoprobe reads, or annotations over the API's 256 KiB limit; it is left alone, so a review's cost has a ceiling.",
} as const;

/** A stable notice code. */
export type NoticeCode = keyof typeof NOTICES;

/** A notice: a stable code and a one-line detail (user values shortened, never env values). */
export interface Notice {
  readonly code: NoticeCode;
  readonly detail: string;
}

/** notice builds a Notice. */
export function notice(code: NoticeCode, detail: string): Notice {
  return { code, detail };
}
