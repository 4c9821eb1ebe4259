/**
 * Push users in the page: one user per job that pushes, each with a Secret in its own namespace
 * and its own bcrypt hash in the web config; share links carry their names and namespaces,
 * never their passwords; and the rotation planner's three phases.
 */
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { compareSync } from "bcryptjs";
import { parseAllDocuments } from "yaml";
import { field, fileRegion, setPassword, shownText, unzipDownload } from "./helpers";

const PASSWORD = "Scr4pe-Pushers-Pass";
const PUSHERS = [
  { name: "backup", namespace: "batch", password: "B4ckup-Only-Pass" },
  { name: "etl", namespace: "data", password: "Etl-Only-Pass-77" },
];
const SECRETS = [PASSWORD, ...PUSHERS.map((p) => p.password)];

const pageErrors: Error[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on("pageerror", (error) => pageErrors.push(error));
});
test.afterEach(() => expect(pageErrors).toEqual([]));

/** Adds the pushers in the form, row by row. */
async function addPushers(page: Page, pushers: typeof PUSHERS) {
  for (const [i, p] of pushers.entries()) {
    await page.getByRole("button", { name: "Add pusher" }).click();
    await field(page, `Pusher ${i + 1} name`).fill(p.name);
    await field(page, `Pusher ${i + 1} namespace`).fill(p.namespace);
    await field(page, `Pusher ${i + 1} password`).fill(p.password);
  }
}

/**
 * Waits until no file waits for a hash any more and the files can be downloaded (three bcrypt
 * hashes in a row: given time on a loaded machine).
 */
async function filesReady(page: Page) {
  await expect(page.getByText("Computing the bcrypt hash")).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByRole("button", { name: "Download all" })).toBeEnabled();
}

/** Everything a browser context keeps that a password could leak into (as e2e/share-link.spec.ts). */
async function traces(page: Page, context: BrowserContext): Promise<string> {
  const stored = await page.evaluate(() =>
    JSON.stringify({
      url: location.href,
      history: history.state,
      local: { ...localStorage },
      session: { ...sessionStorage },
      cookies: document.cookie,
    }),
  );
  return stored + JSON.stringify(await context.cookies());
}

interface Doc {
  kind: string;
  metadata: { name: string; namespace: string };
  type?: string;
  stringData: Record<string, string>;
}
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Doc);

