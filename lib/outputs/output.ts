/**
 * What every bundle file declares about itself. A bundle is the list of outputs whose
 * `applies` holds for the plan, in registry order (lib/outputs/registry.ts).
 */
import type { Plan } from "../engine/plan";
import type { GuideStep } from "../guide/step";

export interface OutputContext {
  plan: Plan;
  /** bcrypt hash of the scrape password where the bundle embeds one (see needsPasswordHash), else null. */
  passwordHash: string | null;
  /** The link that reopens these settings (never the credentials). */
  shareLink: string;
  /** Every output of this bundle, in order (README.md lists them). */
  outputs: readonly Output[];
  /**
   * The deploy-and-verify guide for this plan (README.md carries it), built when first asked
   * for: the page's masked build of the credential files never needs it.
   */
  guide: () => readonly GuideStep[];
}

/** When the guide applies a file on its own: before `helm upgrade --install`, or after it. */
export type ApplyStage = "before-chart" | "after-chart";

/**
 * What a file is to the checks: the chart's values, Kubernetes objects applied beside the chart,
 * the post-renderer's patch and kustomization, a scraper's own configuration (Alloy's block,
 * a Prometheus scrape_config), the GitOps objects that deploy the chart (their values, chart and
 * release), or something no check reads.
 */
export type OutputRole = "values" | "manifests" | "patch" | "kustomization" | "scraper-config" | "gitops" | "other";

export interface Output {
  /** Path of the file inside the bundle (`dir/name` for files in a subdirectory). */
  name: string;
  role: OutputRole;
  /** Whether the plan's bundle holds this file. */
  applies: (plan: Plan) => boolean;
  /** The file's text. */
  build: (context: OutputContext) => string;
  /**
   * Holds credentials, or may (values.yaml does where the chart hashes the password itself, and
   * an imported values file may hold anything): written owner-only (0600).
   */
  secret: boolean;
  /** A script: written executable (0755). */
  executable: boolean;
  /** One line for the bundle README's list of files; null when another file's line covers it. */
  describe: (plan: Plan) => string | null;
  /** The guide's step applying this file, for files applied with kubectl rather than read by Helm. */
  apply?: { stage: ApplyStage; step: (plan: Plan) => GuideStep };
}
