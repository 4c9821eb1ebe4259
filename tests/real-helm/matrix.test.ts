/**
 * Issue 12, "the matrix, for real": every vendored chart version x every strategy it allows x
 * Helm 3.17.2 and Helm 4.1.4. Each cell generates a bundle, renders the chart with real
 * `helm template` (plus the bundle's post-renderer for `patch`), and proves the rendered result:
 * the web config the Deployment mounts starts the real Pushgateway (401 without credentials),
 * every rendered probe passes, exactly one ServiceMonitor selects the Service with credentials
 * from Secrets in its own namespace, and the real Prometheus scrapes the target `up`. On 3.7.0+
 * two renders are byte-identical and neither values.yaml nor the render holds the password, in
 * any string, escaped or base64-encoded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dump, loadAll, YAML11_SCHEMA } from "js-yaml";
import { generate } from "../../lib/index";
import { HELM_MAJORS, helmBinary } from "../support/helm";
import { proveLive, proveManifests, SharedPrometheus } from "../support/helm-proof";
import { plaintextLeaks } from "../support/plaintext";
import { cellConfig, expectedOf, INPUTS, matrixCells, renderWithHelm, type Cell } from "../support/helm-matrix";

const CELLS = matrixCells();
const isExistingSecretChart = (v: string) => v.localeCompare("3.7.0", undefined, { numeric: true }) >= 0;

let prometheus: SharedPrometheus;
const started = Date.now();
let proven = 0;

beforeAll(async () => {
  for (const major of HELM_MAJORS) helmBinary(major);
  prometheus = await SharedPrometheus.start();
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `real-helm matrix: ${CELLS.length} (version, strategy) pairs x ${HELM_MAJORS.length} Helm majors = ${CELLS.length * HELM_MAJORS.length} cells, ${proven} proven, ${seconds} s`,
  );
}, 60_000);

const name = (c: Cell) => `chart ${c.chartVersion} ${c.mode} (${c.inputs.label})`;

describe.each(HELM_MAJORS)("Helm %i", (major) => {
  it.concurrent.each(CELLS.map((c) => [name(c), c] as const))(
    "%s",
    async (_, cell) => {
      const config = cellConfig(cell);
      const existingSecret = isExistingSecretChart(cell.chartVersion);
      const rendered = await renderWithHelm(major, config, undefined, { twice: existingSecret });
      if (existingSecret) {
        expect(rendered.again, "a second render must be byte-identical (no drift)").toBe(rendered.output);
        // Parsed, not searched: YAML escapes and base64 would hide the password from a substring search.
        expect(plaintextLeaks(rendered.files["values.yaml"] as string, config.password)).toEqual([]);
        expect(plaintextLeaks(rendered.output, config.password)).toEqual([]);
      }
      const expected = expectedOf(config);
      const proof = proveManifests(rendered.manifests, expected);
      expect(proof.problems).toEqual([]);
      expect(proof.httpProbes.length + proof.tcpProbes.length, "the chart renders both probes").toBe(2);
      const live = await proveLive(proof, expected, prometheus);
      expect(live).toEqual([]);
      proven++;
    },
    60_000,
  );
});

/** A bundle's secret.yaml with the scrape credentials Secret changed by `edit`. */
function editScrapeSecret(
  files: Record<string, string>,
  edit: (secret: Record<string, any>) => void,
): Record<string, string> {
  const docs = loadAll(files["secret.yaml"] as string, { schema: YAML11_SCHEMA }) as Record<string, any>[];
  const scrape = docs.find((d) => d?.type === "kubernetes.io/basic-auth");
  if (!scrape) throw new Error("no kubernetes.io/basic-auth Secret in secret.yaml");
  edit(scrape);
  return { ...files, "secret.yaml": docs.map((d) => dump(d)).join("---\n") };
}

describe("a deliberately broken bundle fails the proof", () => {
  // ServiceMonitor in another namespace than the release, so a Secret in the wrong one is wrong.
  const inputs = INPUTS.find(
    (i) => i.input.serviceMonitorNamespace && i.input.serviceMonitorNamespace !== i.input.namespace,
  )!;

  it.concurrent.each([
    ["3.8.0", "values", 4],
    ["2.14.0", "standalone", 3],
    ["3.4.0", "values", 4],
  ] as const)(
    "chart %s %s, Helm %i: scrape Secret in the release namespace, or with a wrong password",
    async (chartVersion, mode, major) => {
      const config = cellConfig({ chartVersion, mode, inputs });
      const good = generate(config).files;
      const expected = expectedOf(config);

      // The unbroken bundle passes: the failures below are the edits' doing.
      const control = proveManifests((await renderWithHelm(major, config, good)).manifests, expected);
      expect(control.problems).toEqual([]);

      const wrongNamespace = editScrapeSecret(good, (s) => (s.metadata.namespace = config.namespace));
      const moved = proveManifests((await renderWithHelm(major, config, wrongNamespace)).manifests, expected);
      expect(moved.problems.join("\n")).toMatch(/basicAuth\.username: Secret .* is neither rendered nor in the bundle/);
      expect(moved.scrape).toBeUndefined();

      const wrongPassword = editScrapeSecret(good, (s) => (s.stringData.password = "not-the-password"));
      const rendered = await renderWithHelm(major, config, wrongPassword);
      const proof = proveManifests(rendered.manifests, expected);
      expect(proof.problems).toEqual(["the scrape password is not the user's password"]);
      const live = await proveLive(proof, expected, prometheus);
      expect(live.join("\n")).toMatch(/Prometheus scraping with .*: down \(.*401/);
    },
    60_000,
  );

  it("chart 2.14.0 patch rendered without its post-renderer: the chart's ServiceMonitor has no basicAuth", async () => {
    const config = cellConfig({ chartVersion: "2.14.0", mode: "patch", inputs });
    const files = Object.fromEntries(
      Object.entries(generate(config).files).filter(([n]) => !n.endsWith(".sh") && !n.endsWith("plugin.yaml")),
    );
    const proof = proveManifests((await renderWithHelm(3, config, files)).manifests, expectedOf(config));
    expect(proof.problems.join("\n")).toMatch(/ServiceMonitor .* has no basicAuth/);
  });
});
