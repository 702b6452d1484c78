/**
 * @module k8s — the parts of the Pod API the engine reads and writes, typed loosely on purpose.
 *
 * Input is raw JSON from the apiserver or from YAML files, never round-tripped through the
 * @kubernetes/client-node model classes (they drop unknown fields; kubebuilder#510). Every reader
 * here tolerates missing or mistyped fields instead of throwing.
 */
/** A JSON object as it came over the wire. */
export type JsonObject = Record<string, unknown>;

/**
 * A probe as autoprobe writes it: the subset of core/v1 Probe it uses
 * (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe).
 */
export interface Probe {
  readonly exec?: { readonly command: readonly string[] };
  readonly tcpSocket?: { readonly port: number | string };
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

/** A Pod or a Pod template: metadata and spec, both optional in untrusted input. */
export interface PodTemplate {
  metadata?: unknown;
  spec?: unknown;
}

/** The three container lists of a PodSpec, in the order the engine lists them. */
export const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
/** One of CONTAINER_LISTS. */
export type ContainerList = (typeof CONTAINER_LISTS)[number];

/** A container and where it sits. */
export interface ContainerSlot {
  readonly list: ContainerList;
  readonly index: number;
  readonly container: JsonObject;
  readonly name: string;
  /** An init container with `restartPolicy: Always` (a native sidecar), which may have probes. */
  readonly sidecar: boolean;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * stringRecord reads labels or annotations, keeping only string values. The API makes them all
 * strings, so the object itself is returned when they are (a copy of a Pod's thousands of labels
 * would cost more than the rest of its review), and a filtered copy otherwise.
 */
export function stringRecord(value: unknown): Readonly<Record<string, string>> {
  if (!isObject(value)) return {};
  let strings = true;
  for (const key in value) {
    if (typeof value[key] !== 'string') {
      strings = false;
      break;
    }
  }
  if (strings) return value as Readonly<Record<string, string>>;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

/** A Pod's metadata with its labels and annotations read once (string values only). */
export interface PodMetadata {
  readonly metadata: JsonObject;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** metadataOf returns the template's metadata object, or an empty one. */
export function metadataOf(template: PodTemplate): JsonObject {
  return isObject(template.metadata) ? template.metadata : {};
}

/** specOf returns the template's PodSpec, or an empty one. */
export function specOf(template: PodTemplate): JsonObject {
  return isObject(template.spec) ? template.spec : {};
}

/** listContainers lists every container of a PodSpec with its list, index and name. */
export function listContainers(spec: JsonObject): ContainerSlot[] {
  const slots: ContainerSlot[] = [];
  for (const list of CONTAINER_LISTS) {
    asArray(spec[list]).forEach((container, index) => {
      if (!isObject(container)) return;
      slots.push({
        list,
        index,
        container,
        name: asString(container.name) ?? `#${index}`,
        sidecar: list === 'initContainers' && container.restartPolicy === 'Always',
      });
    });
  }
  return slots;
}

/** stringList reads a command or args array, keeping strings only. */
export function stringList(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}
