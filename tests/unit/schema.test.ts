import { describe, expect, it } from "vitest";
import { DEFAULTS, FIELD_CLI, FIELDS, validateConfig, type FieldName } from "../../lib/index";

const valid = { password: "s3cret" };

function errorsFor(input: Record<string, unknown>) {
  const result = validateConfig({ ...valid, ...input });
  return result.ok ? [] : result.errors;
}

describe("validateConfig", () => {
  it("applies every default", () => {
    const result = validateConfig(valid);
    expect(result).toEqual({ ok: true, config: { ...DEFAULTS, password: "s3cret" } });
  });

  it("requires a password and says so", () => {
    expect(validateConfig({})).toEqual({
      ok: false,
      errors: [{ field: "password", message: "Password must be text" }],
    });
    expect(errorsFor({ password: "" })).toEqual([{ field: "password", message: "Password is required" }]);
  });

  // Each row: field, bad value, the field the error must name, the rule the message must state.
  it.each([
    ["chartVersion", "3.8", "chartVersion", /^Chart version must be a version like 3\.8\.0/],
    [
      "chartVersion",
      "2.11.0",
      "chartVersion",
      /^Chart version 2\.11\.0 has no webConfiguration \(it arrived in chart 2\.12\.0\)/,
    ],
    ["chartVersion", "4.0.0", "chartVersion", /^Chart version 4\.0\.0 is not known.*later 3\.x/],
    ["releaseName", "a".repeat(54), "releaseName", /^Release name must be at most 53 characters/],
    ["releaseName", "My_Release", "releaseName", /^Release name must be a DNS-1123 label/],
    [
      "releaseName",
      "1pg",
      "releaseName",
      /^Release name makes the chart name its Service "1pg-prometheus-pushgateway", which must start with a letter/,
    ],
    ["namespace", "Monitoring", "namespace", /^Namespace must be a DNS-1123 label/],
    ["fullnameOverride", "9x", "fullnameOverride", /^Fullname override makes the chart name its Service "9x"/],
    ["username", "a:b", "username", /^Username must not contain ':' \(RFC 7617/],
    [
      "password",
      "p".repeat(73),
      "password",
      /^Password must be at most 72 bytes in UTF-8 \(bcrypt's limit\); this one has 73/,
    ],
    ["password", "two\nlines", "password", /^Password must not contain control characters/],
    ["passwordHash", "plaintext", "passwordHash", /^Password hash must be a bcrypt hash/],
    ["serviceMonitorNamespace", "Bad", "serviceMonitorNamespace", /^ServiceMonitor namespace must be a DNS-1123 label/],
    ["prometheusSelector", "release", "prometheusSelector", /^Prometheus selector label must be key=value pairs/],
    ["prometheusSelector", "app.kubernetes.io/instance=x", "prometheusSelector", /the chart sets that label itself/],
    [
      "serviceMonitorMode",
      "sidecar",
      "serviceMonitorMode",
      /^ServiceMonitor strategy must be one of auto, values, patch, standalone/,
    ],
    ["interval", "30", "interval", /^Scrape interval must be a duration/],
    [
      "scrapeTimeout",
      "1m",
      "scrapeTimeout",
      /^Scrape timeout \(1m\) must not be longer than the scrape interval \(30s\)/,
    ],
    ["networkPolicyEnabled", "yes", "networkPolicyEnabled", /^NetworkPolicy must be true or false/],
    ["prometheusNamespace", "", "prometheusNamespace", /^Prometheus namespace is required/],
    ["networkPolicyPrometheusPods", "", "networkPolicyPrometheusPods", /^Prometheus pod labels is required/],
    ["networkPolicyPusherPods", "a=b c", "networkPolicyPusherPods", /^Pusher pod labels has an invalid label value/],
  ] as [string, unknown, FieldName, RegExp][])("%s = %j", (field, value, expectedField, message) => {
    const errors = errorsFor({ [field]: value });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe(expectedField);
    expect(errors[0]?.message).toMatch(message);
  });

  it("rejects a strategy the chart version cannot do, with the reason", () => {
    expect(errorsFor({ chartVersion: "2.14.0", serviceMonitorMode: "values" })).toEqual([
      {
        field: "serviceMonitorMode",
        message: expect.stringMatching(
          /^ServiceMonitor strategy "values" is not available for chart 2\.14\.0: Charts before 3\.1\.0 have no serviceMonitor\.basicAuth/,
        ),
      },
    ]);
    expect(errorsFor({ chartVersion: "3.1.0", serviceMonitorMode: "patch" })[0]?.field).toBe("serviceMonitorMode");
    expect(errorsFor({ chartVersion: "3.8.0", serviceMonitorMode: "patch" })).toEqual([]);
  });

  it("rejects an unknown deploy target, and patch with Argo CD wherever the chart could patch", () => {
    expect(errorsFor({ deploy: "kubectl" })).toEqual([
      { field: "deploy", message: "Deploy with must be one of helm, argocd, flux" },
    ]);
    const refused = `ServiceMonitor strategy "patch" is not available when deploying with Argo CD: Argo CD has no Helm post-renderer, so the chart's ServiceMonitor cannot be patched; standalone ships a ServiceMonitor with basicAuth instead.`;
    for (const chartVersion of ["2.14.0", "3.8.0"]) {
      expect(errorsFor({ chartVersion, deploy: "argocd", serviceMonitorMode: "patch" })).toEqual([
        { field: "serviceMonitorMode", message: refused },
      ]);
      expect(errorsFor({ chartVersion, deploy: "flux", serviceMonitorMode: "patch" })).toEqual([]);
      expect(errorsFor({ chartVersion, deploy: "argocd", serviceMonitorMode: "standalone" })).toEqual([]);
    }
  });

  it("accepts any RFC 7617 username where the tool writes the web config, but not where the chart does", () => {
    for (const username of ["[admin]", "null", "a b", "#x", "{{ x }}"]) {
      expect(errorsFor({ chartVersion: "3.8.0", username })).toEqual([]);
      expect(errorsFor({ chartVersion: "3.6.0", username })).toEqual([
        {
          field: "username",
          message: expect.stringMatching(/writes it unquoted into its web config \(chart 3\.6\.0\)$/),
        },
      ]);
    }
  });

  it("reports several broken fields at once, each on its own field", () => {
    const errors = errorsFor({ releaseName: "Bad", namespace: "", interval: "x", username: "" });
    expect(errors.map((e) => e.field).sort()).toEqual(["interval", "namespace", "releaseName", "username"]);
  });

  it("reports cross-field rules even while the chart version is invalid", () => {
    const errors = errorsFor({ chartVersion: "1.0.0", interval: "10s", scrapeTimeout: "20s" });
    expect(errors.map((e) => e.field).sort()).toEqual(["chartVersion", "scrapeTimeout"]);
  });

  it("never throws on hostile input", () => {
    for (const input of [
      null,
      undefined,
      42,
      "x",
      [],
      { password: {} },
      { chartVersion: [] },
      { __proto__: { x: 1 } },
    ]) {
      const result = validateConfig(input);
      expect(result.ok).toBe(false);
    }
  });

  it("has a label and a flag for every field", () => {
    for (const field of Object.keys(DEFAULTS) as FieldName[]) {
      expect(FIELDS[field].label).toBeTruthy();
      expect(FIELD_CLI[field].flag).toMatch(/^--[a-z-]+$/);
    }
  });
});
