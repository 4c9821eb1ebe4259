import { describe, expect, it } from "vitest";
import { buildGuide, FILE_NAMES, generate, planBundle, validateConfig, type GuideStep } from "../../lib/index";

const PASSWORD = "Zx9-unique-Passw0rd";

function guideFor(input: Record<string, unknown>) {
  const result = validateConfig({ ...input, password: PASSWORD, passwordHash: `$2b$10$${"a".repeat(53)}` });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const steps = buildGuide(planBundle(result.config));
  const code = (id: string) => steps.find((s: GuideStep) => s.id === id)?.snippet?.code ?? "";
  return { config: result.config, steps, code };
}

describe("the deploy-and-verify guide", () => {
  it("creates every namespace the Secrets go to, once each", () => {
    expect(guideFor({ namespace: "jobs", serviceMonitorNamespace: "observability" }).code("namespaces")).toBe(
      "kubectl create namespace jobs --dry-run=client -o yaml | kubectl apply -f -\nkubectl create namespace observability --dry-run=client -o yaml | kubectl apply -f -",
    );
    expect(guideFor({ namespace: "jobs" }).code("namespaces").split("\n")).toHaveLength(1);
  });

  it.each([
    [
      "3.8.0",
      "values",
      "helm upgrade --install gw oci://ghcr.io/prometheus-community/charts/prometheus-pushgateway --version 3.8.0 -n jobs -f values.yaml",
      null,
    ],
    ["2.14.0", "standalone", "--version 2.14.0 -n jobs -f values.yaml", "kubectl apply -f servicemonitor.yaml"],
    [
      "2.14.0",
      "patch",
      "--version 2.14.0 -n jobs -f values.yaml --post-renderer pushgateway-auth-jobs-gw-prometheus-pushgateway",
      null,
    ],
  ])("installs chart %s with the %s strategy", (chartVersion, mode, helm, extra) => {
    const { code, steps } = guideFor({ chartVersion, serviceMonitorMode: mode, releaseName: "gw", namespace: "jobs" });
    expect(code("secrets")).toBe("kubectl apply -f secret.yaml");
    // The chart's OCI location first; the Helm repository as a commented alternative.
    expect(code("chart").split("\n")[mode === "patch" ? 4 : 0]).toContain(
      "helm upgrade --install gw oci://ghcr.io/prometheus-community/charts/prometheus-pushgateway",
    );
    expect(code("chart")).toContain(
      "# helm repo add prometheus-community https://prometheus-community.github.io/helm-charts",
    );
    const repoInstall = "helm upgrade --install gw prometheus-community/prometheus-pushgateway";
    if (mode !== "patch") expect(code("chart")).toContain(`# ${repoInstall}`);
    expect(code("chart")).toContain(helm);
    if (mode === "patch") {
      expect(code("chart")).toContain("chmod +x post-renderer/post-renderer.sh");
      // Helm 4 takes an installed plugin's name, Helm 3 the script's path; the block asks Helm
      // which it is, so it works pasted whole (tests/real-helm/guide-commands.test.ts runs it).
      expect(code("chart")).toMatch(
        /^case "\$\(helm version --short\)" in\n {2}v4\*\)\n.*helm plugin install \.\/post-renderer\n/m,
      );
      expect(code("chart")).toMatch(
        /\n {2}\*\)\n.*-f values\.yaml --post-renderer \.\/post-renderer\/post-renderer\.sh ;;\nesac\n/,
      );
      // The repository alternative, for both.
      expect(code("chart")).toContain(`# Helm 4: ${repoInstall}`);
      expect(code("chart")).toMatch(
        /# Helm 3: helm upgrade --install gw prometheus-community\S+ .*--post-renderer \.\/post-renderer\/post-renderer\.sh$/,
      );
    }
    expect(code("servicemonitor") || null).toBe(extra);
    // Secrets first, then the chart, then what refers to it.
    const order = steps.map((s) => s.id);
    expect(order.indexOf("secrets")).toBeLessThan(order.indexOf("chart"));
  });

  it("verifies with the names of this config, reading the credentials from the Secret", () => {
    const { code } = guideFor({
      releaseName: "gw",
      namespace: "jobs",
      serviceMonitorNamespace: "obs",
      prometheusNamespace: "prom",
    });
    expect(code("verify-auth")).toContain("kubectl -n jobs port-forward svc/gw-prometheus-pushgateway 9091:9091 &");
    expect(code("verify-auth")).toContain(
      "kubectl -n obs get secret gw-prometheus-pushgateway-scrape-auth -o jsonpath='{.data.password}' | base64 -d",
    );
    expect(code("verify-auth")).toMatch(
      /http:\/\/127\.0\.0\.1:9091\/metrics {2}# 401\n.*-u "\$PGW_USER:\$PGW_PASSWORD" .* {2}# 200$/,
    );
    expect(code("verify-prometheus")).toContain("kubectl -n prom port-forward svc/prometheus-operated 9090:9090 &");
    expect(code("verify-prometheus")).toContain('startswith("serviceMonitor/obs/gw-prometheus-pushgateway/")');
    for (const id of ["push-curl", "push-python", "push-go"]) {
      expect(code(id)).toContain("http://gw-prometheus-pushgateway.jobs.svc:9091");
    }
  });

  it("never holds the password or its hash, in the steps or in README.md", () => {
    for (const chartVersion of ["2.14.0", "3.1.0", "3.8.0"]) {
      const { config, steps } = guideFor({ chartVersion });
      expect(JSON.stringify(steps)).not.toContain(PASSWORD);
      const readme = generate(config).files[FILE_NAMES.readme] as string;
      expect(readme).not.toContain(PASSWORD);
      expect(readme).not.toContain("$2b$");
    }
  });

  it("mentions the pushers' label when a NetworkPolicy admits only them", () => {
    const { steps } = guideFor({ networkPolicyEnabled: true, networkPolicyPusherPods: "role=batch" });
    expect(steps.find((s) => s.id === "push-curl")?.text).toContain("only admits pods labelled role=batch");
  });
});

describe("the guide with another scraper", () => {
  it("reads the password from the same file whether the Operator's guide or --scraper prometheus wires Prometheus", () => {
    const fileIn = (code: string) => /password_file: (\S+)/.exec(code)?.[1];
    const operator = fileIn(guideFor({}).code("plain-prometheus"));
    const prometheus = generate(guideFor({ scraper: "prometheus" }).config).files[FILE_NAMES.prometheusJob] as string;
    expect(operator).toMatch(/^\/etc\/prometheus\/secrets\/[^/]+-scrape-auth\/password$/);
    expect(fileIn(prometheus)).toBe(operator);
  });

  it.each(["scrapeconfig", "victoriametrics", "alloy", "prometheus"])(
    "--scraper %s: the bundle's README names the scraper, not a ServiceMonitor strategy",
    (scraper) => {
      const readme = generate(guideFor({ scraper }).config).files[FILE_NAMES.readme] as string;
      const header = readme.split("\n")[2] as string;
      expect(header).toMatch(/^prometheus-pushgateway chart [\d.]+, scraped by .+\. Generated by pushgateway-auth\.$/);
      expect(header).not.toContain("strategy");
    },
  );
});
