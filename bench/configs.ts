/** Varied, valid configs for the engine benchmark, from a seeded generator (same every run). */
import { validateConfig, type Config } from "../lib/core";
import { CHART_PROFILES, SERVICE_MONITOR_MODES, SUGGESTED_CHART_VERSIONS } from "../lib/chart/versions";
import { profileFor } from "../lib/chart/versions";

// A fixed, well-formed hash: the engine copies it and never checks it against the password.
const HASH = `$2b$10$${"N9qo8uLOickgx2ZMRZoMye".padEnd(53, "a")}`;

/** mulberry32: a small seeded PRNG, so runs compare like with like. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function variedConfigs(count: number, seed = 42): Config[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const word = (chars: string, min: number, max: number) =>
    Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick([...chars])).join("");
  const lower = "abcdefghijklmnopqrstuvwxyz";
  const printable = `${lower}${lower.toUpperCase()}0123456789 !"#$%&'()*+,-./:;<=>?@[]^_{|}~`;
  const configs: Config[] = [];
  while (configs.length < count) {
    const chartVersion = pick(SUGGESTED_CHART_VERSIONS);
    const profile = profileFor(chartVersion).profile ?? CHART_PROFILES[0]!;
    const modes = SERVICE_MONITOR_MODES.filter((m) => profile.modes[m].allowed);
    const result = validateConfig({
      chartVersion,
      releaseName: `${pick([...lower])}${word(`${lower}0123456789-`, 0, 30)}x`,
      namespace: `ns${word(lower, 1, 20)}`,
      username:
        profile.webConfig === "chart"
          ? `u${word(`${lower}._-`, 0, 12)}`
          : `u ${word(printable.replace(":", ""), 1, 20)}x`,
      password: `p${word(printable, 6, 40)}x`,
      passwordHash: HASH,
      serviceMonitorNamespace: random() < 0.5 ? "" : `mon${word(lower, 1, 10)}`,
      prometheusSelector: random() < 0.2 ? "" : `release=${word(lower, 3, 20)}`,
      serviceMonitorMode: pick(["auto", ...modes]),
      networkPolicyEnabled: random() < 0.3,
    });
    if (result.ok) configs.push(result.config);
  }
  return configs;
}
