{{- define "meshgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "meshgate.fullname" -}}
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

{{- define "meshgate.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "meshgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "meshgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "meshgate.labels" -}}
helm.sh/chart: {{ include "meshgate.chart" . }}
{{ include "meshgate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "meshgate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "meshgate.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* --port-map 80=8080,443=8443 */}}
{{- define "meshgate.portMap" -}}
{{- $pairs := list }}
{{- range .Values.ports }}
{{- $pairs = append $pairs (printf "%d=%d" (int .port) (int .targetPort)) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{/* --labels istio=ingressgateway,... (sorted, as Go templates range maps) */}}
{{- define "meshgate.labelArg" -}}
{{- $pairs := list }}
{{- range $k, $v := .Values.labels }}
{{- $pairs = append $pairs (printf "%s=%s" $k $v) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{- define "meshgate.headlessName" -}}
{{- printf "%s-hazelcast" (include "meshgate.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The read-only rules of the Kubernetes config source; the chart test compares them with the code's list. */}}
{{- define "meshgate.configRules" -}}
- apiGroups: ["networking.istio.io"]
  resources: ["gateways", "virtualservices", "destinationrules", "serviceentries", "sidecars", "workloadentries", "workloadgroups"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["security.istio.io"]
  resources: ["authorizationpolicies", "peerauthentications", "requestauthentications"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["telemetry.istio.io"]
  resources: ["telemetries"]
  verbs: ["get", "list", "watch"]
{{- if .Values.kubernetes.writeStatus }}
- apiGroups: ["networking.istio.io"]
  resources: ["gateways/status", "virtualservices/status", "destinationrules/status", "serviceentries/status", "sidecars/status", "workloadentries/status", "workloadgroups/status"]
  verbs: ["patch"]
- apiGroups: ["security.istio.io"]
  resources: ["authorizationpolicies/status", "peerauthentications/status", "requestauthentications/status"]
  verbs: ["patch"]
- apiGroups: ["telemetry.istio.io"]
  resources: ["telemetries/status"]
  verbs: ["patch"]
{{- end }}
{{- if .Values.kubernetes.serviceRegistry }}
- apiGroups: [""]
  resources: ["services", "pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["get", "list", "watch"]
{{- end }}
{{- end }}