test("two pushers: their Secrets and web config users update live, the zip holds each Secret and hash, no password leaks", async ({
  page,
  context,
}) => {
  const seen: string[] = [];
  page.on("request", (r) => seen.push(r.url(), r.postData() ?? "", JSON.stringify(r.headers())));
  page.on("console", (m) => seen.push(m.text()));
  await page.goto("/");
  await setPassword(page, PASSWORD);
  await addPushers(page, PUSHERS);
  await filesReady(page);

  // Each pusher's Secret, in its namespace, shown with its password masked.
  const secrets = fileRegion(page, "pusher-secrets.yaml");
  await expect(secrets).toContainText("name: pushgateway-prometheus-pushgateway-push-backup");
  await expect(secrets).toContainText("namespace: batch");
  await expect(secrets).toContainText("name: pushgateway-prometheus-pushgateway-push-etl");
  await expect(secrets).toContainText("namespace: data");
  expect(await shownText(page, "pusher-secrets.yaml")).not.toContain(PUSHERS[0]!.password);
  await expect(fileRegion(page, "pusher-cronjob.example.yaml")).toContainText("secretKeyRef");
  // The web config lists every user with a hash.
  await expect
    .poll(
      async () => (await shownText(page, "secret.yaml")).match(/^ {6}(prometheus|backup|etl): \$2[aby]\$/gm)?.length,
    )
    .toBe(3);

  // A bad name, and a name taken by another user, are said next to the field.
  const name = field(page, "Pusher 2 name");
  await name.fill("backup");
  await expect(page.getByText('Pusher "backup" is listed twice')).toBeVisible();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await name.fill("Not_A_Name");
  await expect(name).toHaveAccessibleDescription(/Pusher "Not_A_Name": name /);
  await name.fill("prometheus");
  await expect(name).toHaveAccessibleDescription(/has the scrape user's name/);
  await field(page, "Pusher 2 namespace").fill("-bad-");
  await expect(field(page, "Pusher 2 namespace")).toHaveAttribute("aria-invalid", "true");
  await field(page, "Pusher 2 namespace").fill(PUSHERS[1]!.namespace);
  await name.fill(PUSHERS[1]!.name);
  await expect(name).not.toHaveAttribute("aria-invalid", "true");
  await filesReady(page);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download all" }).click(),
  ]);
  const zipped = await unzipDownload(download);
  const pusherSecrets = docs(zipped["pusher-secrets.yaml"] as string);
  for (const p of PUSHERS) {
    const secret = pusherSecrets.find((s) => s.metadata.name === `pushgateway-prometheus-pushgateway-push-${p.name}`);
    expect(secret).toMatchObject({
      kind: "Secret",
      type: "kubernetes.io/basic-auth",
      metadata: { namespace: p.namespace },
      stringData: { username: p.name, password: p.password },
    });
  }
  const webConfig = docs(zipped["secret.yaml"] as string)
    .map((d) => d.stringData?.["web-config.yaml"])
    .find(Boolean) as string;
  const users = (parseAllDocuments(webConfig)[0]!.toJS() as { basic_auth_users: Record<string, string> })
    .basic_auth_users;
  expect(Object.keys(users)).toEqual(["prometheus", "backup", "etl"]);
  expect(compareSync(PASSWORD, users.prometheus as string)).toBe(true);
  for (const p of PUSHERS) expect(compareSync(p.password, users[p.name] as string)).toBe(true);
  expect(compareSync(PUSHERS[0]!.password, users.etl as string)).toBe(false);

  // Where the chart hashes the passwords itself, values.yaml lists every user.
  await field(page, "Chart version").fill("3.1.0");
  const values = fileRegion(page, "values.yaml");
  await expect(values).toContainText("basicAuthUsers:");
  for (const user of ["prometheus", "backup", "etl"]) await expect(values).toContainText(`${user}: ••••••••`);
  // Removing a pusher takes its user out.
  await page.getByRole("button", { name: "Remove pusher 2" }).click();
  await expect(values).not.toContainText("etl:");
  await expect(field(page, "Pusher 2 name")).toHaveCount(0);

  seen.push(await traces(page, context));
  for (const trace of seen) for (const secret of SECRETS) expect(trace).not.toContain(secret);
});

test("typing a pusher's password keeps the other users' hashes: only its own is computed again", async ({ page }) => {
  await page.goto("/");
  await setPassword(page, PASSWORD);
  await addPushers(page, PUSHERS);
  await filesReady(page);
  const hashOf = async (user: string) =>
    new RegExp(`^ {6}${user}: (\\S+)$`, "m").exec(await shownText(page, "secret.yaml"))?.[1];
  const before = { prometheus: await hashOf("prometheus"), backup: await hashOf("backup"), etl: await hashOf("etl") };
  await field(page, "Pusher 2 password").pressSequentially("-more", { delay: 30 });
  await filesReady(page);
  await expect.poll(() => hashOf("etl")).not.toBe(before.etl);
  expect(await hashOf("prometheus")).toBe(before.prometheus);
  expect(await hashOf("backup")).toBe(before.backup);
  // While its hash is computed, the files hold placeholders, never the password.
  await field(page, "Pusher 1 password").fill("Another-B4ckup-Pass");
  expect(await shownText(page, "pusher-secrets.yaml")).not.toContain("Another-B4ckup-Pass");
  await filesReady(page);
  expect(await hashOf("prometheus")).toBe(before.prometheus);
});

