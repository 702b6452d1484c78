// Mesh detection: which mesh a Pod runs in, and whether its proxy answers TCP probes itself.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../../src/core/index.js';
import type { MeshSetting, NamespaceView } from '../../../src/core/index.js';
import { detectMesh } from '../../../src/core/mesh.js';

function effect(
  pod: {
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    containers?: string[];
    sidecars?: string[];
  },
  namespace: Partial<NamespaceView> | null = null,
  setting: MeshSetting = 'auto',
): string {
  const mesh = detectMesh({
    annotations: pod.annotations ?? {},
    labels: pod.labels ?? {},
    spec: {
      containers: (pod.containers ?? ['app']).map((name) => ({ name })),
      initContainers: (pod.sidecars ?? []).map((name) => ({ name, restartPolicy: 'Always' })),
    },
    namespace:
      namespace === null
        ? null
        : { labels: namespace.labels ?? {}, annotations: namespace.annotations ?? {} },
    setting,
    rules: DEFAULT_CATALOG.meshes,
  });
  return mesh.effect === 'none' ? 'none' : `${mesh.effect}: ${mesh.mesh} (${mesh.evidence})`;
}

describe('detectMesh', () => {
  it.each([
    ['nothing', {}, null, 'none'],
    [
      'linkerd by pod annotation',
      { annotations: { 'linkerd.io/inject': 'enabled' } },
      null,
      'intercepts: linkerd (pod annotation linkerd.io/inject=enabled)',
    ],
    [
      'linkerd by namespace annotation',
      {},
      { annotations: { 'linkerd.io/inject': 'enabled' } },
      'intercepts: linkerd (namespace annotation linkerd.io/inject=enabled)',
    ],
    [
      'linkerd disabled on the pod wins over the namespace',
      { annotations: { 'linkerd.io/inject': 'disabled' } },
      { annotations: { 'linkerd.io/inject': 'enabled' } },
      'none',
    ],
    [
      'linkerd-proxy as a native sidecar',
      { sidecars: ['linkerd-proxy'] },
      null,
      'intercepts: linkerd (container linkerd-proxy)',
    ],
    [
      'linkerd-proxy as a container',
      { containers: ['app', 'linkerd-proxy'] },
      null,
      'intercepts: linkerd (container linkerd-proxy)',
    ],
    [
      'istio-proxy already there',
      { containers: ['app', 'istio-proxy'] },
      null,
      'intercepts: istio (sidecar already injected) (container istio-proxy)',
    ],
    [
      'istio to come, by namespace label',
      {},
      { labels: { 'istio-injection': 'enabled' } },
      'rewrites: istio (namespace label istio-injection=enabled)',
    ],
    [
      'istio to come, by revision label',
      {},
      { labels: { 'istio.io/rev': 'canary' } },
      'rewrites: istio (namespace label istio.io/rev=canary)',
    ],
    [
      'istio to come, rewrite off',
      { annotations: { 'sidecar.istio.io/rewriteAppHTTPProbers': 'false' } },
      { labels: { 'istio-injection': 'enabled' } },
      'intercepts: istio (probe rewrite off) (namespace label istio-injection=enabled)',
    ],
    [
      'istio opted out on the pod',
      { labels: { 'sidecar.istio.io/inject': 'false' } },
      { labels: { 'istio-injection': 'enabled' } },
      'none',
    ],
    [
      'ambient',
      {},
      { labels: { 'istio.io/dataplane-mode': 'ambient' } },
      'passes: istio ambient (namespace label istio.io/dataplane-mode=ambient)',
    ],
  ])('%s', (_what, pod, namespace, expected) => {
    expect(effect(pod, namespace)).toBe(expected);
  });

  it('follows the configured setting where the Pod and namespace say nothing', () => {
    expect(effect({}, null, 'linkerd')).toBe('intercepts: linkerd (config mesh: linkerd)');
    expect(effect({ annotations: { 'linkerd.io/inject': 'disabled' } }, null, 'linkerd')).toBe(
      'none',
    );
    expect(effect({}, null, 'istio')).toBe('rewrites: istio (config mesh: istio)');
    expect(effect({ containers: ['app', 'istio-proxy'] }, null, 'istio')).toBe(
      'intercepts: istio (sidecar already injected) (container istio-proxy)',
    );
    expect(effect({}, null, 'ambient')).toBe('passes: istio ambient (config mesh: ambient)');
    // A Pod that shows Linkerd keeps its always-answering proxy whatever the setting says.
    expect(effect({ annotations: { 'linkerd.io/inject': 'enabled' } }, null, 'ambient')).toBe(
      'intercepts: linkerd (pod annotation linkerd.io/inject=enabled)',
    );
    expect(effect({ annotations: { 'linkerd.io/inject': 'enabled' } }, null, 'none')).toBe('none');
  });
});
