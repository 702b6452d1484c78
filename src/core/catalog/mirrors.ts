/**
 * @module catalog/mirrors — registries that serve Docker Hub images under another name.
 * More can be added in config (`mirrors`), e.g. a Harbor or Artifactory pull-through cache.
 */
import type { MirrorRule } from './types.js';

export const MIRRORS: readonly MirrorRule[] = [
  // https://cloud.google.com/artifact-registry/docs/pull-cached-dockerhub-images
  { prefix: 'mirror.gcr.io', upstream: 'docker.io', sources: ['DESIGN'] },
  // https://gallery.ecr.aws/docker — Docker Official Images on ECR Public
  { prefix: 'public.ecr.aws/docker/library', upstream: 'docker.io/library', sources: ['DESIGN'] },
  // Bitnami publishes the same images on ECR Public.
  { prefix: 'public.ecr.aws/bitnami', upstream: 'docker.io/bitnami', sources: ['BN-CATALOG'] },
];
