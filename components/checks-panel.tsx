import type { Check } from "../lib/index";

const ICON = { pass: "✓", warn: "!", fail: "✗" } as const;
const WORD = { pass: "Pass", warn: "Warning", fail: "Fail" } as const;

/** The engine's consistency checks; failures are announced and impossible to miss. */
export function ChecksPanel({ checks, outdated }: { checks: Check[] | null; outdated: boolean }) {
  const failed = checks?.filter((c) => c.status === "fail") ?? [];
  const warned = checks?.filter((c) => c.status === "warn") ?? [];
  return (
    <section className="checks" aria-labelledby="checks-heading">
      <h2 id="checks-heading">Consistency checks</h2>
      {!checks ? (
        <p className="hint">The checks run as soon as the form holds a password.</p>
      ) : (
        <>
          {failed.length > 0 ? (
            <p role="alert" className="banner banner-fail">
              {failed.length} {failed.length === 1 ? "check fails" : "checks fail"}: Prometheus would not scrape this
              setup. {failed.map((c) => c.title).join(", ")}.
            </p>
          ) : (
            <p className="summary">
              {outdated ? "Last valid bundle: " : ""}
              {checks.length - warned.length} of {checks.length} checks pass
              {warned.length > 0 && `, ${warned.length} ${warned.length === 1 ? "warning" : "warnings"}`}.
            </p>
          )}
          <ul className="check-list">
            {checks.map((check) => (
              <li key={check.id} className={`check check-${check.status}`}>
                <span className="check-icon" aria-hidden="true">
                  {ICON[check.status]}
                </span>
                <span>
                  <span className="visually-hidden">{WORD[check.status]}: </span>
                  <strong>{check.title}</strong> {check.message}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
