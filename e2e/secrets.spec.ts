/**
 * Secrets as: Sealed Secrets sealed in the browser (no plaintext secret value in the preview,
 * the downloads, the clipboard, the page's DOM or any request; "Download all" is the CLI's
 * bundle but for the ciphertext, and the test's private key unseals it, for the chosen scope,
 * into the CLI's very Secrets); a bad certificate's error at the field; External Secrets'
 * files; share links carrying the choice and, when it fits, the certificate.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { hashSync } from "bcryptjs";
import { makeCertificate, unsealFiles, type TestCertificate } from "../tests/support/sealing";
import { field, fileNames, fileRegion, runCli, setPassword, unzipDownload } from "./helpers";

const PASSWORD = "S3aled-in-the-Br0wser";
const CERTIFICATE = "Sealing certificate";

let cert: TestCertificate;
let certFile: string;
test.beforeAll(() => {
  cert = makeCertificate(["-newkey", "rsa:2048"], 30);
  certFile = join(mkdtempSync(join(tmpdir(), "pga-e2e-cert-")), "cert.pem");
  writeFileSync(certFile, cert.certPem);
});

const pageErrors: Error[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on("pageerror", (error) => pageErrors.push(error));
});
test.afterEach(() => expect(pageErrors).toEqual([]));

/** Every encryptedData value replaced: what is left must be byte-identical. */
function withoutCiphertext(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => {
      let indent = -1;
      const lines = text.split("\n").map((line) => {
        const depth = line.length - line.trimStart().length;
        if (indent >= 0 && depth > indent && line.trim()) return line.replace(/^(\s+[^:]+: ).+$/, "$1<sealed>");
        indent = /^\s*encryptedData:$/.test(line) ? depth : -1;
        return line;
      });
      return [name, lines.join("\n")];
    }),
  );
}

/** What a plaintext credential may look like anywhere: as typed, hashed, or base64-encoded. */
function expectNoSecret(text: string, hash: string) {
  for (const secret of [PASSWORD, hash, Buffer.from(PASSWORD).toString("base64"), encodeURIComponent(PASSWORD)])
    expect(text).not.toContain(secret);
  expect(text).not.toMatch(/\$2[aby]\$\d\d\$/);
}

async function chooseSealed(page: Page) {
  await field(page, "Secrets as").selectOption({ label: "Sealed Secrets" });
  await expect(field(page, CERTIFICATE)).toBeVisible();
}

