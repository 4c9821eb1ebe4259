/**
 * The Argo CD guide never has the plaintext password pushed to Git: on charts that need it in
 * the Application's values, the step applies application.yaml directly and commits it only as a
 * comment after "encrypt FIRST"; from 3.7.0 (no password in the Application) it is committed.
 * The bundle's README says the same as the page's guide.
 */
import { describe, expect, it } from "vitest";
import { hashSync } from "bcryptjs";
import { generate, validateConfig } from "../../lib/index";

function bundle(chartVersion: string) {
  const result = validateConfig({
    chartVersion,
    deploy: "argocd",
    password: "pw-Secret1",
    passwordHash: hashSync("pw-Secret1", 4),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return generate(result.config).files;
}

/** The shell lines of README.md that run (not comments). */
const commands = (readme: string) =>
  [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.split("\n"))
    .filter((l) => l && !l.startsWith("#"));

describe("Argo CD guide", () => {
  it.each(["2.14.0", "3.1.0", "3.6.1"])("chart %s: applies application.yaml directly, Git only once encrypted", (v) => {
    const files = bundle(v);
    expect(files["application.yaml"]).toContain("pw-Secret1");
    const readme = files["README.md"]!;
    const run = commands(readme);
    expect(run.filter((l) => /git (add|commit|push)/.test(l))).toEqual([]);
    expect(run).toContain("kubectl apply -n argocd -f application.yaml");
    expect(readme).toMatch(/encrypt application\.yaml FIRST, then:\n#\s+git add application\.yaml/);
  });

  it("chart 3.8.0: commits application.yaml (it holds no password)", () => {
    const files = bundle("3.8.0");
    expect(files["application.yaml"]).not.toContain("pw-Secret1");
    expect(commands(files["README.md"]!)).toContain(
      'git add application.yaml && git commit -m "pushgateway pushgateway: basic auth" && git push',
    );
  });
});
