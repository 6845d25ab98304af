import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { clearKeptCookie, keptCookie, keptToken } from "~/auth/kept-forms.server";
import { getUser, requireRole } from "~/auth/session.server";
import { FormAlert, StatusMessage } from "~/components/form";
import { readForm } from "~/lib/forms.server";
import { getPublicQuiz } from "~/content/course.server";
import { DomainError } from "~/models/errors.server";
import { learnerLesson } from "~/models/learner.server";
import {
  AlreadySubmitted,
  attemptQuestions,
  attemptsLeft,
  findOpenAttempt,
  keepPendingAnswers,
  openAttempt,
  readAnswers,
  submitAttemptDurably,
  submittedAttempts,
  takePendingAnswers,
  TamperedInput,
} from "~/models/quiz.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(`Quiz: ${data?.module.title ?? ""}`, `The quiz of the module “${data?.module.title ?? ""}”: check your mastery of its objectives.`);

const TYPE_HINT = { single: "Choose one answer.", multiple: "Choose every correct answer.", "true-false": "True or false?" } as const;

/** Legends hold phrasing content only: paragraphs of the prompt become block spans. */
const legendHtml = (html: string) => html.replace(/<p>/g, '<span class="para">').replace(/<\/p>/g, "</span>");

async function context(request: Request, slug: string | undefined) {
  const user = await requireRole(request, "learner");
  const found = learnerLesson({ userId: user.id, slug: slug ?? "" });
  const quiz = found ? getPublicQuiz(found.module.slug) : undefined;
  if (!found || !quiz) throw new Response("This module has no quiz.", { status: 404 });
  return { user, module: found.module, edition: found.edition, quiz };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, module, quiz } = await context(request, params.slug);
  const past = submittedAttempts({ userId: user.id, slug: module.slug });
  const left = attemptsLeft({ userId: user.id, slug: module.slug });
  const passed = past.filter((a) => a.passed).pop();
  const base = {
    module: { slug: module.slug, title: module.title },
    passingScore: quiz.passingScore,
    attemptsLeft: left,
    past: past.map((a) => ({ id: a.id, score: a.score ?? 0, passed: a.passed ?? false, submittedAt: a.submittedAt!.toISOString() })),
    passedResultUrl: passed ? `/modules/${module.slug}/quiz/attempts/${passed.id}` : null,
  };
  // Opening the quiz starts (or resumes) an attempt on the server; on a passed module, a new one
  // only when the learner chose to retake it.
  const retake = new URL(request.url).searchParams.has("retake");
  const attempt =
    left === 0
      ? undefined
      : passed && !retake
        ? findOpenAttempt({ userId: user.id, slug: module.slug })
        : openAttempt({ userId: user.id, slug: module.slug });
  if (!attempt) return { ...base, attempt: null, restored: false };
  const token = keptToken("answers", request.headers.get("Cookie"));
  const kept = token ? takePendingAnswers({ token, userId: user.id, attemptId: attempt.id }) : null;
  return data(
    {
      ...base,
      restored: kept !== null,
      attempt: {
        id: attempt.id,
        selected: kept ?? {},
        questions: attemptQuestions(attempt, quiz).map((q) => ({
          id: q.id,
          type: q.type,
          legendHtml: legendHtml(q.promptHtml),
          choices: q.choices,
        })),
      },
    },
    kept ? { headers: { "Set-Cookie": clearKeptCookie("answers") } } : undefined,
  );
}

/**
 * Answers posted after the learner's session ended are kept for them (with or without JavaScript),
 * and the sign-in page says so; they are back in the form once the learner signs in again.
 */
