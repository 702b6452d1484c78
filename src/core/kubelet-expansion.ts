/**
 * @module kubelet-expansion — what the kubelet does to an exec probe's command before it runs it:
 * `$(NAME)` is replaced by the raw `value` of the container's env entry NAME (not itself expanded;
 * an entry set by `valueFrom` gives the empty string), `$$` becomes `$`, and a reference to a name
 * the env does not declare stays as written (k8s.io/kubernetes pkg/kubelet/prober/prober.go,
 * ExpandContainerCommandOnlyStatic; third_party/forked/golang/expansion/expand.go). An injected
 * command must come out of this unchanged, or the probe runs something other than what was built.
 */
import { asArray, asString, isObject } from './k8s.js';
import type { JsonObject } from './k8s.js';

/** probeTimeCommand returns `command` as the kubelet expands it for `container`'s probes. */
export function probeTimeCommand(
  command: readonly string[],
  container: JsonObject,
): readonly string[] {
  if (!command.some((word) => word.includes('$'))) return command;
  const values = new Map<string, string>();
  for (const entry of asArray(container.env)) {
    const name = isObject(entry) ? asString(entry.name) : undefined;
    if (name !== undefined && isObject(entry)) values.set(name, asString(entry.value) ?? '');
  }
  return command.map((word) => expand(word, values));
}

/** expand is the kubelet's Expand with its MappingFuncFor over `values`. */
function expand(input: string, values: ReadonlyMap<string, string>): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === '$') out += '$';
    else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close < 0) out += '$(';
      else {
        const name = input.slice(cursor + 2, close);
        out += values.get(name) ?? `$(${name})`;
        advance = close - cursor;
      }
    } else out += `$${next ?? ''}`;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
