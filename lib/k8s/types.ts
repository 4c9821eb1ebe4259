/** The few Kubernetes and Prometheus Operator shapes the engine builds and inspects. */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}

export interface SecretKeySelector {
  name: string;
  key: string;
}

export interface BasicAuth {
  username: SecretKeySelector;
  password: SecretKeySelector;
}

export interface Secret {
  apiVersion: "v1";
  kind: "Secret";
  metadata: ObjectMeta;
  type?: string;
  stringData?: Record<string, string>;
  data?: Record<string, string>;
}

export interface ServiceMonitorEndpoint {
  port?: string;
  path?: string;
  interval?: string;
  scrapeTimeout?: string;
  honorLabels?: boolean;
  basicAuth?: BasicAuth;
  [key: string]: unknown;
}

export interface ServiceMonitor {
  apiVersion: "monitoring.coreos.com/v1";
  kind: "ServiceMonitor";
  metadata: ObjectMeta;
  spec: {
    endpoints: ServiceMonitorEndpoint[];
    namespaceSelector?: { matchNames?: string[]; any?: boolean };
    selector: { matchLabels?: Record<string, string> };
    [key: string]: unknown;
  };
}

export interface Service {
  apiVersion: "v1";
  kind: "Service";
  metadata: ObjectMeta;
  spec: { ports: { name: string; port: number; targetPort: number }[]; selector: Record<string, string> };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
}

export interface NetworkPolicyPeer {
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
}

export interface NetworkPolicy {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  metadata: ObjectMeta;
  spec: {
    podSelector: LabelSelector;
    ingress: { ports: { port: number }[]; from?: NetworkPolicyPeer[] }[];
  };
}

/** One RFC 6902 operation; the engine only ever adds. */
export interface JsonPatchOperation {
  op: "add";
  path: string;
  value: unknown;
}
