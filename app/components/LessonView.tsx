import type { LessonArtifact } from "~/content/schema";
import { formatMinutes } from "~/lib/format";
import { GlossaryList, SourceList } from "./References";
import { ReviewedNote } from "./ReviewedNote";

/**
 * A lesson as learners see it. The section HTML was produced by the content build from the
 * authors' files (raw HTML is not allowed in them), so it is inserted as is. A learner sees their
 * own minutes left (the dashboard's figure); an instructor, the whole lesson's estimate.
 */
export function LessonView({
  lesson,
  objectives,
  minutesLeft,
}: {
  lesson: LessonArtifact;
  objectives: { id: string; title: string }[];
  minutesLeft?: number;
}) {
  return (
    <article className="lesson" aria-labelledby="lesson-title">
      <header>
        <h1 id="lesson-title">{lesson.title}</h1>
        <p className="lead">{lesson.summary}</p>
        <p className="muted">
          About {minutesLeft === undefined ? formatMinutes(lesson.estimatedMinutes) : `${formatMinutes(minutesLeft)} left`} ·{" "}
          {lesson.sections.length} sections · Objectives:{" "}
          {objectives.map((o) => `${o.id} ${o.title}`).join("; ")}
        </p>
        <ReviewedNote reviewed={lesson.reviewed} />
      </header>
      <nav aria-label="Sections of this lesson" className="toc">
        <ol>
          {lesson.sections.map((s) => (
            <li key={s.id}>
              <a href={`#${s.id}`}>{s.title}</a>
            </li>
          ))}
        </ol>
      </nav>
      {lesson.sections.map((s) => (
        <section
          key={s.id}
          className="lesson-section"
          aria-label={s.title}
          data-section={s.id}
          // Build-time HTML from the course files.
          dangerouslySetInnerHTML={{ __html: s.id === "introduction" ? `<h2 id="introduction" class="visually-hidden">Introduction</h2>${s.html}` : s.html }}
        />
      ))}
      {lesson.glossary.length ? (
        <section aria-labelledby="glossary-title" className="lesson-section">
          <h2 id="glossary-title">Key terms</h2>
          <GlossaryList entries={lesson.glossary} />
        </section>
      ) : null}
      {lesson.sources.length ? (
        <section aria-labelledby="sources-title" className="lesson-section">
          <h2 id="sources-title">Sources</h2>
          <SourceList sources={lesson.sources} />
        </section>
      ) : null}
    </article>
  );
}
