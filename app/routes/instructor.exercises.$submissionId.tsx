import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { FieldError, FormAlert, StatusMessage } from "~/components/form";
import { RubricFields } from "~/components/RubricFields";
import { StatusBadge } from "~/components/StatusBadge";
import { levelText, resultText } from "~/lib/exercise";
import { rubricFormSchema, staffSubmissionSchemas } from "~/lib/form-schemas.server";
import { domainFailure, invalid, or404, parseForm, readForm } from "~/lib/forms.server";
import { pageMeta } from "~/lib/meta";
import { MAX_REVIEW_COMMENT } from "~/lib/rules";
import { removePeerReview } from "~/models/coordinator-actions.server";
import { reviewAsStaff, staffSubmission, type StaffReview } from "~/models/exercise-queue.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(
    `${data?.learner.name ?? "Submission"} · ${data?.moduleTitle ?? "Exercise"} · Cyber Diplomacy Academy`,
    "A learner's practical exercise with its self- and peer assessments, and the instructor's rubric.",
  );

const iso = (d: Date | null) => d?.toISOString() ?? null;
const review = (r: StaffReview) => ({ ...r, completedAt: r.completedAt.toISOString(), removedAt: iso(r.removedAt) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "instructor", "coordinator");
  const s = or404(() => staffSubmission(user, params.submissionId ?? ""));
  return {
    id: s.id,
    learner: { name: s.learner.name },
    cohort: s.cohort ? { name: s.cohort.name } : null,
    moduleTitle: s.moduleTitle,
    submittedAt: s.submittedAt.toISOString(),
    exercise: {
      title: s.exercise.title,
      briefHtml: s.exercise.briefHtml,
      tasks: s.exercise.tasks.map((t) => ({ id: t.id, promptHtml: t.promptHtml, text: s.texts[t.id] ?? "" })),
      rubric: s.exercise.rubric,
      review: s.exercise.review,
    },
    modelAnswerHtml: s.modelAnswerHtml,
    self: s.self ? review(s.self) : null,
    peers: s.peers.map(review),
    instructor: s.instructor ? review(s.instructor) : null,
    results: s.results,
    canModerate: s.canModerate,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "instructor", "coordinator");
  const submission = or404(() => staffSubmission(user, params.submissionId ?? ""));
  const formData = await readForm(request);
  const intent = formData.get("intent") ?? "review";
  try {
    if (intent === "review") {
      const parsed = parseForm(formData, rubricFormSchema(submission.exercise, { name: "feedback", label: "feedback" }));
      if (!parsed.ok) return invalid({ ...parsed, formError: "Some answers need your attention: nothing was saved yet." });
      reviewAsStaff({ staff: user, submissionId: submission.id, levels: parsed.data.levels, feedback: parsed.data.text });
      return { ok: true as const, intent, message: "Your review is saved and the result is released to the learner." };
    }
    if (intent === "remove-review") {
      // Only a coordinator of the learner's cohort moderates its peer reviews (the removal is in that cohort's audit log).
      if (!submission.canModerate || !submission.cohort) {
        throw new Response("Only a coordinator of the learner's cohort can remove a peer review.", { status: 403 });
      }
      const parsed = parseForm(formData, staffSubmissionSchemas.removeReview);
      if (!parsed.ok) return invalid(parsed);
      const scope = { actor: user, cohort: submission.cohort };
      return { ok: true as const, intent, ...removePeerReview(scope, { submissionId: submission.id, ...parsed.data }) };
    }
    return invalid({ fieldErrors: {}, formError: "Unknown action." });
  } catch (error) {
    return domainFailure(error, formData);
  }
}

const when = (value: string) => <time dateTime={value}>{value.slice(0, 16).replace("T", " ")} UTC</time>;

type Rubric = ReturnType<typeof useLoaderData<typeof loader>>["exercise"]["rubric"];

