import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Images the artifacts pin: NATS with JetStream, and nginx as the one port in front of the replicas. */
export const SELF_HOST_IMAGES = { nats: 'nats:2.10.24-alpine', proxy: 'nginx:1.27.3-alpine' } as const;

export interface SelfHostNames {
  /** The app's container image (built from the Dockerfile next to these files). */
  image: string;
  /** DNS-safe app name for services and labels. */
  name: string;
}

/** A DNS label (RFC 1123): lower case, digits and '-', at most 63 characters. */
export function dnsName(name: string): string {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return label || 'app';
}

/**
 * `compose.yaml`: NATS with JetStream on a named volume, three app replicas that reach it through
 * `POLYCLOUD_NATS_URL`, and nginx publishing one port (8080) in front of them. nginx re-resolves the
 * `app` service name every 5 s through Docker's DNS, so scaled or restarted replicas join the rotation.
 */
export function composeFile({ image, name }: SelfHostNames): string {
  return `# Written by \`polycloud build --provider node\`. Start: docker compose up --build
# Three replicas share queues, topics and schedules through NATS JetStream (see @polycloud/node's README).
name: ${name}
services:
  nats:
    image: ${SELF_HOST_IMAGES.nats}
    command: ["-js", "-sd", "/data", "-m", "8222"]
    volumes:
      - nats-data:/data
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "-", "http://127.0.0.1:8222/healthz?js-enabled-only=true"]
      interval: 5s
      timeout: 3s
      retries: 10
  app:
    image: ${image}
    build: .
    environment:
      PORT: "8080"
      HOST: 0.0.0.0
      POLYCLOUD_NATS_URL: nats://nats:4222
      # Set to reach /_polycloud/* (enqueue, invoke, dead letters) with Authorization: Bearer <token>.
      POLYCLOUD_INTERNAL_TOKEN: \${POLYCLOUD_INTERNAL_TOKEN:-}
    depends_on:
      nats:
        condition: service_healthy
    deploy:
      replicas: 3
    # The server drains for up to 25 s on SIGTERM; give it that before SIGKILL.
    stop_grace_period: 30s
    healthcheck:
      test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
      interval: 10s
      timeout: 3s
      retries: 3
  proxy:
    image: ${SELF_HOST_IMAGES.proxy}
    ports:
      - "8080:8080"
    volumes:
      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro
    depends_on:
      - app
volumes:
  nats-data:
`;
}

/** nginx in front of the replicas; keep-alive to upstream shorter than the app's 65 s keep-alive timeout. */
export function nginxConf(): string {
  return `# Written by \`polycloud build --provider node\`: one port in front of every app replica.
server {
  listen 8080;
  # Docker's DNS; re-resolved every 5 s, so each replica behind "app" gets requests.
  resolver 127.0.0.11 valid=5s ipv6=off;
  set $app http://app:8080;
  client_max_body_size 6m;
  location / {
    proxy_pass $app;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    # A replica answering 503 while it drains: try another one.
    proxy_next_upstream error timeout http_503;
  }
}
`;
}

/**
 * Kubernetes manifests: the app as a Deployment of three replicas with a Service, and NATS as a
 * one-node StatefulSet with a persistent volume. For a NATS cluster in production use the official
 * Helm chart (https://github.com/nats-io/k8s, `helm install nats nats/nats --set config.jetstream.enabled=true`)
 * and point POLYCLOUD_NATS_URL at it.
 */
export function kubernetesFiles({ image, name }: SelfHostNames): Record<string, string> {
  const app = `# Written by \`polycloud build --provider node\`. Build and push the image, then: kubectl apply -f k8s/
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { app.kubernetes.io/name: ${name} }
spec:
  replicas: 3
  selector:
    matchLabels: { app.kubernetes.io/name: ${name} }
  template:
    metadata:
      labels: { app.kubernetes.io/name: ${name} }
    spec:
      # The server drains for up to 25 s after SIGTERM (plus the 5 s preStop pause below).
      terminationGracePeriodSeconds: 35
      containers:
        - name: app
          image: ${image}
          ports:
            - { name: http, containerPort: 8080 }
          env:
            - { name: PORT, value: "8080" }
            - { name: HOST, value: 0.0.0.0 }
            - { name: POLYCLOUD_NATS_URL, value: "nats://nats:4222" }
            - name: POLYCLOUD_INTERNAL_TOKEN
              valueFrom:
                secretKeyRef: { name: ${name}-internal, key: token, optional: true }
          readinessProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 5
          livenessProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 10
            failureThreshold: 3
          lifecycle:
            # Endpoints are removed asynchronously: keep serving 5 s so no new request lands after the drain starts.
            preStop:
              exec: { command: ["sleep", "5"] }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 512Mi }
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels: { app.kubernetes.io/name: ${name} }
spec:
  selector: { app.kubernetes.io/name: ${name} }
  ports:
    - { name: http, port: 80, targetPort: http }
`;
  const nats = `# Written by \`polycloud build --provider node\`: a one-node NATS with JetStream on a persistent volume.
# For a 3-node cluster use the NATS Helm chart (https://github.com/nats-io/k8s) with JetStream enabled,
# set the streams' replicas with providers.node.broker.replicas, and keep POLYCLOUD_NATS_URL pointing at it.
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: nats
  labels: { app.kubernetes.io/name: nats }
spec:
  serviceName: nats
  replicas: 1
  selector:
    matchLabels: { app.kubernetes.io/name: nats }
  template:
    metadata:
      labels: { app.kubernetes.io/name: nats }
    spec:
      containers:
        - name: nats
          image: ${SELF_HOST_IMAGES.nats}
          args: ["-js", "-sd", "/data", "-m", "8222"]
          ports:
            - { name: client, containerPort: 4222 }
            - { name: monitor, containerPort: 8222 }
          readinessProbe:
            httpGet: { path: "/healthz?js-enabled-only=true", port: monitor }
          volumeMounts:
            - { name: data, mountPath: /data }
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests: { storage: 5Gi }
---
apiVersion: v1
kind: Service
metadata:
  name: nats
  labels: { app.kubernetes.io/name: nats }
spec:
  selector: { app.kubernetes.io/name: nats }
  ports:
    - { name: client, port: 4222, targetPort: client }
`;
  return { 'k8s/app.yaml': app, 'k8s/nats.yaml': nats };
}

/** Writes compose.yaml, nginx.conf and k8s/*.yaml into `outDir`; returns their paths relative to it. */
export function writeSelfHostArtifacts(outDir: string, names: SelfHostNames): string[] {
  const files: Record<string, string> = {
    'compose.yaml': composeFile(names),
    'nginx.conf': nginxConf(),
    ...kubernetesFiles(names),
  };
  mkdirSync(join(outDir, 'k8s'), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(outDir, file), text);
  return Object.keys(files);
}
