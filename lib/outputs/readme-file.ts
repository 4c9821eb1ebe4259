/** README.md: the deploy-and-verify guide for exactly this bundle. */
import { buildGuide, guideMarkdown } from "../guide/guide";
import type { Output } from "./output";

export const README_FILE = "README.md";

export const readmeOutput: Output = {
  name: README_FILE,
  applies: () => true,
  build: ({ plan, shareLink, outputs }) => {
    const files = outputs.filter((o) => o !== readmeOutput).flatMap((o) => o.describe(plan) ?? []);
    return guideMarkdown(plan, buildGuide(plan), shareLink, files);
  },
  secret: false,
  executable: false,
  describe: () => null,
};
