import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { EXERCISE_STATUS_LABELS } from "~/lib/exercise";
import { exerciseSignpost } from "~/models/exercise-page.server";
import { learnerLesson, nextModule } from "~/models/learner.server";
import { reviewAttempt } from "~/models/quiz.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(`Quiz result: ${data?.module.title ?? ""}`, `Your result in the quiz of the module “${data?.module.title ?? ""}”, question by question.`);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "learner");
  const found = learnerLesson({ userId: user.id, slug: params.slug ?? "" });
  const review = found ? reviewAttempt({ userId: user.id, slug: found.module.slug, attemptId: params.attemptId ?? "" }) : undefined;
  if (!found || !review) throw new Response("No such attempt.", { status: 404 });
  const { module, edition } = found;
  const { attempt } = review;
  return {
    module: { slug: module.slug, title: module.title },
    next: nextModule({ slug: module.slug, edition }) ?? null,
    exercise: exerciseSignpost({ userId: user.id, slug: module.slug, edition }),
    score: Math.round((attempt.score ?? 0) * 100),
    correct: attempt.correctCount ?? 0,
    total: attempt.questionCount ?? 0,
    passed: attempt.passed ?? false,
    revealed: review.revealed,
    attemptsLeft: review.attemptsLeft,
    questions: review.questions,
  };
}

export default function AttemptResult() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/">My course</Link> › <Link to={`/modules/${data.module.slug}`}>{data.module.title}</Link>
      </p>
      <h1>
        Quiz result: {data.score}%, {data.passed ? "passed" : "not passed"}
      </h1>
      <div role="status" className={`alert ${data.passed ? "alert-success" : "alert-error"}`}>
        <span aria-hidden="true">{data.passed ? "✓ " : "✗ "}</span>
        You answered {data.correct} of {data.total} questions correctly ({data.score}%).{" "}
        {data.passed ? "You passed this quiz." : "You did not reach the pass mark this time."}
      </div>
      {data.passed && data.exercise ? (
        <p>
          <Link to={`/modules/${data.module.slug}/exercise`}>The module&apos;s practical exercise</Link> (
          {EXERCISE_STATUS_LABELS[data.exercise.status]})
        </p>
      ) : null}
      <p>
        {data.passed ? (
          data.next ? (
            <Link to={`/modules/${data.next.slug}`} className="button">
              Next module: {data.next.title}
            </Link>
          ) : (
            <Link to="/" className="button">
              Back to my course
            </Link>
          )
        ) : data.attemptsLeft === 0 ? (
          "You have no attempts left. Review the answers below and the lesson."
        ) : (
          <Link to={`/modules/${data.module.slug}/quiz`} className="button">
            Try again{data.attemptsLeft !== null ? ` (${data.attemptsLeft} left)` : ""}
          </Link>
        )}{" "}
        <Link to={`/modules/${data.module.slug}`}>Review the lesson</Link>
      </p>
      {!data.revealed ? (
        <p className="muted">
          The questions you got wrong are marked below, with feedback on your choice. The correct answers and
          explanations appear once you pass{data.attemptsLeft !== null ? " or use your last attempt" : ""}.
        </p>
      ) : null}
      <ol className="quiz-review">
        {data.questions.map((q) => (
          <li key={q.id} className={`panel ${q.correct ? "right" : "wrong"}`}>
            <p className="question-verdict">
              <strong>{q.correct ? "✓ Correct" : "✗ Not correct"}</strong>
            </p>
            <div dangerouslySetInnerHTML={{ __html: q.promptHtml }} />
            <ul>
              {q.choices.map((c) => (
                <li key={c.id}>
                  {c.chosen ? <strong>Your answer: </strong> : null}
                  {c.correct === true ? <strong>(correct answer) </strong> : null}
                  <span dangerouslySetInnerHTML={{ __html: c.html }} />
                  {c.feedbackHtml ? (
                    <span className="muted">
                      {" "}
                      — <span dangerouslySetInnerHTML={{ __html: c.feedbackHtml }} />
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
            {!q.correct && q.section ? (
              <p className="review-this">
                Review this: <Link to={`/modules/${data.module.slug}/${q.section.id}`}>{q.section.title}</Link>
              </p>
            ) : null}
            {q.explanationHtml ? (
              <div className="explanation">
                <strong>Explanation:</strong> <div dangerouslySetInnerHTML={{ __html: q.explanationHtml }} />
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </>
  );
}
