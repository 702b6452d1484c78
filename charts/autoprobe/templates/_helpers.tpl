{{/*
Names, labels and derived values shared by the templates.
*/}}

{{- define "autoprobe.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The resource name prefix: the release name, plus the chart name unless it already has it. */}}
{{- define "autoprobe.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "autoprobe.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Kubernetes recommended labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels). */}}
{{- define "autoprobe.labels" -}}
helm.sh/chart: {{ include "autoprobe.chart" . }}
{{ include "autoprobe.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: admission-webhook
app.kubernetes.io/part-of: autoprobe
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "autoprobe.selectorLabels" -}}
app.kubernetes.io/name: {{ include "autoprobe.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "autoprobe.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "autoprobe.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "autoprobe.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* The Secret holding the serving certificate (made by autoprobe, cert-manager or the user). */}}
{{- define "autoprobe.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "secret" }}
{{- .Values.certificates.secret.name }}
{{- else }}
{{- printf "%s-tls" (include "autoprobe.fullname" .) }}
{{- end }}
{{- end }}

{{/* The names the apiserver uses for the webhook Service (<svc>.<ns>.svc), and its FQDN. */}}
{{- define "autoprobe.serviceHosts" -}}
- {{ include "autoprobe.fullname" . }}.{{ .Release.Namespace }}.svc
- {{ include "autoprobe.fullname" . }}.{{ .Release.Namespace }}.svc.{{ .Values.certificates.clusterDomain }}
{{- end }}

{{/*
Namespaces the webhook never acts in: the system namespaces, its own, and the configured ones.
Used by the namespaceSelector (the apiserver never calls for them) and by the config file (the
server checks again).
*/}}
{{- define "autoprobe.excludedNamespaces" -}}
{{- $fixed := list "kube-system" "kube-public" "kube-node-lease" .Release.Namespace }}
{{- concat $fixed .Values.config.excludedNamespaces | uniq | toYaml }}
{{- end }}

{{/* The `server` section of the config file: restart-only settings (see the checksum annotation). */}}
{{- define "autoprobe.serverConfig" -}}
{{- $tls := dict }}
{{- if eq .Values.certificates.mode "selfManaged" }}
{{- $sm := .Values.certificates.selfManaged }}
{{- $_ := set $tls "generatedDir" "/tmp/autoprobe-tls" }}
{{- $_ := set $tls "selfManaged" (dict
  "secretName" (include "autoprobe.tlsSecretName" .)
  "webhookConfigName" (include "autoprobe.fullname" .)
  "serviceName" (include "autoprobe.fullname" .)
  "clusterDomain" .Values.certificates.clusterDomain
  "validityDays" $sm.validityDays
  "caValidityDays" $sm.caValidityDays
  "rotateBeforeDays" $sm.rotateBeforeDays
  "resyncSeconds" $sm.resyncSeconds) }}
{{- else }}
{{- $_ := set $tls "certFile" "/etc/autoprobe/tls/tls.crt" }}
{{- $_ := set $tls "keyFile" "/etc/autoprobe/tls/tls.key" }}
{{- end }}
{{- $server := dict "host" "0.0.0.0" "port" 8443 "metricsPort" 8080 "tls" $tls }}
{{- toYaml (dict "server" (merge $server .Values.config.server)) }}
{{- end }}

{{/* The whole config file (docs/configuration.md); empty lists and maps are left out. */}}
{{- define "autoprobe.config" -}}
{{- $c := .Values.config }}
{{- $out := dict "mode" $c.mode "scope" $c.scope "logLevel" $c.logLevel }}
{{- $_ := set $out "excludedNamespaces" (include "autoprobe.excludedNamespaces" . | fromYamlArray) }}
{{- range $key := list "families" "mirrors" "images" "negatives" "operators" }}
{{- if get $c $key }}
{{- $_ := set $out $key (get $c $key) }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{ include "autoprobe.serverConfig" . }}
{{- end }}

{{/* Checks values.schema.json cannot express; each failure names the values to change. */}}
{{- define "autoprobe.validate" -}}
{{- $drainSeconds := 10 }}
{{- /* The delay, up to one more delay while connections still arrive, then the drain. */}}
{{- $needed := add (mul 2 (div .Values.config.server.shutdownDelayMs 1000)) $drainSeconds }}
{{- if le (int .Values.terminationGracePeriodSeconds) (int $needed) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed 2 × config.server.shutdownDelayMs/1000 + %d s of drain (%d): otherwise the kubelet kills a replica that is still draining" (int .Values.terminationGracePeriodSeconds) $drainSeconds (int $needed)) }}
{{- end }}
{{- $sm := .Values.certificates.selfManaged }}
{{- if and (eq .Values.certificates.mode "selfManaged") (or (ge (int $sm.rotateBeforeDays) (int $sm.validityDays)) (ge (int $sm.rotateBeforeDays) (int $sm.caValidityDays))) }}
{{- fail (printf "certificates.selfManaged.rotateBeforeDays (%d) must be less than validityDays (%d) and caValidityDays (%d): a certificate would be due for renewal as soon as it is issued" (int $sm.rotateBeforeDays) (int $sm.validityDays) (int $sm.caValidityDays)) }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (lt (int .Values.replicaCount) 2) }}
{{- fail "podDisruptionBudget.enabled needs replicaCount >= 2: a budget of maxUnavailable 1 over one replica lets a drain take the webhook down" }}
{{- end }}
{{- if ge (int .Values.podDisruptionBudget.maxUnavailable) (int .Values.replicaCount) }}
{{- fail (printf "podDisruptionBudget.maxUnavailable (%d) must be below replicaCount (%d)" (int .Values.podDisruptionBudget.maxUnavailable) (int .Values.replicaCount)) }}
{{- end }}
{{- end }}

{{/*
The prefilter's CEL (src/admission/prefilter.ts builds the same text; test/chart checks it):
the catalog's basenames from the generated file, plus those of config.images and the prefixes of
the config mirrors whose upstream ends in one of them, sorted and unique, dots as [.].
*/}}
{{- define "autoprobe.prefilter" -}}
{{- $lines := splitList "\n" (.Files.Get "files/prefilter-basenames.txt" | trim) }}
{{- $names := list }}
{{- range $lines }}{{ if and . (not (hasPrefix "#" .)) }}{{ $names = append $names . }}{{ end }}{{ end }}
{{- range .Values.config.images }}{{ $names = append $names (regexReplaceAll "^.*/" .name "") }}{{ end }}
{{- $images := $names }}
{{- range .Values.config.mirrors }}
{{- if has (regexReplaceAll "^.*/" .upstream "") $images }}{{ $names = append $names (regexReplaceAll "^.*/" .prefix "") }}{{ end }}
{{- end }}
{{- $pattern := printf "(^|/)(%s)([:@]|$)" ($names | sortAlpha | uniq | join "|" | replace "." "[.]") }}
{{- $candidates := "(has(object.spec.containers) ? object.spec.containers : []) + (has(object.spec.initContainers) ? object.spec.initContainers.filter(c, has(c.restartPolicy) && c.restartPolicy == 'Always') : [])" }}
{{- printf "(has(object.metadata.annotations) && 'autoprobe.dev/family' in object.metadata.annotations) || (size(%s) <= 64 && (%s).exists(c, has(c.image) && !(has(c.livenessProbe) && has(c.readinessProbe) && has(c.startupProbe)) && c.image.matches('%s')))" $candidates $candidates $pattern }}
{{- end }}

{{/* The scheduled audit's labels: not the webhook's selector labels, so its Pods never join the Service or the PodDisruptionBudget. */}}
{{- define "autoprobe.auditLabels" -}}
helm.sh/chart: {{ include "autoprobe.chart" . }}
app.kubernetes.io/name: {{ include "autoprobe.name" . }}-audit
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: audit
app.kubernetes.io/part-of: autoprobe
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
