/**
 * @module kube/workload-source — read-only lists of a cluster's namespaces and workloads for
 * `autoprobe audit`, paginated (`limit`/`continue`, kubectl's default page of 500). One object per
 * workload, not per replica: ReplicaSets a Deployment owns, Jobs a CronJob owns and Pods with a
 * controller are left out (their owner is listed).
 */
import { AppsV1Api, BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { JsonObject } from '../core/index.js';

/** A namespace as the engine and the scope see it. */
export interface ClusterNamespace {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Being deleted: nothing new can be created in it. */
  readonly terminating: boolean;
}

/** What audit reads from a cluster (tests pass a fake). */
export interface WorkloadSource {
  /** The namespaces (only `namespace` when one is given). */
  namespaces(namespace: string | undefined): Promise<ClusterNamespace[]>;
  /** Every workload object, with `apiVersion` and `kind` set, in `namespace` or all. */
  workloads(namespace: string | undefined): AsyncIterable<JsonObject>;
}

/** A page of a list call, as client-node returns it. */
interface Page {
  readonly items: readonly object[];
  readonly metadata?: { readonly _continue?: string };
}

type Lister = (namespace: string | undefined, page: PageOptions) => Promise<Page>;
interface PageOptions {
  readonly limit: number;
  readonly _continue?: string;
}

interface Kind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly list: Lister;
  /** Objects another listed workload owns are not listed again. */
  readonly ownedBy?: readonly string[];
}

const PAGE = 500;

/** kubeWorkloadSource reads through the Kubernetes API with `kubeConfig`'s credentials. */
export function kubeWorkloadSource(kubeConfig: KubeConfig, pageSize = PAGE): WorkloadSource {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const batch = kubeConfig.makeApiClient(BatchV1Api);
  const kinds: Kind[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      list: (ns, p) =>
        ns === undefined
          ? apps.listDeploymentForAllNamespaces(p)
          : apps.listNamespacedDeployment({ namespace: ns, ...p }),
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      list: (ns, p) =>
        ns === undefined
          ? apps.listStatefulSetForAllNamespaces(p)
          : apps.listNamespacedStatefulSet({ namespace: ns, ...p }),
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      list: (ns, p) =>
        ns === undefined
          ? apps.listDaemonSetForAllNamespaces(p)
          : apps.listNamespacedDaemonSet({ namespace: ns, ...p }),
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      ownedBy: ['Deployment'],
      list: (ns, p) =>
        ns === undefined
          ? apps.listReplicaSetForAllNamespaces(p)
          : apps.listNamespacedReplicaSet({ namespace: ns, ...p }),
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      list: (ns, p) =>
        ns === undefined
          ? batch.listCronJobForAllNamespaces(p)
          : batch.listNamespacedCronJob({ namespace: ns, ...p }),
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      ownedBy: ['CronJob'],
      list: (ns, p) =>
        ns === undefined
          ? batch.listJobForAllNamespaces(p)
          : batch.listNamespacedJob({ namespace: ns, ...p }),
    },
    {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      list: (ns, p) =>
        ns === undefined
          ? core.listReplicationControllerForAllNamespaces(p)
          : core.listNamespacedReplicationController({ namespace: ns, ...p }),
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      // Any controller: its template is listed with the controller (or is not a workload kind).
      ownedBy: ['*'],
      list: (ns, p) =>
        ns === undefined
          ? core.listPodForAllNamespaces(p)
          : core.listNamespacedPod({ namespace: ns, ...p }),
    },
  ];
  return {
    async namespaces(namespace) {
      const items =
        namespace === undefined
          ? await pages((p) => core.listNamespace(p), pageSize)
          : [await core.readNamespace({ name: namespace })];
      return items.map((item) => {
        const object = plain(item);
        const meta = (object.metadata ?? {}) as JsonObject;
        return {
          name: typeof meta.name === 'string' ? meta.name : '',
          labels: (meta.labels ?? {}) as Record<string, string>,
          annotations: (meta.annotations ?? {}) as Record<string, string>,
          terminating: (object.status as { phase?: string } | undefined)?.phase === 'Terminating',
        };
      });
    },
    async *workloads(namespace) {
      for (const kind of kinds) {
        for (const item of await pages((p) => kind.list(namespace, p), pageSize)) {
          const object = { apiVersion: kind.apiVersion, kind: kind.kind, ...plain(item) };
          if (!ownedByListed(object, kind.ownedBy)) yield object;
        }
      }
    },
  };
}

/** pages follows `continue` tokens to the end of a list. */
async function pages(list: (page: PageOptions) => Promise<Page>, limit: number): Promise<object[]> {
  const items: object[] = [];
  let token: string | undefined;
  do {
    const page = await list(token === undefined ? { limit } : { limit, _continue: token });
    items.push(...page.items);
    token = page.metadata?._continue;
  } while (token !== undefined && token !== '');
  return items;
}

/** plain turns a client-node model into the API's JSON (dates to strings, no undefined fields). */
function plain(item: object): JsonObject {
  return JSON.parse(JSON.stringify(item)) as JsonObject;
}

function ownedByListed(object: JsonObject, owners: readonly string[] | undefined): boolean {
  if (owners === undefined) return false;
  const meta = (object.metadata ?? {}) as JsonObject;
  const refs = Array.isArray(meta.ownerReferences) ? (meta.ownerReferences as JsonObject[]) : [];
  return refs.some(
    (r) => r.controller === true && (owners.includes('*') || owners.includes(String(r.kind))),
  );
}
