/**
 * Deploy with Argo CD or Flux (issue 14): the choice changes the files, the checks and the guide
 * as it is made; Argo CD does not offer the patch strategy and says why; "Download all" gives
 * what the CLI writes for the same settings.
 */
import { expect, test, type Page } from "@playwright/test";
import { hashSync } from "bcryptjs";
import { field, fileNames, fileRegion, runCli, setPassword, unzipDownload } from "./helpers";

const PASSWORD = "s3cret: 'pass' #1";

const pageErrors: Error[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on("pageerror", (error) => pageErrors.push(error));
  await page.goto("/");
});
test.afterEach(() => expect(pageErrors).toEqual([]));

const checks = (page: Page) => page.getByRole("region", { name: "Consistency checks" });
const guide = (page: Page) => page.getByRole("region", { name: "Deploy and verify" });
const radio = (page: Page, mode: string) => page.getByRole("radio", { name: new RegExp(`^${mode}\\b`) });
const GITOPS_CHECK = "The GitOps object deploys this release";
const ARGO_DRIFT_CHECK = "Argo CD shows the re-rendered web config or probes as drift";

test("choosing Flux and then Argo CD changes the files, the checks and the guide; Argo CD offers no patch, and says why", async ({
  page,
}) => {
  await field(page, "Chart version").fill("2.14.0");
  await setPassword(page, PASSWORD);
  const deploy = field(page, "Deploy with");
  await expect(deploy).toHaveValue("helm");
  await radio(page, "patch").check();
  await expect
    .poll(() => fileNames(page))
    .toEqual([
      "values.yaml",
      "secret.yaml",
      "post-renderer/servicemonitor-patch.yaml",
      "post-renderer/kustomization.yaml",
      "post-renderer/post-renderer.sh",
      "post-renderer/plugin.yaml",
      "README.md",
    ]);
  await expect(guide(page)).toContainText("helm upgrade --install");
  await expect(checks(page)).not.toContainText(GITOPS_CHECK);

  // Flux: an OCIRepository and a HelmRelease; the patch becomes the HelmRelease's postRenderers.
  await deploy.selectOption({ label: "Flux" });
  await expect
    .poll(() => fileNames(page))
    .toEqual(["secret.yaml", "ocirepository.yaml", "helmrelease.yaml", "helmrelease-values-secret.yaml", "README.md"]);
  await expect(radio(page, "patch")).toBeChecked();
  await expect(fileRegion(page, "ocirepository.yaml")).toContainText(
    "url: oci://ghcr.io/prometheus-community/charts/prometheus-pushgateway",
  );
  const helmRelease = fileRegion(page, "helmrelease.yaml");
  await expect(helmRelease).toContainText("kind: HelmRelease");
  await expect(helmRelease).toContainText("postRenderers:");
  await expect(helmRelease).toContainText("valuesFrom:");
  await expect(helmRelease).not.toContainText(PASSWORD);
  await expect(checks(page)).toContainText(GITOPS_CHECK);
  await expect(checks(page)).not.toContainText(ARGO_DRIFT_CHECK);
  await expect(guide(page)).toContainText("flux reconcile helmrelease pushgateway");
  await expect(guide(page)).not.toContainText("helm upgrade --install");
  await expect(page.getByText(/is not offered with/)).toHaveCount(0);

  // Argo CD: one Application; patch is not offered (no post-renderer) and falls back to standalone.
  await deploy.selectOption({ label: "Argo CD" });
  await expect
    .poll(() => fileNames(page))
    .toEqual(["secret.yaml", "servicemonitor.yaml", "application.yaml", "README.md"]);
  await expect(radio(page, "patch")).toHaveCount(0);
  await expect(radio(page, "standalone")).toBeChecked();
  const strategy = page.getByRole("group", { name: "ServiceMonitor strategy" });
  await expect(strategy).toContainText(
    "patch is not offered with Argo CD: Argo CD has no Helm post-renderer, so the chart's ServiceMonitor cannot be patched; standalone ships a ServiceMonitor with basicAuth instead.",
  );
  const application = fileRegion(page, "application.yaml");
  await expect(application).toContainText("kind: Application");
  await expect(application).toContainText("valuesObject:");
  await expect(application).toContainText("ignoreDifferences:");
  await expect(application).toContainText("- CreateNamespace=true");
  await expect(checks(page)).toContainText(GITOPS_CHECK);
  await expect(checks(page)).toContainText(ARGO_DRIFT_CHECK);
  await expect(checks(page)).toContainText("Application's helm.valuesObject, which goes to Git");
  await expect(guide(page)).toContainText("argocd repo add ghcr.io/prometheus-community/charts");
  await expect(guide(page)).toContainText("argocd app wait pushgateway");
  await expect(guide(page)).not.toContainText("flux reconcile");

  // Back to the Helm CLI: patch is offered again.
  await deploy.selectOption({ label: "Helm CLI" });
  await expect(radio(page, "patch")).toHaveCount(1);
  await expect(page.getByText(/is not offered with/)).toHaveCount(0);
  await expect.poll(() => fileNames(page)).toEqual(["values.yaml", "secret.yaml", "servicemonitor.yaml", "README.md"]);
});

for (const [tool, label, version, mode] of [
  ["flux", "Flux", "3.4.0", null],
  ["flux", "Flux", "2.14.0", "patch"],
  ["flux", "Flux", "3.8.0", null],
  ["argocd", "Argo CD", "3.1.0", null],
  ["argocd", "Argo CD", "3.8.0", null],
] as const) {
  test(`Download all with ${label} (chart ${version}${mode ? `, ${mode}` : ""}) equals the CLI's --deploy ${tool} output`, async ({
    page,
  }) => {
    const hash = hashSync(PASSWORD, 10);
    await field(page, "Chart version").fill(version);
    await field(page, "Release name").fill("gw");
    await field(page, "Namespace").fill("jobs");
    await field(page, "Deploy with").selectOption({ label });
    if (mode) await radio(page, mode).check();
    await page.getByText("Reuse an existing bcrypt hash").click();
    await field(page, "Password hash").fill(hash);
    await setPassword(page, PASSWORD);
    await expect(fileRegion(page, "values.yaml")).toHaveCount(0);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download all" }).click(),
    ]);
    const zipped = await unzipDownload(download);
    expect(Object.keys(zipped).filter((f) => f === "values.yaml" || f.startsWith("post-renderer"))).toEqual([]);
    if (mode === "patch") expect(zipped["helmrelease.yaml"]).toContain("postRenderers:");
    // README.md's share link needs the page's address (--from-url); the flags say the same.
    const cli = runCli(
      [
        "--from-url",
        await field(page, "Share link").inputValue(),
        "--deploy",
        tool,
        "--chart-version",
        version,
        "--release",
        "gw",
        "--namespace",
        "jobs",
        "--password-hash",
        hash,
        ...(mode ? ["--servicemonitor-mode", mode] : []),
      ],
      PASSWORD,
    );
    expect(Object.keys(zipped).sort()).toEqual(Object.keys(cli).sort());
    expect(zipped).toEqual(cli);
  });
}
