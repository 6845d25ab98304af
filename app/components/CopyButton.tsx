import { useState, useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/** Appears only once JavaScript runs; without it the text stays selectable beside it. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  // false in the server's HTML, true once hydrated in a browser with a clipboard.
  const ready = useSyncExternalStore(
    noSubscription,
    () => Boolean(navigator.clipboard),
    () => false,
  );
  const [copied, setCopied] = useState(false);
  if (!ready) return null;
  return (
    <button
      type="button"
      className="button button-small button-secondary"
      onClick={() => {
        void navigator.clipboard.writeText(text).then(() => setCopied(true));
      }}
    >
      {copied ? "Copied ✓" : label}
      <span className="visually-hidden" aria-live="polite">
        {copied ? " (copied to the clipboard)" : ""}
      </span>
    </button>
  );
}
