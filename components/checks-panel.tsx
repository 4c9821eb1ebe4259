import { memo } from "react";
import type { Check } from "../lib/index";
import { StackedText } from "./stacked-text";

const ICON = { pass: "✓", warn: "!", fail: "✗" } as const;
const WORD = { pass: "Pass", warn: "Warning", fail: "Fail" } as const;

const WAITS_FOR = { password: "the password", hash: "the password's bcrypt hash" } as const;

/** The summary line; each form it can take, so all of them take the same room. */
function summaries(total: number, warned: number, waiting: number, outdated: boolean) {
  const prefix = outdated ? "Last valid bundle: " : "";
  const warnings = warned > 0 ? `, ${warned} ${warned === 1 ? "warning" : "warnings"}` : "";
  const passing = total - warned - waiting;
  return {
    ready: `${prefix}${total - warned} of ${total} checks pass${warnings}.`,
    password: `${prefix}${passing} of ${total} checks pass${warnings}; the password is the one thing missing: type or generate one.`,
    hash: `${prefix}${passing} of ${total} checks pass${warnings}; the rest wait for the password's bcrypt hash, being computed.`,
  };
}

/**
 * The engine's consistency checks; failures are announced and impossible to miss. Before the
 * password is known (`missing`), the checks that need it say they wait for it; every other one
 * already holds on the files shown.
 */
export const ChecksPanel = memo(function ChecksPanel({
  checks,
  outdated,
  waiting = [],
  missing = null,
}: {
  checks: Check[] | null;
  outdated: boolean;
  /** Ids of the checks that wait for what is missing. */
  waiting?: readonly string[];
  missing?: "password" | "hash" | null;
}) {
  const isWaiting = (check: Check) => missing !== null && waiting.includes(check.id);
  const failed = checks?.filter((c) => c.status === "fail" && !isWaiting(c)) ?? [];
  const warned = checks?.filter((c) => c.status === "warn" && !isWaiting(c)) ?? [];
  const waited = checks?.filter(isWaiting) ?? [];
  const lines = checks ? summaries(checks.length, warned.length, waited.length, outdated) : null;
  const kind = missing ?? "ready";
  return (
    <section className="checks" aria-labelledby="checks-heading">
      <h2 id="checks-heading">Consistency checks</h2>
      {!checks || !lines ? (
        <p className="hint">The checks run as soon as the form holds valid settings.</p>
      ) : (
        <>
          {failed.length > 0 ? (
            <p role="alert" className="banner banner-fail">
              {failed.length} {failed.length === 1 ? "check fails" : "checks fail"}: Prometheus would not scrape this
              setup. {failed.map((c) => c.title).join(", ")}.
            </p>
          ) : (
            <p className="summary">
              <StackedText others={Object.entries(lines).flatMap(([k, text]) => (k === kind ? [] : [text]))}>
                {lines[kind]}
              </StackedText>
            </p>
          )}
          <ul className="check-list">
            {checks.map((check, i) => {
              const waits = isWaiting(check);
              return (
                // The same elements either way, so an item that turns from waiting to passing
                // keeps its place, and its text stays where it was.
                <li key={`${check.id}-${i}`} className={`check check-${waits ? "waiting" : check.status}`}>
                  <span className="check-icon" aria-hidden="true">
                    {waits ? "…" : ICON[check.status]}
                  </span>
                  <StackedText others={waits ? [{ strong: check.title, text: check.message }] : []}>
                    <span className="visually-hidden">{waits ? "Waiting" : WORD[check.status]}: </span>
                    <strong>{check.title}</strong>{" "}
                    {waits ? `is checked once ${WAITS_FOR[missing!]} is there.` : check.message}
                  </StackedText>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
});
