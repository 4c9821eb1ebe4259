import { Generator, type InitialPreview } from "../components/generator";
import { GuideSteps } from "../components/guide-steps";
import { GUIDE_ID, GUIDE_STATUS_ID } from "../components/island-ids";
import { ImportView } from "../components/import-view";
import { yamlHtmlLines } from "../components/yaml-code";
import { GuideIsland, ImportIsland } from "../components/islands";
import {
  buildGuide,
  DEFAULTS,
  encodeShareFragment,
  HASH_PLACEHOLDER,
  PASSWORD_PLACEHOLDER,
  placeholderBundle,
  planBundle,
  validateConfig,
} from "../lib/index";

/**
 * Rendered at build time: the whole page for the default settings, files included (with
 * placeholders for the password), so the first paint needs neither the engine nor a script.
 * Only what is interactive hydrates, each part when needed: the form, the preview and the share
 * link on the first interaction with them, the import panel and the guide's Copy buttons when
 * they come into view or are touched.
 */
function defaults() {
  const result = validateConfig({ ...DEFAULTS, password: "placeholder" });
  if (!result.ok) throw new Error("the default settings must be valid");
  const settings = result.config;
  const bundle = placeholderBundle({ ...settings, password: "" });
  const marks = [PASSWORD_PLACEHOLDER, HASH_PLACEHOLDER];
  const html = Object.fromEntries(
    Object.entries(bundle.files)
      .filter(([name]) => !name.endsWith(".md"))
      .map(([name, text]) => [name, yamlHtmlLines(text, name.endsWith(".sh"), marks)]),
  );
  const initial: InitialPreview = {
    files: bundle.files,
    placeholders: bundle.placeholders,
    checks: bundle.checks,
    waiting: bundle.waiting,
    marks,
    html,
  };
  return { initial, guide: buildGuide(planBundle(settings)), guideKey: encodeShareFragment(settings) };
}

export default function Page() {
  const { initial, guide, guideKey } = defaults();
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
        <Generator
          initial={initial}
          guideKey={guideKey}
          importPanel={
            <ImportIsland>
              <ImportView />
            </ImportIsland>
          }
          guide={
            <section id={GUIDE_ID} className="guide" aria-labelledby="guide-heading">
              <h2 id="guide-heading">Deploy and verify</h2>
              <GuideIsland initialKey={guideKey}>
                <GuideSteps steps={guide} />
              </GuideIsland>
              <p id={GUIDE_STATUS_ID} role="status" className="visually-hidden" />
            </section>
          }
        />
      </main>
    </>
  );
}
