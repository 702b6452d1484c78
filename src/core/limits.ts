/**
 * @module limits — the bounds on what the engine reads and derives from its input, so that a
 * review's cost has a ceiling whatever the Pod (docs/safety.md, "Bounded work"). Each bound sits
 * far above what real Pods use; past it, the engine treats the part as unknown and skips or
 * downgrades with a reason, as it does for anything else it cannot read.
 */

/**
 * The longest env value or expanded argument the engine reads, in characters. Longer values are
 * treated as unknown (reason `value-too-large`): no port, user name or password reference is
 * that long, and a value never grows past it by `$(VAR)` expansion.
 */
export const MAX_VALUE = 4096;

/**
 * The most characters `$(VAR)` expansion may add to one container's env, all values together. A
 * chain where each value extends the one before grows quadratically within MAX_VALUE per value;
 * past this budget the next value that would grow is unknown (`value-too-large`) instead.
 */
export const MAX_EXPANSION = 64 * 1024;

/** The longest `sh -c` script read; a longer one is unreadable (real ones are 1 KB or so). */
export const MAX_SCRIPT = 16 * 1024;

/** The most words read from one script. */
export const MAX_SCRIPT_WORDS = 2048;

/**
 * The most containers (all lists together) of a Pod the engine reviews; a larger Pod is left
 * alone (notice `pod-too-large`). Each container costs a review, so the bound caps the whole.
 */
export const MAX_CONTAINERS = 64;

/**
 * The API's limit on the total size of a Pod's annotations (keys and values, in bytes): the
 * apiserver refuses a Pod over it after admission, so autoprobe leaves it alone instead of
 * copying and diffing them (TotalAnnotationSizeLimitB, k8s.io/apimachinery
 * pkg/api/validation/objectmeta.go).
 */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/**
 * The most env entries, and the most characters of command and args words, of all a Pod's
 * containers together that the engine reads; past either the Pod is left alone (notice
 * `pod-too-large`). Real Pods use a few hundred entries and a few KB of scripts at most.
 */
export const MAX_POD_ENV_ENTRIES = 4096;
export const MAX_POD_ARGV_CHARS = 64 * 1024;
