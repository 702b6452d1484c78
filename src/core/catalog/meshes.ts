/**
 * @module catalog/meshes — service meshes and what they do to a kubelet's TCP probe.
 *
 * - Linkerd's proxy accepts inbound TCP connections itself, so a tcpSocket probe on an
 *   application port always succeeds (linkerd/linkerd2#7777, open). Injection is asked for by
 *   `linkerd.io/inject: enabled` on the Pod or its namespace; the proxy runs as the
 *   `linkerd-proxy` container or, by default now, as a native sidecar (linkerd/linkerd2#15267).
 * - Istio's injector rewrites httpGet and tcpSocket probes to its agent on 15020, which checks the
 *   application from inside the pod (istio/istio#33734, Istio >= 1.11), but only the probes present
 *   when it runs. A Pod that already carries `istio-proxy` (the injector ran before autoprobe), or
 *   that turns the rewrite off, gets no rewrite: a TCP probe then hits Envoy, which accepts it.
 * - Istio ambient mode does not intercept kubelet probes (they arrive from 169.254.7.127), so TCP
 *   probes stay true (istio/istio#58531, #52765).
 */
import type { MeshRule } from './types.js';

export const MESHES: readonly MeshRule[] = [
  {
    mesh: 'linkerd',
    effect: 'intercepts',
    proxyContainers: ['linkerd-proxy'],
    podAnnotations: { 'linkerd.io/inject': ['enabled', 'ingress'] },
    namespaceAnnotations: { 'linkerd.io/inject': ['enabled', 'ingress'] },
    optOut: { 'linkerd.io/inject': ['disabled'] },
    sources: ['LINKERD-7777', 'LINKERD-15267'],
  },
  {
    // The injector already ran: probes added now are not rewritten.
    mesh: 'istio (sidecar already injected)',
    effect: 'intercepts',
    proxyContainers: ['istio-proxy'],
    podAnnotations: { 'sidecar.istio.io/status': [] },
    sources: ['ISTIO-33734'],
  },
  {
    // The injector will run after autoprobe but will not rewrite probes.
    mesh: 'istio (probe rewrite off)',
    effect: 'intercepts',
    requires: { 'sidecar.istio.io/rewriteAppHTTPProbers': ['false'] },
    podLabels: { 'sidecar.istio.io/inject': ['true'] },
    namespaceLabels: { 'istio-injection': ['enabled'], 'istio.io/rev': [] },
    optOut: { 'sidecar.istio.io/inject': ['false'] },
    sources: ['ISTIO-33734'],
  },
  {
    // The injector runs after autoprobe (the webhook configuration's name sorts first) and rewrites.
    mesh: 'istio',
    effect: 'rewrites',
    podLabels: { 'sidecar.istio.io/inject': ['true'] },
    namespaceLabels: { 'istio-injection': ['enabled'], 'istio.io/rev': [] },
    optOut: { 'sidecar.istio.io/inject': ['false'] },
    sources: ['ISTIO-33734'],
  },
  {
    mesh: 'istio ambient',
    effect: 'passes',
    podLabels: { 'istio.io/dataplane-mode': ['ambient'] },
    namespaceLabels: { 'istio.io/dataplane-mode': ['ambient'] },
    sources: ['ISTIO-58531'],
  },
];
