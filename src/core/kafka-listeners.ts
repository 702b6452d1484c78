/**
 * @module kafka-listeners — which Kafka listener a TCP probe should dial.
 *
 * Brokers are probed on a client listener, controller-only KRaft nodes on their controller
 * listener (they never open a client port). Listeners bound to localhost are unreachable at the
 * pod IP. Sources: apache/kafka docker `configureDefaults`, Bitnami chart, Confluent `configure`.
 */
import type { PortRule } from './catalog/index.js';
import type { ContainerEnv } from './container-env.js';

type KafkaRule = Extract<PortRule, { from: 'kafka-listeners' }>;

/** A parsed `NAME://host:port` entry. */
export interface Listener {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

type Found =
  | { readonly port: number; readonly source: string }
  | { readonly error: 'port-unresolved' | 'port-ambiguous'; readonly detail: string }
  | undefined;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * kafkaListenerPorts lists every port the node listens on beyond loopback (the client listener
 * autoprobe probes, and the controller's or inter-broker ones a user may probe instead).
 */
export function kafkaListenerPorts(rule: KafkaRule, env: ContainerEnv): number[] {
  const listeners = firstLiteral(rule.listeners, env);
  if (listeners === undefined || 'reference' in listeners) return [];
  return (parseListeners(listeners.value) ?? [])
    .filter((l) => !LOCAL_HOSTS.has(l.host))
    .map((l) => l.port);
}

/** resolveKafkaPort picks the listener port from the env the image reads. */
export function resolveKafkaPort(rule: KafkaRule, env: ContainerEnv): Found {
  const listeners = firstLiteral(rule.listeners, env);
  if (listeners === undefined) return undefined;
  if ('reference' in listeners) {
    return {
      error: 'port-unresolved',
      detail: `${listeners.reference} is not visible in the spec (a reference, or too large)`,
    };
  }
  const parsed = parseListeners(listeners.value);
  if (parsed === undefined) {
    return { error: 'port-unresolved', detail: `${listeners.name} is not a listener list` };
  }
  const roles = firstLiteral(rule.roles, env);
  const controllers = firstLiteral(rule.controllerNames, env);
  if (
    (roles !== undefined && 'reference' in roles) ||
    (controllers !== undefined && 'reference' in controllers)
  ) {
    return {
      error: 'port-unresolved',
      detail: 'process roles or controller listener names come from a reference',
    };
  }
  const controllerNames = new Set(splitList(controllers?.value ?? 'CONTROLLER'));
  const controllerOnly =
    roles !== undefined && splitList(roles.value).every((r) => r === 'controller');
  const wanted = parsed.filter((l) => controllerNames.has(l.name) === controllerOnly);
  const reachable = wanted.filter((l) => !LOCAL_HOSTS.has(l.host));
  const pick = reachable[0];
  if (pick === undefined) {
    const kind = controllerOnly ? 'controller' : 'client';
    return {
      error: 'port-ambiguous',
      detail: `${listeners.name} has no ${kind} listener reachable at the pod IP`,
    };
  }
  return {
    port: pick.port,
    source: `${listeners.name} ${pick.name}${controllerOnly ? ' (controller-only node)' : ''}`,
  };
}

/** parseListeners reads `NAME://host:port,…`; undefined if any entry is malformed. */
export function parseListeners(value: string): Listener[] | undefined {
  const out: Listener[] = [];
  for (const entry of splitList(value)) {
    const m = /^([A-Za-z0-9_-]+):\/\/(\[[^\]]*\]|[^:/]*):(\d{1,5})$/.exec(entry);
    if (!m) return undefined;
    const port = Number.parseInt(m[3] ?? '', 10);
    if (port < 1 || port > 65535) return undefined;
    out.push({ name: (m[1] ?? '').toUpperCase(), host: m[2] ?? '', port });
  }
  return out.length > 0 ? out : undefined;
}

/** protocolOf returns the security protocol of a listener name, from the map or the name itself. */
export function protocolOf(name: string, map: string | undefined): string {
  for (const pair of splitList(map ?? '')) {
    const [listener, protocol] = pair.split(':');
    if (listener?.toUpperCase() === name && protocol !== undefined) return protocol.toUpperCase();
  }
  return name;
}

function firstLiteral(
  names: readonly string[],
  env: ContainerEnv,
): { name: string; value: string } | { reference: string } | undefined {
  for (const name of names) {
    const v = env.get(name);
    if (v.kind === 'literal') return { name, value: v.value };
    if (v.kind === 'hidden') return { reference: name };
  }
  return undefined;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
