"use client";
/**
 * The rotation planner: loaded when "Plan a rotation" is first pressed (./rotation-section),
 * with the part of the engine that plans rotations.
 */
import { useEffect, useId, useMemo, useState } from "react";
import { MASK } from "./mask";
import { saveFile } from "./save-file";
import { strongPassword } from "./strong-password";
import { hashClient } from "./use-password-hash";
import {
  bundleZip,
  needsPasswordHash,
  nextUsername,
  planPusherRotation,
  planRotation,
  pusherRotationProblems,
  pusherUsername,
  rotationProblems,
  type Config,
  type RotationPhase,
  type RotationRequest,
} from "../lib/index";

/** A well-formed hash, so that the request's other problems are known before hashing. */
const STAND_IN_HASH = "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234";
const SCRAPE = "";
/** Wait after the last keystroke before hashing the new password. */
const DEBOUNCE_MS = 100;

/** The config with every password masked: what the phases' files show until revealed. */
const masked = (config: Config): Config => ({
  ...config,
  password: MASK,
  pushers: config.pushers.map((p) => ({ ...p, password: MASK })),
});

/**
 * Plans a rotation of the scrape password or a pusher's from the current files (`config`):
 * the user types or generates the new password, its bcrypt hash is computed in the page's
 * worker, and each phase shows its files, commands and the check before the next.
 */
