import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { LessonView } from "~/components/LessonView";
import { getCourse, getLesson, getModule, getPublicQuiz, getQuizKey } from "~/content/course.server";
import { learnerBank } from "~/models/quiz-draw.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(`Preview: ${data?.lesson.title ?? "module"} · Cyber Diplomacy Academy`, data?.lesson.summary);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "coordinator");
  const slug = params.slug ?? "";
  const module = getModule(slug);
  const edition = new URL(request.url).searchParams.get("edition");
  if (!module || (edition && !module.editions.some((e) => e.id === edition))) {
    throw new Response("No such module or edition.", { status: 404 });
  }
  const lesson = getLesson(slug, edition);
  if (!lesson) throw new Response("No such module.", { status: 404 });
  const course = getCourse();
  const quiz = getPublicQuiz(slug);
  // Instructors see the key: this page is never shown to learners.
  const key = getQuizKey(slug);
  return {
    slug,
    edition,
    editions: module.editions.map((e) => ({ id: e.id, name: course.editions.find((c) => c.id === e.id)?.name ?? e.id })),
    lesson,
    objectives: course.objectives.filter((o) => module.objectives.includes(o.id)).map((o) => ({ id: o.id, title: o.title })),
    quiz: quiz
      ? {
          passingScore: quiz.passingScore,
          version: quiz.version,
          draw: quiz.draw,
          // The bank this version's learners draw from: the base questions and the edition's own.
          questions: learnerBank(quiz, edition).map((q) => {
            const k = key?.questions.find((x) => x.id === q.id);
            return { ...q, correct: k?.correct ?? [], feedbackHtml: k?.feedbackHtml ?? {}, explanationHtml: k?.explanationHtml ?? "" };
          }),
        }
      : null,
  };
}

const TYPE_LABEL = { single: "One answer", multiple: "Several answers", "true-false": "True or false" } as const;

export default function ModulePreview() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/instructor">← Course authoring</Link>
      </p>
      <div className="alert alert-info">
        <span aria-hidden="true">ℹ </span>Preview as learners see it
        {data.edition ? ` in the ${data.editions.find((e) => e.id === data.edition)?.name} edition` : " (base lesson)"}.
        {data.editions.length ? (
          <>
            {" "}
            Other versions:{" "}
            {data.edition ? <Link to={`/instructor/modules/${data.slug}`}>base lesson</Link> : null}
            {data.editions
              .filter((e) => e.id !== data.edition)
              .map((e) => (
                <Link key={e.id} to={`/instructor/modules/${data.slug}?edition=${e.id}`}>
                  {e.name} edition
                </Link>
              ))}
          </>
        ) : null}
      </div>
      <LessonView lesson={data.lesson} objectives={data.objectives} />
      {data.quiz ? (
        <section className="panel" aria-labelledby="key-title">
          <h2 id="key-title">Quiz with answer key</h2>
          <p className="muted">
            {data.quiz.questions.length} questions
            {data.quiz.draw !== null && data.quiz.draw < data.quiz.questions.length ? `, ${data.quiz.draw} drawn per attempt (stratified by objective, choices shuffled)` : ""} · pass mark{" "}
            {Math.round(data.quiz.passingScore * 100)}% · version{" "}
            <code>{data.quiz.version}</code>
          </p>
          <ol className="quiz-key">
            {data.quiz.questions.map((q) => (
              <li key={q.id}>
                <p className="muted small">
                  {q.id} · {TYPE_LABEL[q.type]} · {q.objectives.join(", ")}
                  {q.kind ? ` · ${q.kind}` : ""}
                  {q.section ? ` · section ${q.section}` : ""}
                  {q.edition ? ` · ${data.editions.find((e) => e.id === q.edition)?.name ?? q.edition} edition only` : ""}
                </p>
                <div dangerouslySetInnerHTML={{ __html: q.promptHtml }} />
                <ul>
                  {q.choices.map((c) => (
                    <li key={c.id}>
                      <strong>{q.correct.includes(c.id) ? "✓ Correct: " : "✗ "}</strong>
                      <span dangerouslySetInnerHTML={{ __html: c.html }} />
                      {q.feedbackHtml[c.id] ? (
                        <span className="muted">
                          {" "}
                          — <span dangerouslySetInnerHTML={{ __html: q.feedbackHtml[c.id] ?? "" }} />
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
                <div className="explanation">
                  <strong>Explanation:</strong> <div dangerouslySetInnerHTML={{ __html: q.explanationHtml }} />
                </div>
              </li>
            ))}
          </ol>
        </section>
      ) : (
        <p>This module has no quiz: learners complete it by reading.</p>
      )}
    </>
  );
}
