{{/* Chart name, overridable. */}}
{{- define "dm-java.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/*
Base name of every resource. Kept to 40 characters so that "<base>-worker-headless" and the pods'
controller-revision-hash labels stay within Kubernetes' 63-character limits.
*/}}
{{- define "dm-java.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "dm-java.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every resource. */}}
{{- define "dm-java.labels" -}}
helm.sh/chart: {{ include "dm-java.chart" . }}
app.kubernetes.io/name: {{ include "dm-java.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: dm-java
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "master"). */}}
{{- define "dm-java.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dm-java.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels of one component's resources and pods. */}}
{{- define "dm-java.componentLabels" -}}
{{ include "dm-java.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "dm-java.etcd.name" -}}{{ include "dm-java.fullname" . }}-etcd{{- end -}}
{{- define "dm-java.master.name" -}}{{ include "dm-java.fullname" . }}-master{{- end -}}
{{- define "dm-java.master.headless" -}}{{ include "dm-java.fullname" . }}-master-headless{{- end -}}
{{- define "dm-java.worker.name" -}}{{ include "dm-java.fullname" . }}-worker{{- end -}}
{{- define "dm-java.worker.headless" -}}{{ include "dm-java.fullname" . }}-worker-headless{{- end -}}

{{/* "<namespace>.svc.<cluster domain>": the suffix of in-cluster DNS names. */}}
{{- define "dm-java.svcSuffix" -}}
{{- printf "%s.svc.%s" .Release.Namespace .Values.clusterDomain -}}
{{- end -}}

{{/* True (non-empty) when the chart runs etcd itself. */}}
{{- define "dm-java.etcd.internal" -}}
{{- if not .Values.etcd.external.endpoints -}}true{{- end -}}
{{- end -}}

{{/* Client URLs of the cluster's etcd, comma separated: external ones, or the chart's members. */}}
{{- define "dm-java.etcd.endpoints" -}}
{{- if .Values.etcd.external.endpoints -}}
{{- join "," .Values.etcd.external.endpoints -}}
{{- else -}}
{{- $name := include "dm-java.etcd.name" . -}}
{{- $suffix := include "dm-java.svcSuffix" . -}}
{{- $urls := list -}}
{{- range $i := until (int .Values.etcd.replicas) -}}
{{- $urls = append $urls (printf "http://%s-%d.%s.%s:%d" $name $i $name $suffix (int $.Values.etcd.clientPort)) -}}
{{- end -}}
{{- join "," $urls -}}
{{- end -}}
{{- end -}}

{{/* --initial-cluster of the chart's etcd members. */}}
{{- define "dm-java.etcd.initialCluster" -}}
{{- $name := include "dm-java.etcd.name" . -}}
{{- $suffix := include "dm-java.svcSuffix" . -}}
{{- $members := list -}}
{{- range $i := until (int .Values.etcd.replicas) -}}
{{- $members = append $members (printf "%s-%d=http://%s-%d.%s.%s:%d" $name $i $name $i $name $suffix (int $.Values.etcd.peerPort)) -}}
{{- end -}}
{{- join "," $members -}}
{{- end -}}

{{/* Name of the Secret holding the key file. */}}
{{- define "dm-java.secretName" -}}
{{- default (printf "%s-secret" (include "dm-java.fullname" .)) .Values.secret.existingSecret -}}
{{- end -}}

{{/* dm.secret.key-file inside the containers. */}}
{{- define "dm-java.secretKeyFile" -}}
{{- printf "%s/%s" (trimSuffix "/" .Values.secret.mountPath) .Values.secret.key -}}
{{- end -}}

{{/* The key-file volume, shared by masters and workers. */}}
{{- define "dm-java.secretVolume" -}}
- name: secret-key
  secret:
    secretName: {{ include "dm-java.secretName" . }}
    defaultMode: 288 # 0440: owner and group (fsGroup) read
    items:
      - key: {{ .Values.secret.key }}
        path: {{ .Values.secret.key }}
{{- end -}}

{{- define "dm-java.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}
