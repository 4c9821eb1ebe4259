/** README.md: the deploy-and-verify guide for exactly this bundle. */
import { guideMarkdown } from "../guide/markdown";
import type { Output } from "./output";

export const README_FILE = "README.md";

export const readmeOutput: Output = {
  name: README_FILE,
  role: "other",
  applies: () => true,
  build: ({ plan, shareLink, outputs, guide }) => {
    const files = outputs.filter((o) => o !== readmeOutput).flatMap((o) => o.describe(plan) ?? []);
    return guideMarkdown(plan, guide(), shareLink, files);
  },
  secret: false,
  executable: false,
  describe: () => null,
};
