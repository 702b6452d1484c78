/**
 * @module kube/certs — self-managed webhook certificates: a CA and serving certificate kept in a
 * Secret, the webhook configuration's caBundle kept in step, rotation before expiry with the old
 * and the new CA trusted during the switch. plan.ts decides (pure); materialize.ts issues;
 * reconcile.ts and store.ts talk to the API; manager.ts runs it for the server.
 */
export * from './ca-bundle.js';
export * from './manager.js';
export * from './materialize.js';
export * from './plan.js';
export * from './reconcile.js';
export * from './secret-data.js';
export * from './settings.js';
export * from './store.js';
export * from './x509.js';
