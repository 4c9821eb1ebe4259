/**
 * Properties of the import, the diagnosis and the merge over hostile input: any text, any
 * YAML, objects of any shape. They answer (a report, or problems naming the file or the fact)
 * and never throw; the merge reads back as the fix; no password ever shows in a report.
 */
import fc from "fast-check";
import { dump } from "js-yaml";
import { describe, expect, it } from "vitest";
import { diagnoseSetup, importSetup, lineDiff, mergeValues, validateConfig, type InputFile } from "../../lib/index";
import { withoutHelmHeader } from "../../lib/diagnose/read-setup";
import { parseYaml, parseYamlDocuments } from "../../lib/yaml/serialize";
import { loadSetups } from "../support/setups";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

const TOKENS = [
  ":",
  ": ",
  "- ",
  "{",
  "}",
  "[",
  "]",
  ",",
  "&a ",
  "*a",
  "!!binary ",
  "!!map",
  "|",
  ">-",
  "\n",
  "\r\n",
  "  ",
  "\t",
  "# c",
  "---\n",
  "...\n",
  "? ",
  "%YAML 1.1\n",
  '"',
  "'",
  "\u0000",
  "😀",
  "<<: *a\n",
  "&x {b: *x}",
  "- &y [*y]\n",
  "USER-SUPPLIED VALUES:\n",
  "apiVersion: v1\n",
  "kind: List\n",
  "kind: Secret\n",
  "kind: ServiceMonitor\n",
  "items:\n",
  "metadata:\n",
  "  name: x\n",
  "  namespace: monitoring\n",
  "data:\n",
  "  web-config.yaml: !!\n",
  "webConfiguration:\n",
  "  basicAuthUsers:\n",
  "    null: x\n",
  "serviceMonitor:\n",
  "  enabled: true\n",
  "  basicAuth: {}\n",
];

/** Text that often looks like YAML and often is not. */
const yamlish = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join("")),
);

const dumped = (value: unknown) => dump(value, { skipInvalid: true, noRefs: true });

/** YAML whose value contains itself through an alias (js-yaml builds a cyclic object). */
const cyclic = fc
  .tuple(fc.constantFrom("a", "webConfiguration", "serviceMonitor", "items", "metadata"), fc.nat({ max: 2 }))
  .map(([key, shape]) =>
    shape === 0 ? `${key}: &x {b: *x}\n` : shape === 1 ? `${key}: &x\n  c: [1, *x]\n` : `${key}: &x [[*x]]\n`,
  );

/** Objects in every shape a pasted manifest could have. */
const kubeObject = fc.record(
  {
    apiVersion: fc.oneof(fc.constantFrom("v1", "monitoring.coreos.com/v1"), fc.anything()),
    kind: fc.oneof(
      fc.constantFrom("Secret", "ServiceMonitor", "Service", "Prometheus", "List", "SecretList"),
      fc.anything(),
    ),
    metadata: fc.oneof(
      fc.anything(),
      fc.record({
        name: fc.oneof(fc.constantFrom("pushgateway-prometheus-pushgateway", "s", "wc"), fc.anything()),
        namespace: fc.oneof(fc.constant("monitoring"), fc.anything()),
        labels: fc.oneof(
          fc.dictionary(fc.constantFrom("helm.sh/chart", "app.kubernetes.io/instance", "release"), fc.anything()),
          fc.constant({ "helm.sh/chart": "prometheus-pushgateway-3.8.0", "app.kubernetes.io/instance": "pushgateway" }),
        ),
      }),
    ),
    spec: fc.anything(),
    data: fc.oneof(fc.anything(), fc.dictionary(fc.string(), fc.base64String())),
    stringData: fc.anything(),
    items: fc.oneof(fc.anything(), fc.array(fc.anything(), { maxLength: 3 })),
  },
  { requiredKeys: [] },
);

/** Values with the keys the diagnosis reads, holding anything. */
const valuesObject = fc.record(
  {
    nameOverride: fc.anything(),
    webConfiguration: fc.oneof(
      fc.anything(),
      fc.record({ basicAuthUsers: fc.anything(), existingSecret: fc.anything() }, { requiredKeys: [] }),
    ),
    serviceMonitor: fc.oneof(
      fc.anything(),
      fc.dictionary(fc.constantFrom("enabled", "namespace", "basicAuth", "additionalLabels"), fc.anything()),
    ),
    extraArgs: fc.anything(),
    extraVolumes: fc.anything(),
    extraVolumeMounts: fc.anything(),
    networkPolicy: fc.anything(),
    service: fc.anything(),
  },
  { requiredKeys: [] },
);

const fixtureFiles = loadSetups().flatMap((s) => s.files);
/** A real file with garbage spliced in somewhere. */
const damaged = fc.tuple(fc.constantFrom(...fixtureFiles), fc.nat(), fc.nat(), yamlish).map(([file, at, cut, junk]) => {
  const i = at % (file.text.length + 1);
  return file.text.slice(0, i) + junk + file.text.slice(i + (cut % 20));
});

const fileText = fc.oneof(
  yamlish,
  damaged,
  cyclic,
  kubeObject.map(dumped),
  valuesObject.map(dumped),
  fc.anything().map(dumped),
);

const files = fc
  .uniqueArray(fc.tuple(fc.constantFrom("a.yaml", "b.yaml", "values.yaml", "kubectl.yaml", "-"), fileText), {
    minLength: 1,
    maxLength: 3,
    selector: ([name]) => name,
  })
  .map((list) => list.map(([name, text]): InputFile => ({ name, text })));

