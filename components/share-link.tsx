"use client";
import { memo, useState } from "react";
import { copyText } from "./clipboard";

/** The share link of the current settings, read-only, with a Copy button. */
export const ShareLink = memo(function ShareLink({ link }: { link: string }) {
  const [status, setStatus] = useState("");
  return (
    <section className="share" aria-labelledby="share-heading">
      <h2 id="share-heading">Share these settings</h2>
      <div className="field">
        <label htmlFor="share-link">Share link</label>
        <div className="with-buttons">
          <input
            id="share-link"
            readOnly
            value={link}
            placeholder="Appears once the settings are valid"
            aria-describedby="share-note"
            onFocus={(e) => e.currentTarget.select()}
          />
          <button
            type="button"
            disabled={!link}
            onClick={async () =>
              setStatus(
                (await copyText(link))
                  ? "Copied the share link"
                  : "Could not copy the share link: the browser refused clipboard access",
              )
            }
          >
            Copy share link
          </button>
        </div>
        <p id="share-note" className="hint">
          The link holds no password and no hash: whoever opens it types the password. The settings travel after the #,
          which browsers never send to a server.
        </p>
      </div>
      <p role="status" className="visually-hidden">
        {status}
      </p>
    </section>
  );
});