async function signInKeepingAnswers(request: Request, slug: string): Promise<Response> {
  const { attemptId, answers } = readAnswers(await readForm(request));
  const token = typeof attemptId === "string" ? keepPendingAnswers({ slug, attemptId, answers }) : null;
  const back = encodeURIComponent(new URL(request.url).pathname);
  if (!token) return redirect(`/login?redirectTo=${back}`);
  return redirect(`/login?redirectTo=${back}&kept=answers`, { headers: { "Set-Cookie": keptCookie("answers", token) } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (!(await getUser(request))) throw await signInKeepingAnswers(request, params.slug ?? "");
  const { user, module } = await context(request, params.slug);
  const { attemptId, answers, unexpected } = readAnswers(await readForm(request));
  const selected: Record<string, string[]> = Object.fromEntries(answers);
  if (unexpected !== undefined) {
    return data({ error: `Unexpected field "${unexpected}" in the answers: nothing was recorded.`, unanswered: [], selected }, { status: 400 });
  }
  if (typeof attemptId !== "string" || !attemptId) {
    return data({ error: "The form is missing its attempt: reload the quiz and try again.", unanswered: [], selected }, { status: 400 });
  }
  try {
    const result = await submitAttemptDurably({ userId: user.id, slug: module.slug, attemptId, answers });
    if (result.unanswered) {
      return data(
        {
          error: `Answer every question before submitting (${result.unanswered.length} left). Nothing was recorded yet.`,
          unanswered: result.unanswered,
          selected,
        },
        { status: 400 },
      );
    }
    throw redirect(`/modules/${module.slug}/quiz/attempts/${result.attempt.id}`, 303);
  } catch (error) {
    if (error instanceof AlreadySubmitted) {
      return data({ error: error.message, unanswered: [], selected, resultUrl: `/modules/${module.slug}/quiz/attempts/${attemptId}` }, { status: 409 });
    }
    if (error instanceof TamperedInput) return data({ error: `${error.message} Nothing was recorded.`, unanswered: [], selected }, { status: 400 });
    if (error instanceof DomainError) return data({ error: error.message, unanswered: [], selected }, { status: 409 });
    throw error;
  }
}

export default function Quiz() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const unanswered = new Set(result?.unanswered ?? []);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/">My course</Link> › <Link to={`/modules/${data.module.slug}`}>{data.module.title}</Link>
      </p>
      <h1>Quiz: {data.module.title}</h1>
      <p>
        Pass mark: {Math.round(data.passingScore * 100)}%.
        {data.attemptsLeft !== null ? ` Attempts left: ${data.attemptsLeft}.` : " You may retake the quiz as often as you like."}
      </p>
      {data.past.length ? (
        <details>
          <summary>Your earlier attempts ({data.past.length})</summary>
          <ul>
            {data.past.map((a, i) => (
              <li key={a.id}>
                <Link to={`/modules/${data.module.slug}/quiz/attempts/${a.id}`}>
                  Attempt {i + 1}: {Math.round(a.score * 100)}%, {a.passed ? "passed" : "not passed"}
                </Link>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {result?.error ? (
        <FormAlert>
          {result.error}
          {"resultUrl" in result && result.resultUrl ? (
            <>
              {" "}
              <Link to={result.resultUrl}>See the result</Link>
            </>
          ) : null}
        </FormAlert>
      ) : null}
      {data.restored && !result ? <StatusMessage>Your answers were restored; check them and submit.</StatusMessage> : null}
      {data.passedResultUrl && !data.attempt ? (
        <>
          <p>
            You have passed this quiz. <Link to={data.passedResultUrl}>See your result</Link>
          </p>
          {data.attemptsLeft !== 0 ? (
            <p>
              <Link to="?retake" className="button button-secondary">
                Retake the quiz{data.attemptsLeft !== null ? ` (${data.attemptsLeft} left)` : ""}
              </Link>{" "}
              <span className="muted">Your pass and the module&apos;s completion are kept; your mastery counts your latest answers.</span>
            </p>
          ) : null}
        </>
      ) : data.attempt ? (
        <Form method="post" className="quiz">
          <input type="hidden" name="attemptId" value={data.attempt.id} />
          {data.attempt.questions.map((q, i) => {
            const missing = unanswered.has(q.id);
            const chosen = new Set(result?.selected?.[q.id] ?? data.attempt.selected[q.id] ?? []);
            return (
              <fieldset key={q.id} className="question" aria-describedby={missing ? `missing-${q.id}` : undefined}>
                <legend>
                  <span className="question-number">Question {i + 1}</span>{" "}
                  <span dangerouslySetInnerHTML={{ __html: q.legendHtml }} />
                </legend>
                <p className="hint">{TYPE_HINT[q.type]}</p>
                {missing ? (
                  <p id={`missing-${q.id}`} className="field-error">
                    <span aria-hidden="true">⚠ </span>Answer this question.
                  </p>
                ) : null}
                {q.choices.map((c) => (
                  <div key={c.id} className="choice">
                    <input
                      type={q.type === "multiple" ? "checkbox" : "radio"}
                      name={`q.${q.id}`}
                      value={c.id}
                      id={`q-${q.id}-${c.id}`}
                      defaultChecked={chosen.has(c.id)}
                    />
                    {/* eslint-disable-next-line jsx-a11y/label-has-associated-control -- its text is the choice's build-time HTML */}
                    <label htmlFor={`q-${q.id}-${c.id}`}>
                      <span dangerouslySetInnerHTML={{ __html: c.html }} />
                    </label>
                  </div>
                ))}
              </fieldset>
            );
          })}
          <button type="submit" className="button">
            Submit my answers
          </button>
        </Form>
      ) : (
        <p>You have used all your attempts at this quiz. Your results are listed above.</p>
      )}
    </>
  );
}
