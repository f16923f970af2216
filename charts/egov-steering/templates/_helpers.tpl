{{/* Shared helpers: every per-service template is a loop over "egov-steering.services" using these. */}}

{{- define "egov-steering.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "egov-steering.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "egov-steering.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Copies src into dst, recursing into maps; src wins, including false, 0 and "" (sprig's merge functions treat
those as empty and would keep the default). Lists replace.
*/}}
{{- define "egov-steering.deepMerge" -}}
{{- $dst := .dst -}}
{{- range $key, $value := .src -}}
{{- if and (kindIs "map" $value) (kindIs "map" (get $dst $key)) -}}
{{- include "egov-steering.deepMerge" (dict "dst" (get $dst $key) "src" $value) -}}
{{- else -}}
{{- $_ := set $dst $key $value -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The enabled services as JSON: name -> serviceDefaults merged with services.<name>.
Usage: range $name, $svc := include "egov-steering.services" . | fromJson
*/}}
{{- define "egov-steering.services" -}}
{{- $services := dict -}}
{{- range $name, $overrides := .Values.services -}}
{{- if $overrides.enabled -}}
{{- $svc := deepCopy $.Values.serviceDefaults -}}
{{- include "egov-steering.deepMerge" (dict "dst" $svc "src" (deepCopy $overrides)) -}}
{{- $_ := set $services $name $svc -}}
{{- end -}}
{{- end -}}
{{- toJson $services -}}
{{- end -}}

