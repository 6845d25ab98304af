import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { requireRole } from "~/auth/session.server";
import { FieldError, FormAlert, StatusMessage } from "~/components/form";
import { RubricFields } from "~/components/RubricFields";
import { levelText } from "~/lib/exercise";
import { rubricFormSchema } from "~/lib/form-schemas.server";
import { domainFailure, invalid, or404, parseForm, readForm } from "~/lib/forms.server";
import { formatDateTime } from "~/lib/format";
import { pageMeta } from "~/lib/meta";
import { MAX_REVIEW_COMMENT } from "~/lib/rules";
import { completePeerReview } from "~/models/exercise.server";
import { learnerLesson } from "~/models/learner.server";
import { peerReviewPage } from "~/models/peer-review.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(`Peer review: ${data?.exercise.title ?? ""}`, "An anonymous peer's answers to a practical exercise, to assess against its rubric.");

/** The reviewer's own review in this module: 404 for anyone else, and for another module's. */
async function context(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requireRole(request, "learner");
  const found = learnerLesson({ userId: user.id, slug: params.slug ?? "" });
  if (!found) throw new Response("No such module.", { status: 404 });
  const page = or404(() => peerReviewPage({ userId: user.id, slug: found.module.slug, reviewId: params.reviewId ?? "" }));
  return { user, module: found.module, page };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { module, page } = await context(request, params);
  const { exercise } = page;
  // Only what the page shows: the loader data is as anonymous as the HTML.
  return {
    module: { slug: module.slug, title: module.title },
    review: { status: page.status, dueAt: page.dueAt, sentAt: page.sentAt, sent: page.sent },
    exercise: { title: exercise.title, briefHtml: exercise.briefHtml, tasks: exercise.tasks, rubric: exercise.rubric },
    texts: page.texts,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, module, page } = await context(request, params);
  const form = await readForm(request);
  const parsed = parseForm(form, rubricFormSchema(page.exercise, { name: "comment", label: "comment" }));
  if (!parsed.ok) return invalid({ ...parsed, formError: "Some answers need your attention: nothing was sent yet." });
  try {
    completePeerReview({ userId: user.id, reviewId: page.id, levels: parsed.data.levels, comment: parsed.data.text });
  } catch (error) {
    return domainFailure(error, form);
  }
  throw redirect(`/modules/${module.slug}/exercise/reviews/${page.id}`, 303);
}

/** The peer's text as typed: paragraphs at blank lines, line breaks kept, never HTML. */
function PlainText({ text }: { text: string }) {
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim());
  if (paragraphs.length === 0) return <p className="muted">(No text.)</p>;
  return (
    <>
      {paragraphs.map((p, i) => (
        <p key={i}>{p.split("\n").flatMap((line, j) => (j === 0 ? [line] : [<br key={j} />, line]))}</p>
      ))}
    </>
  );
}

export default function PeerReview() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { review, exercise } = data;
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values ?? {};
  const base = `/modules/${data.module.slug}/exercise`;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/">My course</Link> › <Link to={`/modules/${data.module.slug}`}>{data.module.title}</Link> › <Link to={base}>Exercise</Link> ›{" "}
        <Link to={`${base}/reviews`}>Peer reviews</Link>
      </p>
      <h1>Peer review: {exercise.title}</h1>
      {review.sent && review.sentAt ? (
        <StatusMessage>
          You sent this review on <time dateTime={review.sentAt}>{formatDateTime(review.sentAt)}</time>. It can no longer be changed.
        </StatusMessage>
      ) : review.status === "returned" ? (
        <p>
          This review was due by <time dateTime={review.dueAt}>{formatDateTime(review.dueAt)}</time>, so the submission went back to the pool
          for another reviewer. You can still send your review: it will count.
        </p>
      ) : (
        <p>
          Send your review by <time dateTime={review.dueAt}>{formatDateTime(review.dueAt)}</time>; after that the submission goes back to the
          pool for another reviewer.
        </p>
      )}
      <p className="muted">The author&apos;s name is not shown to you, and yours is not shown to the author.</p>

      <section className="panel" aria-labelledby="brief-title">
        <h2 id="brief-title">The exercise</h2>
        <div dangerouslySetInnerHTML={{ __html: exercise.briefHtml }} />
      </section>

      <h2>Your peer&apos;s answers</h2>
      {exercise.tasks.map((task, i) => (
        <section key={task.id} className="panel" aria-labelledby={`task-${task.id}`}>
          <h3 id={`task-${task.id}`}>Task {i + 1}</h3>
          <div dangerouslySetInnerHTML={{ __html: task.promptHtml }} />
          <blockquote className="callout">
            <PlainText text={data.texts[task.id] ?? ""} />
          </blockquote>
        </section>
      ))}

      {review.sent ? (
        <section aria-labelledby="sent-title">
          <h2 id="sent-title">What you sent</h2>
          <dl className="facts">
            {exercise.rubric.map((c) => {
              const level = c.levels.find((l) => l.score === review.sent!.levels[c.id]);
              return (
                <Fragment key={c.id}>
                  <dt>{c.criterion}</dt>
                  <dd>
                    <strong>{levelText(c.levels, level?.score ?? null)}</strong>
                    {level ? `: ${level.descriptor}` : null}
                  </dd>
                </Fragment>
              );
            })}
            <dt>Comment</dt>
            <dd>{review.sent.comment ? <PlainText text={review.sent.comment} /> : "No comment."}</dd>
          </dl>
        </section>
      ) : (
        <Form method="post" aria-labelledby="review-title">
          <h2 id="review-title">Your review</h2>
          {failure?.formError ? <FormAlert>{failure.formError}</FormAlert> : null}
          <p>Choose the level that best describes your peer&apos;s answers for each criterion.</p>
          <RubricFields rubric={exercise.rubric} values={values} errors={errors} idPrefix="level" />
          <div className="field">
            <label htmlFor="comment">Comment for the author (optional)</label>
            <p id="comment-hint" className="hint">
              What works, and what would make it stronger. At most {MAX_REVIEW_COMMENT.toLocaleString("en")} characters; the author sees it without your
              name.
            </p>
            <textarea
              id="comment"
              name="comment"
              rows={6}
              maxLength={MAX_REVIEW_COMMENT}
              defaultValue={values.comment ?? ""}
              aria-invalid={errors.comment ? true : undefined}
              aria-describedby={errors.comment ? "comment-hint comment-error" : "comment-hint"}
            />
            {errors.comment ? <FieldError id="comment-error">{errors.comment}</FieldError> : null}
          </div>
          <button type="submit" className="button">
            Send my review
          </button>
        </Form>
      )}
    </>
  );
}