/** A review's levels, criterion by criterion, with the level's label. */
function Levels({ rubric, levels }: { rubric: Rubric; levels: Record<string, number> }) {
  return (
    <ul>
      {rubric.map((c) => (
        <li key={c.id}>
          {c.criterion}: {levelText(c.levels, levels[c.id] ?? null)}
        </li>
      ))}
    </ul>
  );
}

export default function StaffSubmissionPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const failure = result && !result.ok ? result : undefined;
  const failedIntent = failure ? (failure.values.intent ?? "review") : undefined;
  const reviewFailure = failedIntent === "review" ? failure : undefined;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/instructor/exercises">← Exercises to review</Link>
      </p>
      <h1>
        {data.learner.name}: {data.exercise.title}
      </h1>
      <p className="muted">
        {data.cohort ? data.cohort.name : "No cohort"} · {data.moduleTitle} · submitted {when(data.submittedAt)}
      </p>
      {result?.ok ? <StatusMessage>{result.message}</StatusMessage> : null}
      {failure?.formError && failedIntent !== "review" ? <FormAlert>{failure.formError}</FormAlert> : null}

      <section className="panel" aria-labelledby="brief-title">
        <h2 id="brief-title">Brief</h2>
        <div dangerouslySetInnerHTML={{ __html: data.exercise.briefHtml }} />
      </section>

      <section className="panel" aria-labelledby="answers-title">
        <h2 id="answers-title">The learner&apos;s answers</h2>
        {data.exercise.tasks.map((t, i) => (
          <div key={t.id} className="exercise-task">
            <h3>Task {i + 1}</h3>
            <div dangerouslySetInnerHTML={{ __html: t.promptHtml }} />
            <div className="learner-text" role="group" aria-label={`${data.learner.name}'s answer to task ${i + 1}`}>
              {t.text || <span className="muted">(empty)</span>}
            </div>
          </div>
        ))}
      </section>

      <section className="panel" aria-labelledby="results-title">
        <h2 id="results-title">Result</h2>
        {Object.keys(data.results).length === 0 ? (
          <p>
            No result yet: it is the instructor&apos;s levels once saved, else the median of the peers&apos; levels once{" "}
            {data.exercise.review.peers} peer review{data.exercise.review.peers === 1 ? " is" : "s are"} in.
          </p>
        ) : (
          <ul>
            {data.exercise.rubric.map((c) => {
              const r = data.results[c.id];
              return (
                <li key={c.id}>
                  {c.criterion}:{" "}
                  {r ? resultText(c.levels, r) : "no result"}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="panel" aria-labelledby="self-title">
        <h2 id="self-title">Self-assessment</h2>
        {!data.exercise.review.self ? (
          <p>This exercise asks for no self-assessment.</p>
        ) : data.self ? (
          <Levels rubric={data.exercise.rubric} levels={data.self.levels} />
        ) : (
          <p>Not done yet.</p>
        )}
        <p className="muted small">Formative: it never counts toward the result.</p>
      </section>

      <section className="panel" aria-labelledby="peers-title">
        <h2 id="peers-title">
          Peer reviews ({data.peers.filter((p) => !p.removedAt).length} of {data.exercise.review.peers})
        </h2>
        <p className="muted small">Reviewers&apos; names are shown to staff only; the learner never sees them.</p>
        {data.peers.length === 0 ? <p>No peer review is in yet.</p> : null}
        {data.peers.map((p, i) => {
          const removeFailure = failedIntent === "remove-review" && failure?.values.reviewId === p.id ? failure : undefined;
          return (
            <article key={p.id} className="peer-review" aria-labelledby={`peer-${p.id}`}>
              <h3 id={`peer-${p.id}`}>
                Review {i + 1} by {p.reviewerName ?? "a deleted account"}
                {p.removedAt ? (
                  <>
                    {" "}
                    <StatusBadge tone="off">Removed</StatusBadge>
                  </>
                ) : null}
              </h3>
              <p className="muted small">
                Sent {when(p.completedAt)}
                {p.removedAt ? (
                  <>
                    ; removed {when(p.removedAt)} by {p.removedByName ?? "a deleted account"}: it no longer counts, and the learner no longer sees it.
                  </>
                ) : null}
              </p>
              <Levels rubric={data.exercise.rubric} levels={p.levels} />
              {p.comment ? <blockquote className="learner-text">{p.comment}</blockquote> : <p className="muted">No comment.</p>}
              {data.canModerate && !p.removedAt ? (
                <Form method="post" className="inline-form" noValidate>
                  <input type="hidden" name="intent" value="remove-review" />
                  <input type="hidden" name="reviewId" value={p.id} />
                  <div className="field">
                    <label htmlFor={`reason-${p.id}`}>Reason for removing review {i + 1}</label>
                    <input
                      id={`reason-${p.id}`}
                      name="reason"
                      required
                      maxLength={500}
                      defaultValue={removeFailure?.values.reason ?? ""}
                      aria-invalid={removeFailure?.fieldErrors.reason ? true : undefined}
                      aria-describedby={removeFailure?.fieldErrors.reason ? `reason-${p.id}-error` : undefined}
                    />
                    {removeFailure?.fieldErrors.reason ? <FieldError id={`reason-${p.id}-error`}>{removeFailure.fieldErrors.reason}</FieldError> : null}
                  </div>
                  <button type="submit" className="button button-secondary">
                    Remove review {i + 1}
                  </button>
                </Form>
              ) : null}
            </article>
          );
        })}
      </section>

      {data.modelAnswerHtml ? (
        <section className="panel" aria-labelledby="model-title">
          <h2 id="model-title">Model answer</h2>
          <div dangerouslySetInnerHTML={{ __html: data.modelAnswerHtml }} />
        </section>
      ) : null}

      <section className="panel" aria-labelledby="review-title">
        <h2 id="review-title">Your review</h2>
        {!data.exercise.review.instructor ? (
          <p>This exercise is assessed by peers only: it asks for no instructor&apos;s review.</p>
        ) : (
          <>
            <p>
              Saving releases the result to the learner at once: your level replaces the peers&apos; median for each criterion,
              and the learner sees your levels and feedback. Saving again later replaces your review.
            </p>
            {data.instructor ? (
              <p className="muted">
                Reviewed {when(data.instructor.completedAt)} by {data.instructor.reviewerName ?? "a deleted account"}.
              </p>
            ) : null}
            {reviewFailure?.formError ? <FormAlert>{reviewFailure.formError}</FormAlert> : null}
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="review" />
              <RubricFields
                rubric={data.exercise.rubric}
                values={
                  reviewFailure?.values ??
                  Object.fromEntries(Object.entries(data.instructor?.levels ?? {}).map(([id, score]) => [`criterion.${id}`, String(score)]))
                }
                errors={reviewFailure?.fieldErrors ?? {}}
                idPrefix="instructor"
              />
              <div className="field">
                <label htmlFor="field-feedback">Feedback to the learner</label>
                <p id="field-feedback-hint" className="hint">
                  Optional, at most {MAX_REVIEW_COMMENT.toLocaleString("en")} characters.
                </p>
                <textarea
                  id="field-feedback"
                  name="feedback"
                  rows={6}
                  maxLength={MAX_REVIEW_COMMENT}
                  defaultValue={reviewFailure ? (reviewFailure.values.feedback ?? "") : (data.instructor?.comment ?? "")}
                  aria-invalid={reviewFailure?.fieldErrors.feedback ? true : undefined}
                  aria-describedby={`field-feedback-hint${reviewFailure?.fieldErrors.feedback ? " field-feedback-error" : ""}`}
                />
                {reviewFailure?.fieldErrors.feedback ? <FieldError id="field-feedback-error">{reviewFailure.fieldErrors.feedback}</FieldError> : null}
              </div>
              <button type="submit" className="button" disabled={navigation.state === "submitting"}>
                {data.instructor ? "Save and release the new result" : "Save and release the result"}
              </button>
            </Form>
          </>
        )}
      </section>
    </>
  );
}