{{/* Name of a service's objects: <fullname>-<service>. Context: dict "root" $ "name" <service>. */}}
{{- define "egov-steering.serviceFullname" -}}
{{- printf "%s-%s" (include "egov-steering.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The standard labels. Context: dict "root" $ "name" <service> "component" api|migration. */}}
{{- define "egov-steering.labels" -}}
helm.sh/chart: {{ include "egov-steering.chart" .root }}
{{ include "egov-steering.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ include "egov-steering.name" .root }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{- define "egov-steering.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component | default "api" }}
{{- end -}}

{{/* Labels of objects that belong to the whole release (default-deny policy, shared Secret). */}}
{{- define "egov-steering.releaseLabels" -}}
helm.sh/chart: {{ include "egov-steering.chart" . }}
app.kubernetes.io/name: {{ include "egov-steering.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ include "egov-steering.name" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/*
Annotations of the release step's objects (migration Jobs and what they need), created in order of weight before the
pods change. Deleted once every hook of the step has succeeded; a failed step's objects stay for inspection until
the next install or upgrade replaces them (the Jobs also go after migrations.ttlSecondsAfterFinished). Context: weight.
*/}}
{{- define "egov-steering.hookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ . | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}

{{- define "egov-steering.image" -}}
{{- $image := .root.Values.image -}}
{{- if $image.digest -}}
{{- printf "%s/%s@%s" $image.registry .name $image.digest -}}
{{- else -}}
{{- printf "%s/%s:%s" $image.registry .name (default .root.Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Name of a service's Secret: chart-created or existing. Context: dict "root" $ "name" <service> "svc" <values>. */}}
{{- define "egov-steering.secretName" -}}
{{- if .root.Values.secrets.create -}}
{{- include "egov-steering.serviceFullname" . -}}
{{- else -}}
{{- required (printf "services.%s.existingSecret is required when secrets.create is false" .name) .svc.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* Name of a migration Job's Secret: chart-created (a hook) or migrations.existingSecret. Context: as secretName. */}}
{{- define "egov-steering.migrationSecretName" -}}
{{- if .root.Values.secrets.create -}}
{{- printf "%s-migration" (include "egov-steering.serviceFullname" .) | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- required (printf "services.%s.migrations.existingSecret is required when secrets.create is false" .name) .svc.migrations.existingSecret -}}
{{- end -}}
{{- end -}}

{{/*
What a service reads from its Secret as JSON: environment variable -> key. The connection strings of what it uses
(Redis only when the service caches in it), then secretEnv. Context: dict "svc" <values>.
*/}}
{{- define "egov-steering.secretEnv" -}}
{{- $env := dict "ConnectionStrings__Database" "database" "ConnectionStrings__RabbitMQ" "rabbitmq" -}}
{{- if .svc.redis -}}
{{- $_ := set $env "ConnectionStrings__Redis" "redis" -}}
{{- end -}}
{{- toJson (merge (deepCopy .svc.secretEnv) $env) -}}
{{- end -}}

{{/*
Data of a chart-created Secret as JSON (key -> base64), from secrets.values.<valuesKey>. Context: dict "valuesKey"
<key under secrets.values> "keys" (list of Secret keys) "values" .Values.secrets.values.
*/}}
{{- define "egov-steering.secretData" -}}
{{- $given := get .values .valuesKey | default dict -}}
{{- $data := dict -}}
{{- range .keys -}}
{{- $_ := set $data . (required (printf "secrets.values.%s.%s is required when secrets.create is true" $.valuesKey .) (get $given .) | b64enc) -}}
{{- end -}}
{{- toJson $data -}}
{{- end -}}

{{/* What a service's pods read from chart-created Secrets, for the checksum that rolls them. Context: as secretName. */}}
{{- define "egov-steering.podSecretData" -}}
{{- $values := .root.Values.secrets.values -}}
{{- $keys := values (include "egov-steering.secretEnv" . | fromJson) | uniq | sortAlpha -}}
{{- include "egov-steering.secretData" (dict "valuesKey" .name "keys" $keys "values" $values) -}}
{{- include "egov-steering.secretData" (dict "valuesKey" "auth" "keys" (include "egov-steering.signingKeys" .root | fromJsonArray) "values" $values) -}}
{{- end -}}

{{/* Keys of the auth Secret the pods read, or none (authority set, or no keys). */}}
{{- define "egov-steering.signingKeys" -}}
{{- if not .Values.auth.authority -}}
{{- toJson .Values.auth.signingKeys.keys -}}
{{- else -}}
[]
{{- end -}}
{{- end -}}

{{- define "egov-steering.authSecretName" -}}
{{- if .Values.secrets.create -}}
{{- printf "%s-auth" (include "egov-steering.fullname" .) -}}
{{- else -}}
{{- required "auth.signingKeys.existingSecret is required when secrets.create is false and auth.authority is empty" .Values.auth.signingKeys.existingSecret -}}
{{- end -}}
{{- end -}}

{{/*
Non-secret configuration of a service: the ConfigMap's data, and the migration Job's environment (the Job runs
before the ConfigMap exists). Context: dict "root" $ "name" <service> "svc" <values>. DOTNET_GCgen0size: the
runtime's gen0 budget (4 MiB) instead of one sized on the node's L3 cache (16 MiB on a 32 MiB L3); only the
environment sets it (services/ServiceRuntime.props has the rest of the runtime's settings).
*/}}
{{- define "egov-steering.config" -}}
{{- $root := .root -}}
{{- $config := dict
  "ASPNETCORE_ENVIRONMENT" $root.Values.environment
  "DOTNET_ENVIRONMENT" $root.Values.environment
  "Hosting__GrpcPort" (toString (int .svc.grpcPort))
  "Hosting__HttpPort" (toString (int .svc.httpPort))
  "Storage__Provider" "PostgreSQL"
  "Storage__MigrateOnStart" "false"
  "Bus__Transport" "RabbitMQ"
  "Cache__Provider" (ternary "Redis" "Memory" (.svc.redis | default false))
  "HostOptions__ShutdownTimeout" (include "egov-steering.timespan" (int .svc.drain.shutdownSeconds))
  "Messaging__EndpointPrefix" .name
  "Auth__Issuer" $root.Values.auth.issuer
  "Auth__Audience" $root.Values.auth.audience
  "OTEL_SERVICE_NAME" .name
  "DOTNET_GCgen0size" "0x400000"
-}}
{{- with $root.Values.auth.authority -}}
{{- $_ := set $config "Auth__Authority" . -}}
{{- end -}}
{{- range $i, $origin := $root.Values.web.cors.allowedOrigins -}}
{{- $_ := set $config (printf "Web__Cors__AllowedOrigins__%d" $i) $origin -}}
{{- end -}}
{{- with $root.Values.telemetry.otlp.endpoint -}}
{{- $_ := set $config "OTEL_EXPORTER_OTLP_ENDPOINT" . -}}
{{- $_ := set $config "OTEL_EXPORTER_OTLP_PROTOCOL" "grpc" -}}
{{- end -}}
{{- if lt (float64 $root.Values.telemetry.traceSampleRatio) 1.0 -}}
{{- $_ := set $config "OTEL_TRACES_SAMPLER" "parentbased_traceidratio" -}}
{{- $_ := set $config "OTEL_TRACES_SAMPLER_ARG" (toString $root.Values.telemetry.traceSampleRatio) -}}
{{- end -}}
{{- $scheme := ternary "https" "http" $root.Values.tls.enabled -}}
{{- range $callee := .svc.calls -}}
{{- $_ := set $config (printf "Services__%s" (title $callee)) (printf "%s://%s:%d" $scheme (include "egov-steering.serviceFullname" (dict "root" $root "name" $callee)) (int (get (include "egov-steering.services" $root | fromJson) $callee).grpcPort)) -}}
{{- end -}}
{{- $_ := set $config "Messaging__QueueType" $root.Values.messaging.queueType -}}
{{- range $index, $node := $root.Values.messaging.clusterNodes -}}
{{- $_ := set $config (printf "Messaging__ClusterNodes__%d" $index) $node -}}
{{- end -}}
{{- if $root.Values.tls.enabled -}}
{{- $_ := set $config "Tls__CertificatePath" (printf "%s/tls.crt" (include "egov-steering.tlsMountPath" .)) -}}
{{- $_ := set $config "Tls__KeyPath" (printf "%s/tls.key" (include "egov-steering.tlsMountPath" .)) -}}
{{- $_ := set $config "Tls__CaPath" (printf "%s/ca.crt" (include "egov-steering.tlsMountPath" .)) -}}
{{- $_ := set $config "Tls__ClientCertificates" $root.Values.tls.clientCertificates -}}
{{- /* The services that call this one are trusted with its service-only methods, by their certificates' names. */ -}}
{{- $callers := list -}}
{{- range $caller, $callerValues := include "egov-steering.services" $root | fromJson -}}
{{- if has $.name ($callerValues.calls | default list) -}}
{{- $callers = append $callers (include "egov-steering.serviceFullname" (dict "root" $root "name" $caller)) -}}
{{- end -}}
{{- end -}}
{{- range $index, $caller := $callers -}}
{{- $_ := set $config (printf "Tls__TrustedServices__%d" $index) $caller -}}
{{- end -}}
{{- end -}}
{{- range $key, $value := .svc.config -}}
{{- $_ := set $config $key (toString $value) -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/*
Environment that is not in the ConfigMap: values from Secrets (the service's connection strings and the signing
keys), and the pod's identity for OpenTelemetry. Context: dict "root" $ "name" <service> "svc" <values>.
*/}}
{{- define "egov-steering.env" -}}
{{- $root := .root -}}
{{- $secretName := include "egov-steering.secretName" . -}}
{{- range $variable, $key := include "egov-steering.secretEnv" . | fromJson }}
- name: {{ $variable }}
  valueFrom:
    secretKeyRef:
      name: {{ $secretName }}
      key: {{ $key }}
{{- end }}
{{- range $index, $key := include "egov-steering.signingKeys" $root | fromJsonArray }}
- name: Auth__SigningKeys__{{ $index }}
  valueFrom:
    secretKeyRef:
      name: {{ include "egov-steering.authSecretName" $root }}
      key: {{ $key }}
{{- end }}
{{- include "egov-steering.telemetryEnv" . }}
{{- end -}}

{{/* The pod's identity for OpenTelemetry (OTEL_RESOURCE_ATTRIBUTES). Context: dict "root" $. */}}
{{- define "egov-steering.telemetryEnv" -}}
{{- $root := .root }}
- name: K8S_POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: K8S_NAMESPACE_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: K8S_NODE_NAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
{{- $attributes := list
  (printf "service.namespace=%s" (include "egov-steering.name" $root))
  (printf "service.version=%s" (default $root.Chart.AppVersion $root.Values.image.tag))
  (printf "service.instance.id=$(K8S_POD_NAME)")
  (printf "deployment.environment.name=%s" ($root.Values.environment | lower))
  "k8s.pod.name=$(K8S_POD_NAME)"
  "k8s.namespace.name=$(K8S_NAMESPACE_NAME)"
  "k8s.node.name=$(K8S_NODE_NAME)"
-}}
{{- range $key, $value := $root.Values.telemetry.resourceAttributes -}}
{{- $attributes = append $attributes (printf "%s=%s" $key (toString $value)) -}}
{{- end }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ join "," $attributes | quote }}
{{- end -}}

{{/* Seconds as a .NET TimeSpan (hh:mm:ss). Context: seconds. */}}
{{- define "egov-steering.timespan" -}}
{{- printf "%02d:%02d:%02d" (div . 3600) (mod (div . 60) 60) (mod . 60) -}}
{{- end -}}

{{/*
A probe with its gRPC port set from the service's grpcPort. The kubelet's gRPC probe speaks no TLS: with tls.enabled
a gRPC probe becomes an HTTP GET on the plain-text httpPort of what it asks (service "": readiness, /readyz;
"liveness": /healthz). Context: dict "probe" <values> "port" <grpcPort> "httpPort" <httpPort> "tls" <bool>.
*/}}
{{- define "egov-steering.probe" -}}
{{- $probe := deepCopy .probe -}}
{{- if and $probe.grpc .tls -}}
{{- $path := ternary "/readyz" "/healthz" (eq ($probe.grpc.service | default "") "") -}}
{{- $_ := unset $probe "grpc" -}}
{{- $_ := set $probe "httpGet" (dict "path" $path "port" (int .httpPort)) -}}
{{- else if $probe.grpc -}}
{{- $_ := set $probe.grpc "port" (int .port) -}}
{{- end -}}
{{- toYaml $probe -}}
{{- end -}}

{{/* Where a service's TLS Secret is mounted. */}}
{{- define "egov-steering.tlsMountPath" -}}
/etc/egov-steering/tls
{{- end -}}

{{/* The TLS Secret of a service. Context: dict "root" $ "name" <service>. */}}
{{- define "egov-steering.tlsSecretName" -}}
{{- get .root.Values.tls.secrets .name | default (printf "%s-tls" (include "egov-steering.serviceFullname" .)) -}}
{{- end -}}

{{/*
Refuses values that would install a release whose pods can never become ready: with NetworkPolicies on, a
dependency without peers is unreachable, and the failure would only show after the migration hook's deadline.
*/}}
{{- define "egov-steering.checkReachable" -}}
{{- if .Values.networkPolicy.enabled -}}
{{- $services := include "egov-steering.services" . | fromJson -}}
{{- $needed := dict -}}
{{- if $services -}}
{{- $_ := set $needed "infrastructure.postgresql.to" (list .Values.infrastructure.postgresql.to "PostgreSQL") -}}
{{- $_ := set $needed "infrastructure.rabbitmq.to" (list .Values.infrastructure.rabbitmq.to "RabbitMQ") -}}
{{- end -}}
{{- range $name, $svc := $services -}}
{{- if $svc.redis -}}
{{- $_ := set $needed "infrastructure.redis.to" (list $.Values.infrastructure.redis.to (printf "Redis (used by %s)" $name)) -}}
{{- end -}}
{{- end -}}
{{- if .Values.telemetry.otlp.endpoint -}}
{{- $_ := set $needed "telemetry.otlp.to" (list .Values.telemetry.otlp.to "the OpenTelemetry collector (telemetry.otlp.endpoint is set)") -}}
{{- end -}}
{{- if .Values.auth.authority -}}
{{- $_ := set $needed "auth.identityProvider.to" (list .Values.auth.identityProvider.to "the identity provider (auth.authority is set)") -}}
{{- end -}}
{{- $problems := list -}}
{{- range $value, $need := $needed -}}
{{- if not (index $need 0) -}}
{{- $problems = append $problems (printf "%s is empty: the pods could not reach %s" $value (index $need 1)) -}}
{{- end -}}
{{- end -}}
{{- if $problems -}}
{{- fail (printf "%s; they would never become ready. Set each to the NetworkPolicy peers (ipBlock, namespaceSelector, podSelector) where it runs (README.md, \"Deploying\"), or networkPolicy.enabled=false." (join "; " $problems)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The restricted Pod Security Standard, for the pod and each container. */}}
{{- define "egov-steering.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1654
runAsGroup: 1654
fsGroup: 1654
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "egov-steering.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* A NetworkPolicy rule as JSON: TCP on .ports to .to (peers). */}}
{{- define "egov-steering.tcpRule" -}}
{{- $ports := list -}}
{{- range .ports -}}
{{- $ports = append $ports (dict "protocol" "TCP" "port" .) -}}
{{- end -}}
{{- toJson (dict "ports" $ports "to" .to) -}}
{{- end -}}

{{/*
Egress rules as JSON that every pod of the release needs: DNS (UDP and TCP), then each dependency in .deps
(ports + to) that has peers: a dependency without peers gets no rule, so it stays unreachable, never open.
Context: dict "root" $ "deps" (list ...).
*/}}
{{- define "egov-steering.egressRules" -}}
{{- $dns := .root.Values.networkPolicy.dns -}}
{{- $dnsPorts := list -}}
{{- range $dns.ports -}}
{{- $dnsPorts = concat $dnsPorts (list (dict "protocol" "UDP" "port" .) (dict "protocol" "TCP" "port" .)) -}}
{{- end -}}
{{- $rules := list (dict "ports" $dnsPorts "to" $dns.to) -}}
{{- range .deps -}}
{{- if .to -}}
{{- $rules = append $rules (include "egov-steering.tcpRule" . | fromJson) -}}
{{- end -}}
{{- end -}}
{{- toJson $rules -}}
{{- end -}}
