/**
 * @module catalog/ha — HA managers and cluster modes that stop, demote or re-seed their server on
 * purpose. A liveness or startup probe there fights the manager: Patroni's maintainers say a
 * liveness probe "should never take into account state of the postgres" (patroni/patroni#1159),
 * and a Galera joiner keeps its port closed for the whole state transfer (ground truth §7.6). So
 * these servers get readiness only, which only takes traffic away.
 */
import type { HaRule } from './types.js';

export const HA_MANAGERS: readonly HaRule[] = [
  {
    id: 'patroni',
    manager: 'Patroni',
    families: ['postgres'],
    // `patroni CONFIG`, or the entrypoints that end in it (timescale/timescaledb-docker-ha
    // timescaledb_entrypoint.sh; its default CMD is plain PostgreSQL). Spilo sets SPILO_CONFIGURATION.
    programs: ['patroni', 'timescaledb_entrypoint.sh', 'patroni_entrypoint.sh'],
    env: ['PATRONI_*', 'SPILO_CONFIGURATION'],
    why: 'Patroni stops, demotes and re-initialises PostgreSQL on purpose; a liveness probe must never depend on its state',
    sources: ['PATRONI-1159', 'ZAL-1725', 'ZAL-RP', 'PATRONI-K8S', 'TSDB-HA'],
  },
  {
    id: 'repmgr',
    manager: 'repmgr',
    families: ['postgres'],
    env: ['REPMGR_*'],
    why: 'repmgr stops and re-points PostgreSQL during failover on purpose',
    sources: ['BN-PG', 'PATRONI-1159'],
  },
  {
    id: 'galera',
    manager: 'Galera',
    families: ['mariadb', 'mysql'],
    flags: [
      '--wsrep-on',
      '--wsrep_on',
      '--wsrep-cluster-address',
      '--wsrep_cluster_address',
      '--wsrep-new-cluster',
      '--wsrep_new_cluster',
      '--wsrep-provider',
      '--wsrep_provider',
    ],
    env: ['MARIADB_GALERA_*'],
    markers: ['wsrep', 'galera'],
    why: 'a Galera joiner keeps its port closed for the whole state transfer (SST), which can outlast any startup budget',
    sources: ['PXC-LIVE', 'PXC-DEF', 'BN-MDB', 'MDB-DF', 'TRILLIAN-614', 'KB-ADDONS-3040'],
  },
];
