"use client";
import { memo, useState } from "react";
import type { GuideStep } from "../lib/index";
import { copyText } from "./clipboard";
import { YamlCode } from "./yaml-code";

/** The deploy-and-verify steps for the current settings, each snippet with a Copy button. */
export const Guide = memo(function Guide({ steps }: { steps: GuideStep[] }) {
  const [status, setStatus] = useState("");
  return (
    <section className="guide" aria-labelledby="guide-heading">
      <h2 id="guide-heading">Deploy and verify</h2>
      <ol>
        {steps.map((step) => (
          <li key={step.id}>
            <div className="file-head">
              <h3>{step.title}</h3>
              {step.snippet && (
                <button
                  type="button"
                  aria-label={`Copy: ${step.title}`}
                  onClick={async () =>
                    setStatus(
                      (await copyText(step.snippet?.code ?? ""))
                        ? `Copied: ${step.title}`
                        : "Could not copy: the browser refused clipboard access",
                    )
                  }
                >
                  Copy
                </button>
              )}
            </div>
            <p>{step.text}</p>
            {step.snippet && <YamlCode text={step.snippet.code} plain={step.snippet.language !== "yaml"} />}
          </li>
        ))}
      </ol>
      <p role="status" className="visually-hidden">
        {status}
      </p>
    </section>
  );
});
