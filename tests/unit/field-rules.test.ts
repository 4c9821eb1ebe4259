import { describe, expect, it } from "vitest";
import {
  bcryptHashRule,
  dnsLabelRule,
  durationMs,
  durationRule,
  labelKeyRule,
  labelValueRule,
  parseLabelList,
  passwordRule,
  rawUsernameRule,
  serviceNameRule,
  usernameRule,
  utf8Length,
} from "../../lib/config/field-rules";

type Row = [input: string, expected: null | RegExp];

function table(rule: (v: string) => string | null, rows: Row[]) {
  it.each(rows)("%j", (input, expected) => {
    const result = rule(input);
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatch(expected);
  });
}

describe("dnsLabelRule", () => {
  table(dnsLabelRule, [
    ["monitoring", null],
    ["a", null],
    ["0abc", null],
    ["a".repeat(63), null],
    ["", /required/],
    ["a".repeat(64), /at most 63 characters \(this one has 64\)/],
    ["Monitoring", /DNS-1123 label/],
    ["-a", /DNS-1123 label/],
    ["a-", /DNS-1123 label/],
    ["a.b", /DNS-1123 label/],
    ["a b", /DNS-1123 label/],
  ]);
  it("honours Helm's 53-character release limit", () => {
    expect(dnsLabelRule("a".repeat(53), 53)).toBeNull();
    expect(dnsLabelRule("a".repeat(54), 53)).toMatch(/at most 53/);
  });
});

describe("serviceNameRule", () => {
  table(serviceNameRule, [
    ["pushgateway", null],
    ["1pushgateway", /must start with a letter/],
    ["", /required/],
  ]);
});

describe("label keys and values", () => {
  table(labelKeyRule, [
    ["release", null],
    ["app.kubernetes.io/name", null],
    ["example.com/x_y.z-1", null],
    ["", /empty label key/],
    ["/x", /prefix/],
    ["Bad_Prefix/x", /prefix/],
    ["a/b/c", /invalid label key/],
    ["-x", /invalid label key/],
    ["x".repeat(64), /longer than 63/],
  ]);
  table(labelValueRule, [
    ["", null],
    ["kube-prometheus-stack", null],
    ["A_b.c-9", null],
    ["-a", /invalid label value/],
    ["a b", /invalid label value/],
    ["x".repeat(64), /longer than 63/],
  ]);
});

describe("parseLabelList", () => {
  it.each([
    ["", [], null],
    ["release=kps", [["release", "kps"]], null],
    [
      "a=1,b=",
      [
        ["a", "1"],
        ["b", ""],
      ],
      null,
    ],
    ["release", [], /has no '='/],
    ["a=1, b=2", [["a", "1"]], /invalid label key " b"/],
    ["a=1,a=2", [["a", "1"]], /twice/],
  ] as const)("%j", (text, pairs, error) => {
    const result = parseLabelList(text);
    expect(result.pairs).toEqual(pairs);
    if (error) expect(result.error).toMatch(error);
    else expect(result.error).toBeNull();
  });
});

describe("durations", () => {
  table(durationRule, [
    ["30s", null],
    ["1m30s", null],
    ["500ms", null],
    ["1h", null],
    ["", /required/],
    ["0", /longer than zero/],
    ["0s", /longer than zero/],
    ["30", /duration like/],
    ["30 s", /duration like/],
    ["30s1m", /duration like/],
    ["-5s", /duration like/],
  ]);
  it.each([
    ["30s", 30_000],
    ["1m30s", 90_000],
    ["1h2m3s4ms", 3_723_004],
    ["1w", 604_800_000],
    ["1y", 31_536_000_000],
  ])("%s is %d ms", (d, ms) => expect(durationMs(d)).toBe(ms));
});

describe("usernameRule (RFC 7617)", () => {
  table(usernameRule, [
    ["prometheus", null],
    ["ünïcødé", null],
    ["with space", null],
    ["", /required/],
    ["a:b", /':'/],
    [" lead", /whitespace/],
    ["trail\u0020", /whitespace/],
    ["tab\tin", /control characters/],
    ["nul\u0000", /control characters/],
    ["c1\u0085", /control characters/],
    ["lone\ud800", /lone surrogate/],
    ["x".repeat(257), /at most 256/],
  ]);
});

describe("rawUsernameRule (charts that write the username unquoted)", () => {
  table(rawUsernameRule, [
    ["prometheus", null],
    ["job_1.scraper@example-org+x", null],
    ["ünïcødé", null],
    ["123", null],
    ["yes", null],
    ["null", /plain YAML word/],
    ["~", /plain YAML word/],
    ["[admin]", /plain YAML word/],
    ["*alias", /plain YAML word/],
    ["&anchor", /plain YAML word/],
    ["!tag", /plain YAML word/],
    ["#comment", /plain YAML word/],
    ["'quoted'", /plain YAML word/],
    ['"quoted"', /plain YAML word/],
    ["%x", /plain YAML word/],
    ["@x", /plain YAML word/],
    ["a b", /plain YAML word/],
    ["-x", /plain YAML word/],
    ["{{ .Values }}", /plain YAML word/],
  ]);
});

describe("passwordRule", () => {
  table(passwordRule, [
    ["s3cret", null],
    ["spaces inside are fine", null],
    [" lead", /must not start or end with a space: Prometheus strips it/],
    ["trail ", /must not start or end with a space/],
    ["nbsp\u00a0", /must not start or end with a space/],
    ["\u3000ideographic", /must not start or end with a space/],
    ["x".repeat(72), null],
    ["é".repeat(36), null],
    ["", /required/],
    ["x".repeat(73), /72 bytes.*73/],
    ["é".repeat(37), /72 bytes.*74/],
    ["😀".repeat(19), /72 bytes.*76/],
    ["line\nbreak", /control characters/],
    ["nul\u0000", /control characters/],
  ]);
  it("counts UTF-8 bytes, not UTF-16 units", () => {
    expect(utf8Length("é")).toBe(2);
    expect(utf8Length("😀")).toBe(4);
  });
});

describe("bcryptHashRule", () => {
  const body = "a".repeat(53);
  table(bcryptHashRule, [
    [`$2a$10$${body}`, null],
    [`$2b$04$${body}`, null],
    [`$2y$31$${body}`, null],
    [`$2x$10$${body}`, /bcrypt hash/],
    [`$2b$03$${body}`, /bcrypt hash/],
    [`$2b$32$${body}`, /bcrypt hash/],
    [`$2b$10$${body}x`, /bcrypt hash/],
    ["s3cret", /bcrypt hash/],
  ]);
});
