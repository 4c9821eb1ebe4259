/**
 * Breaking and passing bundles for the pusher and rotation rules (lib/rules/pusher-rules.ts),
 * appended to BUNDLE_CASES in cases.ts.
 */
import { FILE_NAMES, type ConfigInput } from "../../../lib/index";
import { parseYamlDocuments, toYamlFile } from "../../../lib/yaml/serialize";

interface Bundle {
  files: Record<string, string>;
}

// Documents are edited as plain data; `any` keeps the edits short.
type Doc = any;

function pusherSecret(b: Bundle, name: string, change: (s: Doc) => void): void {
  const docs = parseYamlDocuments(b.files[FILE_NAMES.pusherSecrets] as string) as Doc[];
  change(docs.find((d) => d.stringData.username === name));
  b.files[FILE_NAMES.pusherSecrets] = toYamlFile(docs);
}

const PUSHERS: Partial<ConfigInput> = {
  pushers: [
    { name: "backup", namespace: "batch", password: "backup-Pw-1" },
    { name: "etl", namespace: "data", password: "etl-Pw-2" },
  ],
};

export const PUSHER_CASES = [
  {
    rule: "duplicate-users",
    config: PUSHERS,
    breaks: (b: Bundle) => pusherSecret(b, "etl", (s) => (s.stringData.username = "prometheus")),
    status: "fail" as const,
  },
  {
    rule: "pusher-secret-namespace",
    config: PUSHERS,
    breaks: (b: Bundle) => pusherSecret(b, "backup", (s) => (s.metadata.namespace = "monitoring")),
    status: "fail" as const,
  },
  {
    rule: "pusher-credentials",
    config: { ...PUSHERS, chartVersion: "2.14.0" },
    breaks: (b: Bundle) => pusherSecret(b, "backup", (s) => (s.stringData.password = "not-it")),
    status: "fail" as const,
  },
  {
    rule: "pusher-credentials",
    config: PUSHERS,
    breaks: (b: Bundle) => pusherSecret(b, "etl", (s) => (s.stringData.username = "etl2")),
    status: "fail" as const,
  },
  {
    rule: "rotation-continuity",
    config: PUSHERS,
    breaks: () => {},
    // Prometheus still sends a user this phase's web config no longer lists.
    options: { passwordMatchesHash: undefined, stillSending: [{ username: "prometheus-old", password: "gone" }] },
    status: "fail" as const,
  },
];
