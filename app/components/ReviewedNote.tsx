import { formatDate } from "~/lib/format";

/** "Content current as of …": when the module's facts were last checked (its frontmatter `reviewed`). */
export function ReviewedNote({ reviewed }: { reviewed?: string | null }) {
  if (!reviewed) return null;
  return (
    <p className="muted small reviewed">
      Content current as of <time dateTime={reviewed}>{formatDate(reviewed)}</time>
    </p>
  );
}