export function RotationPanel({ config, shareBaseUrl }: { config: Config | null; shareBaseUrl: string }) {
  const ids = useId();
  const [chosen, setWho] = useState(SCRAPE);
  const who = config?.pushers.some((p) => p.name === chosen) ? chosen : SCRAPE;
  const pusher = config?.pushers.find((p) => p.name === who);
  const currentUser = pusher ? pusherUsername(pusher) : (config?.username ?? "");
  // The suggested new user follows whose password is rotated until the user edits it.
  const [usernames, setUsernames] = useState<Record<string, string>>({});
  const newUsername = usernames[who] ?? (currentUser ? nextUsername(currentUser) : "");
  const [newPassword, setNewPassword] = useState("");
  const [reveal, setReveal] = useState(false);
  const [hashed, setHashed] = useState<{ password: string; hash: string } | null>(null);
  const [status, setStatus] = useState("");

  const needsHash = config !== null && needsPasswordHash(config);
  const problemsOf = (request: RotationRequest) =>
    config === null ? [] : pusher ? pusherRotationProblems(config, who, request) : rotationProblems(config, request);
  // Every problem but the hash's (computed once the rest is right).
  const problems = problemsOf({ newUsername, newPassword, newPasswordHash: needsHash ? STAND_IN_HASH : "" });
  const wantHash = config !== null && needsHash && newPassword !== "" && problems.length === 0;
  const hash = hashed?.password === newPassword ? hashed.hash : null;

  useEffect(() => {
    if (!wantHash || hashed?.password === newPassword) return;
    let current = true;
    const timer = setTimeout(() => {
      hashClient()
        .then((c) => c.run({ type: "hash", password: newPassword }, "rotation"))
        .then(
          (response) => current && "hash" in response && setHashed({ password: newPassword, hash: response.hash }),
          (error: Error) =>
            current && error.name !== "SupersededError" && setStatus(`The new password ${error.message}`),
        );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [wantHash, newPassword, hashed]);

  const plans = useMemo(() => {
    if (config === null || newPassword === "" || problems.length > 0 || (needsHash && hash === null)) return null;
    const request: RotationRequest = { newUsername, newPassword, newPasswordHash: needsHash ? (hash as string) : "" };
    if (problemsOf(request).length) return null;
    const plan = (c: Config, r: RotationRequest) =>
      pusher ? planPusherRotation(c, who, r, shareBaseUrl) : planRotation(c, r, shareBaseUrl);
    return { real: plan(config, request), shown: plan(masked(config), { ...request, newPassword: MASK }) };
    // problemsOf follows from the rest.
  }, [config, who, pusher, newUsername, newPassword, hash, needsHash, shareBaseUrl]);

  if (config === null) {
    return (
      <p className="hint">
        Complete the settings and the passwords above first: the rotation starts from the files they give.
      </p>
    );
  }

  const download = (phase: RotationPhase, index: number) => {
    const name = `pushgateway-auth-${config.releaseName}-rotation-${index + 1}-${phase.id}.zip`;
    saveFile(name, bundleZip(phase.files) as BlobPart, "application/zip");
    setStatus(`Downloaded ${name}`);
  };

  return (
    <div className="rotation-panel">
      {config.pushers.length > 0 && (
        <div className="field">
          <label htmlFor={`${ids}-who`}>Whose password</label>
          <select id={`${ids}-who`} value={who} onChange={(e) => setWho(e.target.value)}>
            <option value={SCRAPE}>The scrape user ({config.username})</option>
            {config.pushers.map((p) => (
              <option key={p.name} value={p.name}>
                Pusher {p.name} ({pusherUsername(p)})
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${ids}-user`}>New username</label>
        <input
          id={`${ids}-user`}
          value={newUsername}
          onChange={(e) => setUsernames((u) => ({ ...u, [who]: e.target.value }))}
          aria-describedby={`${ids}-user-hint`}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
        />
        <p id={`${ids}-user-hint`} className="hint">
          Both users are in the web config while Prometheus (or the job) switches: the new password needs a user of its
          own.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-password`}>New password</label>
        <div className="with-buttons">
          <input
            id={`${ids}-password`}
            type={reveal ? "text" : "password"}
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
            autoComplete="new-password"
            spellCheck={false}
            aria-invalid={newPassword !== "" && problems.length > 0 ? true : undefined}
            aria-describedby={problems.length && newPassword ? `${ids}-problems` : undefined}
          />
          <button type="button" aria-pressed={reveal} onClick={() => setReveal((r) => !r)}>
            {reveal ? "Hide new password" : "Show new password"}
          </button>
          <button type="button" onClick={() => setNewPassword(strongPassword())}>
            Generate a new password
          </button>
        </div>
      </div>
      {newPassword !== "" && problems.length > 0 && (
        <ul id={`${ids}-problems`} className="error">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {newPassword === "" && <p className="hint">Type or generate the new password to see the plan.</p>}
      {wantHash && hash === null && <p className="note">Computing the bcrypt hash of the new password…</p>}
      {plans && (
        <ol className="rotation-phases">
          {plans.real.phases.map((phase, i) => {
            const shown = plans.shown.phases[i] as RotationPhase;
            const headingId = `${ids}-phase-${i}`;
            return (
              <li key={phase.id}>
                <section aria-labelledby={headingId}>
                  <h3 id={headingId}>{phase.title}</h3>
                  <p>{phase.text}</p>
                  <button type="button" onClick={() => download(phase, i)}>
                    Download phase {i + 1} (zip)
                  </button>
                  <h4>Files</h4>
                  <ul className="rotation-files">
                    {Object.keys(phase.files).map((name) => (
                      <li key={name}>
                        <details>
                          <summary>
                            {name}
                            {phase.changed.includes(name) && <strong> (changed)</strong>}
                          </summary>
                          <pre className="code" tabIndex={0}>
                            <code>{(reveal ? phase.files : shown.files)[name]}</code>
                          </pre>
                        </details>
                      </li>
                    ))}
                  </ul>
                  <h4>Commands</h4>
                  <pre className="code" tabIndex={0}>
                    <code>{phase.commands || "# nothing to apply"}</code>
                  </pre>
                  <h4>Before the next phase</h4>
                  <p>{phase.check}</p>
                  <pre className="code" tabIndex={0}>
                    <code>{phase.checkCommand}</code>
                  </pre>
                </section>
              </li>
            );
          })}
        </ol>
      )}
      <p role="status" className="visually-hidden">
        {status}
      </p>
    </div>
  );
}
