/**
 * Files for how the bundle ships its Secrets (issue 15). With Sealed Secrets the CLI keeps the
 * key its per-value randomness is derived from in `.sealing-key` (lib/secrets/derive.ts): the
 * bundle's own .gitignore keeps it out of git.
 */
import { SEALING_KEY_FILE } from "../secrets/derive";
import type { Output } from "./output";

export const GITIGNORE_FILE = ".gitignore";

export const gitignoreOutput: Output = {
  name: GITIGNORE_FILE,
  role: "other",
  applies: (plan) => plan.config.secretsAs === "sealed",
  build: () =>
    [
      "# The CLI's sealing key: re-sealing with it leaves unchanged values byte-identical.",
      "# Never commit it: with it, anyone holding the SealedSecrets could test password guesses.",
      `/${SEALING_KEY_FILE}`,
      "",
    ].join("\n"),
  secret: false,
  executable: false,
  describe: () => `\`${GITIGNORE_FILE}\`: keeps the CLI's \`${SEALING_KEY_FILE}\` (never commit it) out of git`,
};
