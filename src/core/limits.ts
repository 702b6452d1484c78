/**
 * @module limits — the bounds on what the engine derives from its input, so that no review costs
 * more than a fixed multiple of the Pod's own size (docs/safety.md, "Bounded work").
 */

/**
 * The longest env value, argument or expanded word the engine reads, in characters. Longer values
 * are treated as unknown (reason `value-too-large`): no port, user name or password reference is
 * that long, and a value never grows past it by `$(VAR)` expansion.
 */
export const MAX_VALUE = 4096;
