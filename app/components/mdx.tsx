// The components authors use in lessons. They are rendered to HTML by the content build
// (scripts/content), never in the browser: lesson code does not reach learners.
import { createContext, useContext, type ReactNode } from "react";

export interface RenderContext {
  /** The section being rendered; LessonSection renders only its own. */
  sectionId: string;
  /** Collects definitions for the module glossary. */
  onKeyTerm: (term: string, definition: ReactNode) => void;
  /** Turns a Figure's src (relative to the module folder) into the URL it is served at. */
  assetUrl: (src: string) => string;
}

export const MdxRenderContext = createContext<RenderContext>({
  sectionId: "",
  onKeyTerm: () => undefined,
  assetUrl: (src) => src,
});

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
  return (
    <section className="scenario" aria-label={`Exercise: ${title}`}>
      <p className="scenario-label">Practical exercise</p>
      <h3>{title}</h3>
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

export const mdxComponents = { LessonSection, Callout, KeyTerm, Source, Timeline, TimelineEvent, Scenario, Figure };

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
