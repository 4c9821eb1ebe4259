import { Generator } from "../components/generator";
import { validateConfig } from "../lib/config/schema";
import { planBundle } from "../lib/engine/plan";
import { buildGuide } from "../lib/guide/guide";

/** The guide for the default settings, rendered at build time so the first paint needs no engine. */
function defaultGuide() {
  const defaults = validateConfig({ password: "placeholder" });
  if (!defaults.ok) throw new Error("the default settings must be valid");
  return buildGuide(planBundle(defaults.config));
}

export default function Page() {
  return (
    <>
      <header className="page-header">
        <h1>pushgateway-auth</h1>
        <p>
          Basic auth for the prometheus-community <code>prometheus-pushgateway</code> Helm chart, with a ServiceMonitor
          Prometheus can scrape: <code>values.yaml</code>, Secrets and ServiceMonitor that agree on every name, key,
          namespace, label and hash, for your chart version.
        </p>
        <p className="privacy">
          Everything happens in this page: nothing you type is sent anywhere or stored. The password and its hash never
          go in the address; the other settings do, after the #, which browsers never send to a server.
        </p>
      </header>
      <main>
        <Generator initialGuide={defaultGuide()} />
      </main>
    </>
  );
}
