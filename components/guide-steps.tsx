import type { GuideStep } from "../lib/index";
import { YamlCode } from "./yaml-code";

/**
 * The deploy-and-verify steps, each snippet with a Copy button. No state and no handlers: the
 * server renders it into the page, and the guide's island (GuideLive) renders it again
 * when the settings change and handles its Copy buttons.
 */
export function GuideSteps({ steps }: { steps: GuideStep[] }) {
  return (
    <ol>
      {steps.map((step) => (
        <li key={step.id}>
          <div className="file-head">
            <h3>{step.title}</h3>
            {step.snippet && (
              <button type="button" aria-label={`Copy: ${step.title}`} data-copy="">
                Copy
              </button>
            )}
          </div>
          <p>{step.text}</p>
          {step.snippet && <YamlCode text={step.snippet.code} plain={step.snippet.language !== "yaml"} />}
        </li>
      ))}
    </ol>
  );
}
