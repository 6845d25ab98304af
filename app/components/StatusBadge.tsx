const ICONS = { ok: "✓", warn: "⏱", off: "✕", info: "•" } as const;

/** Status in words with an icon, so it never rests on colour alone. */
export function StatusBadge({ tone, children }: { tone: keyof typeof ICONS; children: string }) {
  return (
    <span className={`badge badge-${tone}`}>
      <span aria-hidden="true">{ICONS[tone]} </span>
      {children}
    </span>
  );
}
