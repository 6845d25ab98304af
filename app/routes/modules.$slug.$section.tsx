import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import type { RouteHandle } from "~/root";
import { GlossaryList, SourceList } from "~/components/References";
import { ReviewedNote } from "~/components/ReviewedNote";
import { EXERCISE_STATUS_LABELS } from "~/lib/exercise";
import { exerciseSignpost } from "~/models/exercise-page.server";
import { learnerLesson } from "~/models/learner.server";
import { markSectionRead, moduleReadState, recordVisit } from "~/models/progress.server";
import { sectionPage } from "~/models/section-page.server";
import { pageMeta } from "~/lib/meta";

// Lesson pages are plain HTML: they work fully without JavaScript, so slow links download none.
export const handle: RouteHandle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? pageMeta(
        `${data.section.title} · ${data.module.title}`,
        `${data.section.title}: section ${data.position} of ${data.count} of the module “${data.module.title}”.`,
      )
    : pageMeta("Lesson");

async function context(request: Request, slug: string | undefined, sectionId: string | undefined) {
  const user = await requireRole(request, "learner");
  const found = learnerLesson({ userId: user.id, slug: slug ?? "" });
  const index = found?.lesson.sections.findIndex((s) => s.id === sectionId) ?? -1;
  if (!found || index < 0) throw new Response("No such section.", { status: 404 });
  return { user, ...found, index };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "learner");
  const page = sectionPage({ userId: user.id, slug: params.slug ?? "", sectionId: params.section ?? "" });
  if (!page) throw new Response("No such section.", { status: 404 });
  recordVisit({ userId: user.id, slug: page.data.module.slug, sectionId: page.data.section.id });
  return page.data;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, module, lesson, index, edition } = await context(request, params.slug, params.section);
  markSectionRead({ userId: user.id, slug: module.slug, sectionId: lesson.sections[index]!.id });
  const next = lesson.sections[index + 1];
  if (next) throw redirect(`/modules/${module.slug}/${next.id}`, 303);
  if (module.quiz) {
    // A passed quiz is not taken again by finishing the reading: the learner goes to its result.
    const { passedAttemptId } = moduleReadState({ userId: user.id, slug: module.slug });
    throw redirect(`/modules/${module.slug}/quiz${passedAttemptId ? `/attempts/${passedAttemptId}` : ""}`, 303);
  }
  if (exerciseSignpost({ userId: user.id, slug: module.slug, edition })) throw redirect(`/modules/${module.slug}/exercise`, 303);
  throw redirect(`/?finished=${module.slug}`, 303);
}

export default function Section() {
  const data = useLoaderData<typeof loader>();
  const last = data.next === null;
  return (
    <div className="reader">
      <p className="breadcrumb">
        <Link to="/">My course</Link> › {data.module.title}
      </p>
      <nav aria-label="Module outline" className="outline">
        <h2 className="outline-title">{data.module.title}</h2>
        <ol>
          {data.outline.map((s) => (
            <li key={s.id}>
              <Link to={`/modules/${data.module.slug}/${s.id}`} aria-current={s.id === data.section.id ? "page" : undefined}>
                {s.title}
              </Link>
              {s.read ? (
                <span className="read-mark">
                  {" "}
                  <span aria-hidden="true">✓</span>
                  <span className="visually-hidden">(read)</span>
                </span>
              ) : null}
            </li>
          ))}
          {data.module.hasQuiz ? (
            <li>
              <Link to={`/modules/${data.module.slug}/quiz`}>Quiz</Link>
              {data.module.quizPassed ? <span className="read-mark"> ✓ passed</span> : null}
            </li>
          ) : null}
          {data.exercise ? (
            <li>
              <Link to={`/modules/${data.module.slug}/exercise`}>Practical exercise</Link>{" "}
              <span className="muted">({EXERCISE_STATUS_LABELS[data.exercise.status]})</span>
            </li>
          ) : null}
        </ol>
        <p>
          <Link to={`/modules/${data.module.slug}/print`}>Print the whole module</Link>
        </p>
      </nav>
      <article className="lesson" aria-labelledby="section-title">
        <p className="muted">
          <label htmlFor="reading-progress">
            Section {data.position} of {data.count}
          </label>{" "}
          <progress id="reading-progress" max={data.count} value={data.position}>
            {data.position} of {data.count}
          </progress>
        </p>
        <h1 id="section-title">{data.section.title}</h1>
        <ReviewedNote reviewed={data.reviewed} />
        <div
          className="lesson-body"
          // Build-time HTML from the course files, made for this page (its headings start at h2).
          dangerouslySetInnerHTML={{ __html: data.section.html }}
        />
        <div className="pager-nav">
          {data.previous ? (
            <Link to={`/modules/${data.module.slug}/${data.previous}`} className="button button-secondary">
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          <Form method="post">
            <button type="submit" className="button">
              {last
                ? data.module.hasQuiz
                  ? data.module.quizPassed
                    ? "Finish reading and see your quiz result →"
                    : "Finish reading and take the quiz →"
                  : data.exercise
                    ? "Finish reading and go to the practical exercise →"
                    : "Finish the module ✓"
                : "Next →"}
            </button>
          </Form>
        </div>
        {last && data.exercise && data.module.hasQuiz ? (
          <p>
            {data.module.quizPassed ? "Next" : "After the quiz"}:{" "}
            <Link to={`/modules/${data.module.slug}/exercise`}>the practical exercise</Link> (
            {EXERCISE_STATUS_LABELS[data.exercise.status]}).
          </p>
        ) : null}
        {data.glossary.length || data.sources.length ? (
          <details className="panel">
            <summary>Key terms and sources of this module</summary>
            {data.glossary.length ? <GlossaryList entries={data.glossary} /> : null}
            <SourceList sources={data.sources} />
          </details>
        ) : null}
      </article>
    </div>
  );
}
