// The components authors use in lessons. They are rendered to HTML by the content build
// (scripts/content), never in the browser: lesson code does not reach learners.
import { createContext, createElement, useContext, type ComponentPropsWithoutRef, type ReactNode } from "react";

export interface RenderContext {
  /** The section being rendered; LessonSection renders only its own. */
  sectionId: string;
  /** Collects definitions for the module glossary. */
  onKeyTerm: (term: string, definition: ReactNode) => void;
  /** Turns a Figure's src (relative to the module folder) into the URL it is served at. */
  assetUrl: (src: string) => string;
  /**
   * The section is its own page, whose h1 is the section title: its `##` heading is left out and
   * every other heading moves up a level, so that levels do not skip (### under the h1 is an h2).
   */
  sectionPage?: boolean;
}

export const MdxRenderContext = createContext<RenderContext>({
  sectionId: "",
  onKeyTerm: () => undefined,
  assetUrl: (src) => src,
});

/** A heading at its level in the whole lesson (## = h2), one level up on a section's own page. */
function useHeadingTag(level: number): string {
  const { sectionPage } = useContext(MdxRenderContext);
  return `h${sectionPage ? level - 1 : level}`;
}

function headingAt(level: 2 | 3 | 4 | 5 | 6) {
  function Heading(props: ComponentPropsWithoutRef<"h2">) {
    const tag = useHeadingTag(level);
    // On the section's own page the page's h1 is the section title.
    return tag === "h1" ? null : createElement(tag, props);
  }
  Heading.displayName = `H${level}`;
  return Heading;
}

export const CALLOUT_LABELS = { note: "Note", warning: "Warning", "key-point": "Key point" } as const;

function LessonSection({ id, children }: { id: string; children?: ReactNode }) {
  const { sectionId } = useContext(MdxRenderContext);
  return id === sectionId ? <>{children}</> : null;
}

function Callout({ type, children }: { type: keyof typeof CALLOUT_LABELS; children?: ReactNode }) {
  return (
    <aside className={`callout callout-${type}`} aria-label={CALLOUT_LABELS[type]}>
      <p className="callout-label">
        <span aria-hidden="true">{type === "warning" ? "⚠" : type === "key-point" ? "★" : "ℹ"} </span>
        {CALLOUT_LABELS[type]}
      </p>
      {children}
    </aside>
  );
}

function KeyTerm({ term, inline, children }: { term: string; inline?: string; children?: ReactNode }) {
  const { onKeyTerm } = useContext(MdxRenderContext);
  onKeyTerm(term, children);
  if (inline) {
    return (
      <span className="key-term">
        <dfn>{term}</dfn>: {children}
      </span>
    );
  }
  return (
    <dl className="key-term">
      <dt>
        <dfn>{term}</dfn>
      </dt>
      <dd>{children}</dd>
    </dl>
  );
}

export function sourceLabel({ title, symbol, year }: { title: string; symbol?: string; year?: string | number }) {
  return [title, symbol, year].filter(Boolean).join(", ");
}

function Source({ title, symbol, year, url }: { title: string; symbol?: string; year?: string; url?: string }) {
  const label = sourceLabel({ title, symbol, year });
  return (
    <cite className="source">
      {url ? (
        <a href={url} rel="noopener noreferrer">
          {label}
        </a>
      ) : (
        label
      )}
    </cite>
  );
}

function Timeline({ children }: { children?: ReactNode }) {
  return <ol className="timeline">{children}</ol>;
}

function TimelineEvent({ date, title, children }: { date: string; title: string; children?: ReactNode }) {
  return (
    <li className="timeline-event">
      <p className="timeline-head">
        <span className="timeline-date">{date}</span> <strong>{title}</strong>
      </p>
      {children}
    </li>
  );
}

function Scenario({ title, children }: { title: string; children?: ReactNode }) {
  const headingTag = useHeadingTag(3);
  return (
    <section className="scenario" aria-label={`Exercise: ${title}`}>
      <p className="scenario-label">Practical exercise</p>
      {createElement(headingTag, null, title)}
      {children}
    </section>
  );
}

function Figure({ src, alt, caption }: { src: string; alt: string; caption?: string }) {
  const { assetUrl } = useContext(MdxRenderContext);
  return (
    <figure className="figure">
      <img src={assetUrl(src)} alt={alt} loading="lazy" />
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

/**
 * The content build wraps every table in one: a narrow screen scrolls the table, never the page, and
 * keyboard users can scroll it too (the region takes focus and is named after the table's heading).
 */
function TableRegion({ label, children }: { label: string; children?: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export const mdxComponents = {
  LessonSection,
  Callout,
  KeyTerm,
  Source,
  Timeline,
  TimelineEvent,
  Scenario,
  Figure,
  TableRegion,
  h2: headingAt(2),
  h3: headingAt(3),
  h4: headingAt(4),
  h5: headingAt(5),
  h6: headingAt(6),
};

interface PropRule {
  required?: boolean;
  values?: readonly string[];
}

/** What authors may write: component names and their props (string literals only). */
export const COMPONENT_RULES: Record<string, Record<string, PropRule>> = {
  Callout: { type: { required: true, values: Object.keys(CALLOUT_LABELS) } },
  KeyTerm: { term: { required: true } },
  Source: { title: { required: true }, symbol: {}, year: {}, url: {} },
  Timeline: {},
  TimelineEvent: { date: { required: true }, title: { required: true } },
  Scenario: { title: { required: true } },
  Figure: { src: { required: true }, alt: { required: true }, caption: {} },
};

/** Inline HTML that Markdown cannot express and that is harmless in a lesson. */
export const ALLOWED_HTML = ["abbr", "sub", "sup", "kbd", "br", "small"];