const given = fc.record(
  {
    chartVersion: fc.oneof(fc.constantFrom("2.4.0", "2.14.0", "3.1.0", "3.8.0", "9.9.9"), fc.string()),
    releaseName: fc.oneof(fc.constant("pushgateway"), fc.string()),
    namespace: fc.oneof(fc.constant("monitoring"), fc.string()),
    prometheusSelector: fc.oneof(fc.constant("release=kube-prometheus-stack"), fc.string()),
  },
  { requiredKeys: [] },
);

describe("hostile input", () => {
  it("gets a report or problems naming the file or the fact, never an exception", () => {
    fc.assert(
      fc.property(files, given, fc.boolean(), (input, facts, matches) => {
        const result = diagnoseSetup(input, { given: facts, passwordMatchesHash: () => matches });
        if (result.ok) {
          for (const f of result.report.findings) expect(f.message.length).toBeGreaterThan(0);
        } else {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const p of result.problems) {
            expect(p.message.length).toBeGreaterThan(0);
            if (p.file !== null) expect(input.map((f) => f.name)).toContain(p.file);
            else expect(p.field).not.toBeNull();
          }
        }
        const imported = importSetup(input, facts);
        if (imported.ok)
          expect(Object.keys(imported.import.prefill).sort()).toEqual(Object.keys(imported.import.provenance).sort());
      }),
      { numRuns: RUNS },
    );
  });

  it("never shows the scrape password in a report", () => {
    const password = fc.string({
      unit: fc.constantFrom(..."abcdefghjkmnpqrstuvwxyzACDEFHJKLMNPQRTUVWXY3479!%"),
      minLength: 16,
      maxLength: 24,
    });
    fc.assert(
      fc.property(password, fc.constantFrom("3.1.0", "3.8.0"), (pw, chartVersion) => {
        const text = dumped({
          webConfiguration:
            chartVersion === "3.1.0"
              ? { basicAuthUsers: { prometheus: `${pw}x` } }
              : { existingSecret: { name: "wc" } },
          serviceMonitor: {
            enabled: true,
            basicAuth: { username: { name: "s", key: "u" }, password: { name: "s", key: "p" } },
          },
        });
        const secret = dumped({
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "s", namespace: "monitoring" },
          data: { u: btoa("prometheus"), p: btoa(pw) },
        });
        const result = diagnoseSetup(
          [
            { name: "values.yaml", text },
            { name: "secret.yaml", text: secret },
          ],
          { given: { chartVersion, releaseName: "pg", namespace: "monitoring", prometheusSelector: "" } },
        );
        expect(result.ok).toBe(true);
        const shown = JSON.stringify(result);
        expect(shown).not.toContain(pw);
        expect(shown).not.toContain(btoa(pw));
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});

describe("merge", () => {
  const HASH = `$2b$10$${"a".repeat(53)}`;
  const configs = ["2.14.0", "3.1.0", "3.8.0"].map((chartVersion) => {
    const r = validateConfig({ chartVersion, password: "pw", passwordHash: HASH });
    if (!r.ok) throw new Error("invalid");
    return r.config;
  });
  const comment = fc.string({ unit: fc.constantFrom(..."abc #:-{}[]'\" "), maxLength: 20 }).map((c) => `# ${c}`);

  it("answers any values file without throwing, and what it writes reads back as the fix", () => {
    fc.assert(
      fc.property(
        fc.oneof(valuesObject.map(dumped), yamlish, damaged, cyclic),
        fc.array(fc.tuple(fc.nat(), comment), { maxLength: 4 }),
        fc.constantFrom(...configs),
        (text, comments, config) => {
          // Comment lines between the user's top-level entries: the fix never touches those.
          const lines = text.split("\n");
          const tops = lines.flatMap((l, i) => (/^[^\s#-]/.test(l) ? [i] : [])).concat([lines.length]);
          const places = comments.map(([at, c]) => [tops[at % tops.length] as number, c] as const);
          for (const [at, c] of places.sort((x, y) => y[0] - x[0])) lines.splice(at, 0, c);
          const result = mergeValues(lines.join("\n"), config);
          if (!result.ok) {
            expect(result.error.length).toBeGreaterThan(0);
            return;
          }
          const values = parseYaml(result.text) as Record<string, unknown>;
          // Every top-level key the merge does not plan to change reads back as it was.
          const [read] = parseYamlDocuments(withoutHelmHeader(lines.join("\n")));
          const before = (read ?? {}) as Record<string, unknown>;
          const planned = new Set(result.changes.map((c) => String(c.path[0])));
          for (const key of Object.keys(before).filter((k) => !planned.has(k))) {
            expect(values[key], key).toEqual(before[key]);
          }
          for (const key of Object.keys(values).filter((k) => !planned.has(k))) expect(before).toHaveProperty([key]);
          const web = values.webConfiguration as Record<string, unknown>;
          if (config.chartVersion === "3.8.0")
            expect((web.existingSecret as Record<string, unknown>).name).toBe(
              "pushgateway-prometheus-pushgateway-web-config",
            );
          else expect((web.basicAuthUsers as Record<string, unknown>).prometheus).toBe("pw");
          for (const c of comments) if (result.formattingPreserved) expect(result.text).toContain(c[1]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("lineDiff", () => {
  it("lists both texts exactly: kept and removed lines are the old text, kept and added the new", () => {
    const text = fc
      .array(fc.constantFrom("a", "b", "c", "", "  d: 1", "# e"), { maxLength: 30 })
      .map((l) => l.join("\n"));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const diff = lineDiff(a, b);
        const lines = (t: string) => (t === "" ? [] : (t.endsWith("\n") ? t.slice(0, -1) : t).split("\n"));
        expect(diff.filter((l) => l.kind !== "added").map((l) => l.text)).toEqual(lines(a));
        expect(diff.filter((l) => l.kind !== "removed").map((l) => l.text)).toEqual(lines(b));
        if (a === b) expect(diff.every((l) => l.kind === "kept")).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
