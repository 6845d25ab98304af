import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { FormAlert } from "~/components/form";
import { readForm } from "~/lib/forms.server";
import { getPublicQuiz } from "~/content/course.server";
import { DomainError } from "~/models/errors.server";
import { learnerLesson } from "~/models/learner.server";
import {
  AlreadySubmitted,
  attemptQuestions,
  attemptsLeft,
  openAttempt,
  submitAttempt,
  submittedAttempts,
  TamperedInput,
} from "~/models/quiz.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Quiz: ${data?.module.title ?? ""}` }];

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
  const base = {
    module: { slug: module.slug, title: module.title },
    passingScore: quiz.passingScore,
    attemptsLeft: left,
    past: past.map((a) => ({ id: a.id, score: a.score ?? 0, passed: a.passed ?? false, submittedAt: a.submittedAt!.toISOString() })),
  };
  if (left === 0) return { ...base, attempt: null };
  // Opening the quiz starts (or resumes) an attempt on the server.
  const attempt = openAttempt({ userId: user.id, slug: module.slug });
  return {
    ...base,
    attempt: {
      id: attempt.id,
      questions: attemptQuestions(attempt, quiz).map((q) => ({
        id: q.id,
        type: q.type,
        legendHtml: legendHtml(q.promptHtml),
        choices: q.choices,
      })),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, module } = await context(request, params.slug);
  const form = await readForm(request);
  const attemptId = form.get("attemptId");
  const answers = new Map<string, string[]>();
  const selectedOf = (): Record<string, string[]> => Object.fromEntries(answers);
  for (const [name, value] of form) {
    if (name === "attemptId") continue;
    if (!name.startsWith("q.") || typeof value !== "string") {
      return data({ error: `Unexpected field "${name}" in the answers: nothing was recorded.`, unanswered: [], selected: selectedOf() }, { status: 400 });
    }
    // Appended in place: copying the list for every repeat made a repeated field quadratic.
    const id = name.slice(2);
    const chosen = answers.get(id);
    if (chosen) chosen.push(value);
    else answers.set(id, [value]);
  }
  const selected = selectedOf();
  if (typeof attemptId !== "string" || !attemptId) {
    return data({ error: "The form is missing its attempt: reload the quiz and try again.", unanswered: [], selected }, { status: 400 });
  }
  try {
    const result = submitAttempt({ userId: user.id, slug: module.slug, attemptId, answers });
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
      {data.attempt ? (
        <Form method="post" className="quiz">
          <input type="hidden" name="attemptId" value={data.attempt.id} />
          {data.attempt.questions.map((q, i) => {
            const missing = unanswered.has(q.id);
            const chosen = new Set(result?.selected?.[q.id] ?? []);
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