test("a share link with pushers restores their names and namespaces and asks for their passwords", async ({
  browser,
}) => {
  const seen: string[] = [];
  const first = await browser.newContext();
  const page = await first.newPage();
  page.on("request", (r) => seen.push(r.url(), r.postData() ?? ""));
  await page.goto("/");
  await setPassword(page, PASSWORD);
  await addPushers(page, PUSHERS);
  await filesReady(page);
  const link = await field(page, "Share link").inputValue();
  for (const secret of SECRETS) expect(link).not.toContain(secret);

  const second = await browser.newContext();
  const fresh = await second.newPage();
  fresh.on("request", (r) => seen.push(r.url(), r.postData() ?? ""));
  await fresh.goto(link);
  for (const [i, p] of PUSHERS.entries()) {
    await expect(field(fresh, `Pusher ${i + 1} name`)).toHaveValue(p.name);
    await expect(field(fresh, `Pusher ${i + 1} namespace`)).toHaveValue(p.namespace);
    await expect(field(fresh, `Pusher ${i + 1} password`)).toHaveValue("");
  }
  await expect(fresh.getByText("Pushers restored from a share link. Enter each pusher's password")).toBeVisible();
  // Their Secrets wait for the passwords with placeholders.
  await expect(fileRegion(fresh, "pusher-secrets.yaml")).toContainText("<PLACEHOLDER: the password>");
  await expect(fresh.getByRole("button", { name: "Download all" })).toBeDisabled();
  // The scrape password alone is not enough: the pushers' are still missing.
  await field(fresh, "Password").fill(PASSWORD);
  await expect(fileRegion(fresh, "pusher-secrets.yaml")).toContainText("<PLACEHOLDER: the password>");
  await expect(fresh.getByRole("button", { name: "Download all" })).toBeDisabled();
  for (const [i, p] of PUSHERS.entries()) await field(fresh, `Pusher ${i + 1} password`).fill(p.password);
  await filesReady(fresh);
  await expect(field(fresh, "Share link")).toHaveValue(link);
  seen.push(await traces(fresh, second));
  for (const trace of seen) for (const secret of SECRETS) expect(trace).not.toContain(secret);
  await first.close();
  await second.close();
});

test("the rotation planner shows the three phases with their files, commands and checks", async ({ page }) => {
  await page.goto("/");
  await setPassword(page, PASSWORD);
  await addPushers(page, PUSHERS.slice(0, 1));
  await filesReady(page);
  const panel = page.getByRole("region", { name: "Rotate the scrape password" });
  // The preview above may still grow while the page settles: retried until the panel opens.
  await expect(async () => {
    await panel.getByRole("button", { name: "Plan a rotation" }).click({ timeout: 2000 });
    await expect(field(page, "New username")).toHaveValue("prometheus-2", { timeout: 2000 });
  }).toPass();
  await panel.getByRole("button", { name: "Generate a new password" }).click();
  const titles = [
    "1. Add user prometheus-2 to the web config",
    "2. Switch the scrape Secret to prometheus-2",
    "3. Remove the old user prometheus",
  ];
  for (const title of titles) {
    const phase = panel.getByRole("region", { name: title });
    await expect(phase).toBeVisible();
    await expect(phase.locator("summary", { hasText: /^secret\.yaml/ })).toBeVisible();
    await expect(phase.getByRole("heading", { name: "Before the next phase" })).toBeVisible();
    await expect(phase.getByRole("button", { name: /^Download phase \d \(zip\)$/ })).toBeVisible();
  }
  const first = panel.getByRole("region", { name: titles[0] });
  await expect(first).toContainText("oci://ghcr.io/prometheus-community/charts/prometheus-pushgateway");
  await expect(first).toContainText("# 200");
  await expect(panel.getByRole("region", { name: titles[2] })).toContainText("# 401");

  // Phase 1's zip: both scrape users in the web config, Prometheus still sends the old one.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    first.getByRole("button", { name: "Download phase 1 (zip)" }).click(),
  ]);
  const zipped = await unzipDownload(download);
  const webConfig = docs(zipped["secret.yaml"] as string)
    .map((d) => d.stringData?.["web-config.yaml"])
    .find(Boolean) as string;
  const users = (parseAllDocuments(webConfig)[0]!.toJS() as { basic_auth_users: Record<string, string> })
    .basic_auth_users;
  expect(Object.keys(users)).toEqual(["prometheus", "prometheus-2", "backup"]);
  expect(compareSync(PASSWORD, users.prometheus as string)).toBe(true);

  // A pusher's password, the same way.
  await field(page, "Whose password").selectOption({ label: "Pusher backup (backup)" });
  await expect(field(page, "New username")).toHaveValue("backup-2");
  await expect(
    panel.getByRole("region", {
      name: "2. Switch Secret batch/pushgateway-prometheus-pushgateway-push-backup to backup-2",
    }),
  ).toBeVisible();
  await expect(panel.getByRole("region", { name: "3. Remove the old user backup" })).toContainText("# 401");
});
