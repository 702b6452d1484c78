/**
 * @module admission — AdmissionReview v1 in, decided answer out. Pure: it depends on the core
 * only (no Fastify, no file system, no process, no logger); the server edge transports and logs.
 */
export * from './types.js';
export * from './decode.js';
export * from './respond.js';
export * from './render.js';
export * from './handle.js';
export * from './prefilter.js';
