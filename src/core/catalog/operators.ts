/**
 * @module catalog/operators — how to recognise Pods whose probes an operator owns.
 *
 * Operators tune probes to their own lifecycle (Patroni stops PostgreSQL on purpose, the MongoDB
 * community operator starts mongod only after its agent writes the config), so autoprobe stays out.
 * Owner API groups only match operators that own their Pods directly (CloudNativePG's Cluster,
 * Strimzi's StrimziPodSet, KubeBlocks' InstanceSet); operators that go through a StatefulSet are
 * recognised by the labels they put on their Pods.
 */
import type { OperatorRule } from './types.js';

export const OPERATORS: readonly OperatorRule[] = [
  {
    operator: 'CloudNativePG',
    labelKeys: ['cnpg.io/cluster'],
    ownerApiGroups: ['postgresql.cnpg.io'],
    sources: ['CNPG-IM'],
  },
  {
    operator: 'Zalando postgres-operator (Spilo/Patroni)',
    labels: { application: 'spilo' },
    ownerApiGroups: ['acid.zalan.do'],
    sources: ['ZAL-RP', 'PATRONI-1159'],
  },
  {
    operator: 'Crunchy PGO / Percona PostgreSQL operator',
    labelKeys: ['postgres-operator.crunchydata.com/cluster'],
    ownerApiGroups: ['postgres-operator.crunchydata.com', 'pgv2.percona.com'],
    sources: ['ZAL-RP'],
  },
  {
    operator: 'Strimzi',
    labelKeys: ['strimzi.io/kind', 'strimzi.io/cluster'],
    ownerApiGroups: ['kafka.strimzi.io', 'core.strimzi.io'],
    sources: ['STZ-DF', 'STZ-PROBE'],
  },
  {
    operator: 'RabbitMQ cluster-operator',
    labels: { 'app.kubernetes.io/part-of': 'rabbitmq' },
    ownerApiGroups: ['rabbitmq.com'],
    sources: ['RMQ-OP'],
  },
  {
    operator: 'Percona XtraDB Cluster operator',
    labels: { 'app.kubernetes.io/managed-by': 'percona-xtradb-cluster-operator' },
    ownerApiGroups: ['pxc.percona.com'],
    sources: ['PXC-DEF'],
  },
  {
    operator: 'Percona Server for MongoDB operator',
    labels: { 'app.kubernetes.io/managed-by': 'percona-server-mongodb-operator' },
    ownerApiGroups: ['psmdb.percona.com'],
    sources: ['PSMDB-DEF'],
  },
  {
    operator: 'Percona Server for MySQL operator',
    labels: { 'app.kubernetes.io/managed-by': 'percona-server-mysql-operator' },
    ownerApiGroups: ['ps.percona.com'],
    sources: ['PXC-DEF'],
  },
  {
    operator: 'MongoDB community operator',
    ownerApiGroups: ['mongodbcommunity.mongodb.com'],
    siblingImages: [
      'docker.io/mongodb/mongodb-agent',
      'quay.io/mongodb/mongodb-agent',
      'quay.io/mongodb/mongodb-agent-ubi',
    ],
    sources: ['MCO-STS', 'MCO-668'],
  },
  {
    operator: 'Oracle MySQL operator',
    labelKeys: ['mysql.oracle.com/cluster'],
    ownerApiGroups: ['mysql.oracle.com'],
    sources: ['ORA-OP'],
  },
  {
    operator: 'KubeBlocks',
    labels: { 'app.kubernetes.io/managed-by': 'kubeblocks' },
    ownerApiGroups: ['apps.kubeblocks.io', 'workloads.kubeblocks.io'],
    sources: [],
  },
];
