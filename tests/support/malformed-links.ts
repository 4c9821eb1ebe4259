/** A corpus of malformed, truncated and tampered share links, for the unit and e2e tests. */
import fc from "fast-check";
import LZString from "lz-string";
import { DEFAULTS } from "../../lib/index";
import { encodeShareFragment, SHAREABLE_FIELDS } from "../../lib/share/share-link";
import { anyText } from "./arbitraries";

const compress = (json: string) => `s1.${LZString.compressToEncodedURIComponent(json)}`;

const VALID = encodeShareFragment({
  ...DEFAULTS,
  chartVersion: "2.14.0",
  releaseName: "gw",
  networkPolicyEnabled: true,
});

/** Hand-picked nasty links, each with the problem it must report (empty: none). */
export const NASTY_LINKS: [string, RegExp][] = [
  ["#", /^$/],
  ["#s1.", /do not decompress/],
  ["#s1", /not in the share-link format/],
  ["#v1.abc", /not in the share-link format/],
  ["#s1.!!!", /not in the share-link format/],
  ["#s1.abc def", /not in the share-link format/],
  ["#s1.%3Cscript%3E", /not in the share-link format/],
  ["#s2.N4Ig", /format 2, which this version of the page does not know/],
  ["#s99999.N4Ig", /not in the share-link format/],
  ["#s0.N4Ig", /format 0/],
  [`#${VALID.slice(0, -5)}`, /damaged/],
  [`#${VALID.slice(0, 10)}`, /damaged/],
  [`#s1.${"A".repeat(5000)}`, /too long/],
  [compress("null"), /not a set of fields/],
  [compress("[1,2,3]"), /not a set of fields/],
  [compress('"string"'), /not a set of fields/],
  [compress("42"), /not a set of fields/],
  [compress("{not json"), /not valid JSON/],
  [compress(JSON.stringify({ password: "leaked" })), /carried a password, which links never hold/],
  [compress(JSON.stringify({ passwordHash: "$2b$10$x" })), /carried a password hash/],
  [compress(JSON.stringify({ releaseName: 42 })), /Release name in the link has the wrong type/],
  [compress(JSON.stringify({ networkPolicyEnabled: "yes" })), /NetworkPolicy in the link has the wrong type/],
  [compress(JSON.stringify({ namespace: null })), /Namespace in the link has the wrong type/],
  [compress(JSON.stringify({ namespace: { $ne: 1 } })), /wrong type/],
  [compress(JSON.stringify({ __proto__: { polluted: 1 }, constructor: "x" })), /unknown setting/],
  [compress('{"__proto__": {"isAdmin": true}}'), /unknown setting "__proto__"/],
  [
    compress(JSON.stringify({ releaseName: "<script>alert(1)</script>" })),
    /Release name from the link was replaced by the default/,
  ],
  [
    compress(JSON.stringify({ username: "<img src=x onerror=alert(1)>", chartVersion: "2.14.0" })),
    /Username from the link was replaced/,
  ],
  [
    compress(JSON.stringify({ prometheusSelector: "{{ .Values.x }}" })),
    /Prometheus selector label from the link was replaced/,
  ],
  [
    compress(JSON.stringify({ chartVersion: "1.0.0" })),
    /Chart version from the link was replaced by the default: Chart version 1\.0\.0 has no webConfiguration/,
  ],
  [
    compress(JSON.stringify({ chartVersion: "2.14.0", serviceMonitorMode: "values" })),
    /ServiceMonitor strategy from the link was replaced/,
  ],
  [compress(JSON.stringify({ interval: "10s", scrapeTimeout: "1m" })), /Scrape timeout from the link was replaced/],
  [compress(JSON.stringify({ releaseName: "x".repeat(5000) })), /too long|too large/],
  [compress(JSON.stringify({ a: "x".repeat(20000) })), /too (long|large)/],
  [
    compress(JSON.stringify(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])))),
    /unknown setting/,
  ],
];

/** Generated links: random text, truncations and character flips of a valid link, any JSON. */
export const malformedLink = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }).map((s) => `#${s}`),
  fc.string({ maxLength: 300 }).map((s) => `#s1.${s}`),
  fc.nat(VALID.length).map((n) => `#${VALID.slice(0, n)}`),
  fc
    .tuple(fc.nat(VALID.length - 1), fc.constantFrom(..."ABCxyz019+-$"))
    .map(([i, c]) => `#${VALID.slice(0, i)}${c}${VALID.slice(i + 1)}`),
  fc.jsonValue().map((v) => compress(JSON.stringify(v))),
  fc
    .dictionary(fc.constantFrom(...SHAREABLE_FIELDS, "password", "x"), fc.oneof(anyText, fc.boolean(), fc.integer()))
    .map((o) => compress(JSON.stringify(o))),
);

/** A fixed sample of generated links, for tests that need a list. */
export function sampleMalformedLinks(count: number): string[] {
  return fc.sample(malformedLink, { numRuns: count, seed: 20261126 });
}