test.describe("Sealed Secrets", () => {
  test.use({ permissions: ["clipboard-read", "clipboard-write"] });

  test("seals in the page: nothing in the clear anywhere, the CLI's bundle but for the ciphertext, unsealed by the key", async ({
    page,
  }) => {
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.method(), r.url(), r.postData() ?? "", JSON.stringify(r.headers())));
    const hash = hashSync(PASSWORD, 10);
    await page.goto("/");
    await field(page, "Release name").fill("gw");
    await field(page, "Namespace").fill("jobs");
    await chooseSealed(page);
    // No certificate yet: no files at all rather than plain Secrets.
    await expect(page.getByText(/Paste the sealed-secrets controller's certificate/)).toBeVisible();
    await expect(fileRegion(page, "secret.yaml")).toHaveCount(0);
    await field(page, CERTIFICATE).fill(cert.certPem);
    await field(page, "Sealing scope").selectOption("namespace-wide");
    await page.getByText("Reuse an existing bcrypt hash").click();
    await field(page, "Password hash").fill(hash);
    await setPassword(page, PASSWORD);

    const secret = fileRegion(page, "secret.yaml");
    await expect(secret).toContainText("kind: SealedSecret");
    await expect(secret).toContainText('sealedsecrets.bitnami.com/namespace-wide: "true"');
    await expect.poll(() => fileNames(page)).toEqual(["values.yaml", "secret.yaml", ".gitignore", "README.md"]);
    // The checks judge the sealed files.
    await expect(page.getByText("SealedSecrets make the Secrets that are read")).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: /checks? fails?/ })).toHaveCount(0);
    // Revealing the password reveals nothing in the files: there is nothing in the clear.
    await page.getByRole("button", { name: "Show password" }).click();
    expectNoSecret(await page.evaluate(() => document.documentElement.outerHTML), hash);

    await page.getByRole("button", { name: "Copy secret.yaml" }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain("kind: SealedSecret");
    expectNoSecret(copied, hash);
    const [one] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download secret.yaml" }).click(),
    ]);
    const downloaded = readFileSync((await one.path()) as string, "utf8");
    expect(downloaded).toBe(copied);

    const [all] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download all" }).click(),
    ]);
    const zipped = await unzipDownload(all);
    expect(zipped["secret.yaml"]).toBe(copied);
    for (const text of Object.values(zipped)) expectNoSecret(text, hash);

    const cliOut = runCli(
      [
        "--from-url",
        await field(page, "Share link").inputValue(),
        "--secrets",
        "sealed",
        "--sealing-cert",
        certFile,
        "--sealing-scope",
        "namespace-wide",
        "--release",
        "gw",
        "--namespace",
        "jobs",
        "--password-hash",
        hash,
      ],
      PASSWORD,
    );
    // The CLI keeps its sealing key beside the bundle (never committed); the page has none.
    const { [".sealing-key"]: key, ...cli } = cliOut;
    expect(key).toBeDefined();
    expect(withoutCiphertext(zipped)).toEqual(withoutCiphertext(cli));
    expect(zipped["secret.yaml"]).not.toBe(cli["secret.yaml"]);
    // Unsealed with the test's private key for the scope's label (node:crypto, no code shared
    // with the sealing): the page sealed exactly the CLI's Secrets.
    const unsealed = unsealFiles(zipped, cert.keyPem);
    expect(unsealed).toEqual(unsealFiles(cli, cert.keyPem));
    expect(unsealed["secret.yaml"]).toContain(Buffer.from(PASSWORD).toString("base64"));

    // Nothing was sent: the only requests are the page's own GETs, and none carries a credential.
    expect(requests.filter((r, i) => i % 4 === 0 && r !== "GET")).toEqual([]);
    expectNoSecret(requests.join("\n"), hash);
    const stored = await page.evaluate(() =>
      JSON.stringify([location.href, { ...localStorage }, { ...sessionStorage }]),
    );
    expectNoSecret(stored, hash);
  });

  test("a certificate that cannot seal gets its error at the field, and no plain Secret is shown", async ({ page }) => {
    const small = makeCertificate(["-newkey", "rsa:1024"]);
    const ec = makeCertificate(["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]);
    await page.goto("/");
    await setPassword(page, PASSWORD);
    await chooseSealed(page);
    const input = field(page, CERTIFICATE);
    for (const [pem, message] of [
      ["hello", /Sealing certificate is not a PEM certificate/],
      [cert.keyPem, /Sealing certificate is a PEM private key, not a certificate/],
      [small.certPem, /Sealing certificate has a 1024-bit RSA key; at least 2048 bits are required/],
      [ec.certPem, /Sealing certificate is not an RSA certificate: it holds an EC key/],
    ] as const) {
      await input.fill(pem);
      await expect(input).toHaveAttribute("aria-invalid", "true");
      await expect(input).toHaveAccessibleDescription(message);
      await expect(fileRegion(page, "secret.yaml")).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Download all" })).toHaveCount(0);
    }
    // A good one seals.
    await input.fill(cert.certPem);
    await expect(input).not.toHaveAttribute("aria-invalid");
    await expect(fileRegion(page, "secret.yaml")).toContainText("kind: SealedSecret");
  });

  test("an expired certificate is refused by the page's clock", async ({ page }) => {
    // The certificate is valid for 30 days: 60 days on, it has expired.
    await page.clock.setFixedTime(new Date(Date.now() + 60 * 24 * 3600 * 1000));
    await page.goto("/");
    await chooseSealed(page);
    const input = field(page, CERTIFICATE);
    await input.fill(cert.certPem);
    await expect(input).toHaveAccessibleDescription(
      /Sealing certificate expired on \d{4}-\d\d-\d\d .*kubeseal --fetch-cert/,
    );
  });

  test("takes the certificate from a file", async ({ page }) => {
    await page.goto("/");
    await setPassword(page, PASSWORD);
    await chooseSealed(page);
    await page.getByLabel(`${CERTIFICATE} file`).setInputFiles(certFile);
    await expect(field(page, CERTIFICATE)).toHaveValue(cert.certPem);
    await expect(fileRegion(page, "secret.yaml")).toContainText("kind: SealedSecret");
  });

  test("a share link carries the choice and a 2048-bit certificate; a 4096-bit one is asked for again", async ({
    page,
    browser,
  }) => {
    await page.goto("/");
    await chooseSealed(page);
    await field(page, CERTIFICATE).fill(cert.certPem);
    await field(page, "Sealing scope").selectOption("cluster-wide");
    const shareLink = field(page, "Share link");
    await expect(shareLink).toHaveValue(/#s1\./);
    const link = await shareLink.inputValue();
    expect(link.length).toBeLessThanOrEqual(2000);

    const other = await browser.newPage();
    await other.goto(link);
    await expect(field(other, "Secrets as")).toHaveValue("sealed");
    await expect(field(other, "Sealing scope")).toHaveValue("cluster-wide");
    await expect(field(other, CERTIFICATE)).toHaveValue(cert.certPem);
    await setPassword(other, PASSWORD);
    await expect(fileRegion(other, "secret.yaml")).toContainText("sealedsecrets.bitnami.com/cluster-wide");

    const large = makeCertificate(["-newkey", "rsa:4096"]);
    await field(page, CERTIFICATE).fill(large.certPem);
    await expect.poll(() => shareLink.inputValue()).not.toBe(link);
    const withoutCert = await shareLink.inputValue();
    expect(withoutCert.length).toBeLessThan(300);
    await other.goto("about:blank");
    await other.goto(withoutCert);
    await expect(field(other, "Secrets as")).toHaveValue("sealed");
    await expect(field(other, CERTIFICATE)).toHaveAccessibleDescription(
      /the link could not carry it \(it would make the link too long\): paste it again/,
    );
    await other.close();
  });
});

test("External Secrets shows its fields and gives ExternalSecrets; Plain Secrets offers SOPS", async ({ page }) => {
  await page.goto("/");
  await setPassword(page, PASSWORD);
  await expect(field(page, "SOPS age recipient")).toBeVisible();
  await expect(field(page, "Secret store")).toHaveCount(0);
  await field(page, "Secrets as").selectOption({ label: "External Secrets" });
  await expect(field(page, "SOPS age recipient")).toHaveCount(0);
  await expect(field(page, CERTIFICATE)).toHaveCount(0);
  await expect(field(page, "Secret store")).toHaveAccessibleDescription(/Secret store is needed with External Secrets/);
  await field(page, "Secret store").fill("vault-backend");
  await field(page, "Secret store kind").selectOption("SecretStore");
  await field(page, "Remote key").fill("kv/pgw");
  const external = fileRegion(page, "externalsecrets.yaml");
  await expect(external).toContainText("kind: ExternalSecret");
  await expect(external).toContainText("name: vault-backend");
  await expect(external).toContainText("key: kv/pgw");
  await expect(fileRegion(page, "secret.yaml")).toHaveCount(0);
  // Back to Plain Secrets: the store settings are set aside, not refused.
  await field(page, "Secrets as").selectOption({ label: "Plain Secrets" });
  await expect(fileRegion(page, "secret.yaml")).toContainText("kind: Secret");
  await expect(fileRegion(page, "externalsecrets.yaml")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Download all" })).toBeEnabled();
});
