import type { GlossaryEntry, SourceRef } from "~/content/schema";
import { sourceLabel } from "./mdx";

/** A cited document, linked when it has an address. */
export function SourceLink({ source }: { source: SourceRef }) {
  return source.url ? (
    <a href={source.url} rel="noopener noreferrer">
      {sourceLabel(source)}
    </a>
  ) : (
    <>{sourceLabel(source)}</>
  );
}

export function SourceList({ sources }: { sources: SourceRef[] }) {
  return (
    <ul className="sources">
      {sources.map((s) => (
        <li key={`${s.symbol ?? ""}${s.title}`}>
          <SourceLink source={s} />
        </li>
      ))}
    </ul>
  );
}

/** Key terms with their definitions (build-time HTML). */
export function GlossaryList({ entries }: { entries: Pick<GlossaryEntry, "term" | "html">[] }) {
  return (
    <dl className="glossary">
      {entries.map((g) => (
        <div key={g.term}>
          <dt>{g.term}</dt>
          <dd dangerouslySetInnerHTML={{ __html: g.html }} />
        </div>
      ))}
    </dl>
  );
}
