import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { clearKeptCookie, keptCookie, keptToken } from "~/auth/kept-forms.server";
import { getUser, requireRole } from "~/auth/session.server";
import { FieldError, FormAlert, StatusMessage } from "~/components/form";
import { RubricFields } from "~/components/RubricFields";
import { EXERCISE_STATUS_LABELS, levelText, resultText } from "~/lib/exercise";
import { exerciseIntentSchema, rubricFormSchema } from "~/lib/form-schemas.server";
import { formatDateTime } from "~/lib/format";
import { domainFailure, or404, parseForm, readForm } from "~/lib/forms.server";
import { pageMeta } from "~/lib/meta";
import { countWords } from "~/lib/words";
import { keepPendingDrafts, takePendingDrafts } from "~/models/exercise-drafts.server";
import { exercisePage } from "~/models/exercise-page.server";
import { AlreadySubmitted, saveDraft, selfAssess, submitExercise, WordLimits } from "~/models/exercise.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(
    `Practical exercise: ${data?.page.module.title ?? ""}`,
    `The practical exercise of the module “${data?.page.module.title ?? ""}”: write, submit, assess and compare with a model answer.`,
  );

/** Labels hold phrasing content only: paragraphs of the prompt become block spans. */
const phrasingHtml = (html: string) => html.replace(/<p>/g, '<span class="para">').replace(/<\/p>/g, "</span>");

const NOTICES = {
  saved: "Your draft is saved.",
  submitted: "Your answers are submitted.",
  assessed: "Your self-assessment is saved.",
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "learner");
  const page = or404(() => exercisePage(user.id, params.slug ?? ""));
  const token = keptToken("drafts", request.headers.get("Cookie"));
  const kept = token ? takePendingDrafts({ token, userId: user.id, slug: page.module.slug }) : null;
  const restored = kept && !page.submittedAt ? kept : null;
  const done = new URL(request.url).searchParams.get("done");
  return data(
    {
      page,
      learnerId: user.id,
      restored,
      notice: done && Object.hasOwn(NOTICES, done) ? NOTICES[done as keyof typeof NOTICES] : null,
    },
    token ? { headers: { "Set-Cookie": clearKeptCookie("drafts") } } : undefined,
  );
}

/** The posted texts by task id (fields `task.<taskId>`); the model keeps the exercise's own tasks only. */
function postedTexts(form: FormData): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [name, value] of form) if (name.startsWith("task.") && typeof value === "string") texts[name.slice(5)] ??= value;
  return texts;
}

/**
 * Texts posted after the learner's session ended are kept for them (with or without JavaScript)
 * and put back into the form once they have signed in again.
 */
async function signInKeepingDrafts(request: Request, slug: string): Promise<Response> {
  const form = await readForm(request);
  const learnerId = form.get("learner");
  const token = typeof learnerId === "string" && learnerId ? keepPendingDrafts({ slug, learnerId, texts: postedTexts(form) }) : null;
  const back = encodeURIComponent(new URL(request.url).pathname);
  if (!token) return redirect(`/login?redirectTo=${back}`);
  return redirect(`/login?redirectTo=${back}&kept=drafts`, { headers: { "Set-Cookie": keptCookie("drafts", token) } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const slug = params.slug ?? "";
  if (!(await getUser(request))) throw await signInKeepingDrafts(request, slug);
  const user = await requireRole(request, "learner");
  const form = await readForm(request);
  const parsed = parseForm(form, exerciseIntentSchema);
  const texts = postedTexts(form);
  // Every failure shows the page again with what was typed: the texts, and the levels chosen.
  const failed = (status: number, formError: string | undefined, fieldErrors: Record<string, string> = {}, values: Record<string, string> = {}) =>
    data({ formError, fieldErrors, texts, values }, { status });
  if (!parsed.ok) return failed(400, parsed.formError ?? parsed.fieldErrors.intent);
  const back = (done: keyof typeof NOTICES) => redirect(`/modules/${slug}/exercise?done=${done}`, 303);
  try {
    if (parsed.data.intent === "save") saveDraft({ userId: user.id, slug, texts });
    else if (parsed.data.intent === "submit") submitExercise({ userId: user.id, slug, texts });
    else {
      // Read against the rubric the page showed: the one of the exercise the learner submitted.
      const rubric = parseForm(form, rubricFormSchema(or404(() => exercisePage(user.id, slug)).exercise));
      if (!rubric.ok) return failed(400, "Choose a level for every criterion.", rubric.fieldErrors, rubric.values);
      selfAssess({ userId: user.id, slug, levels: rubric.data.levels });
    }
  } catch (error) {
    if (error instanceof WordLimits) return failed(400, error.message, error.errors);
    if (error instanceof AlreadySubmitted) return failed(409, error.message);
    const failure = domainFailure(error, form);
    return failed(409, failure.data.formError, failure.data.fieldErrors);
  }
  throw back(parsed.data.intent === "save" ? "saved" : parsed.data.intent === "submit" ? "submitted" : "assessed");
}

/** The count as the learner types; screen readers hear it once they pause, not at every key. */
function WordCount({ id, text, min, max }: { id: string; text: string; min: number; max: number }) {
  const words = countWords(text);
  const [spoken, setSpoken] = useState("");
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => setSpoken(`${words} ${words === 1 ? "word" : "words"}`), 1200);
    return () => clearTimeout(timer);
  }, [words]);
  const state = words < min ? "too short" : words > max ? "too long" : "within the limits";
  return (
    <>
      <p id={id} className="hint word-count">
        {words} {words === 1 ? "word" : "words"} ({state}; {min}–{max} asked)
      </p>
      <p className="visually-hidden" aria-live="polite">
        {spoken}
      </p>
    </>
  );
}

function TaskField({ task, index, text, error }: { task: { id: string; promptHtml: string; minWords: number; maxWords: number }; index: number; text: string; error?: string }) {
  const [value, setValue] = useState(text);
  const id = `task-${task.id}`;
  return (
    <div className="field exercise-task">
      <label htmlFor={id}>
        <span className="question-number">Task {index + 1}</span> <span dangerouslySetInnerHTML={{ __html: phrasingHtml(task.promptHtml) }} />
      </label>
      <textarea
        id={id}
        name={`task.${task.id}`}
        rows={Math.min(24, Math.max(6, Math.round(task.maxWords / 15)))}
        defaultValue={text}
        onInput={(e) => setValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={[`${id}-count`, error ? `${id}-error` : ""].filter(Boolean).join(" ")}
      />
      <WordCount id={`${id}-count`} text={value} min={task.minWords} max={task.maxWords} />
      {error ? <FieldError id={`${id}-error`}>{error}</FieldError> : null}
    </div>
  );
}

export default function Exercise() {
  const { page, learnerId, restored, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { exercise, module } = page;
  const errors: Record<string, string> = result?.fieldErrors ?? {};
  const peerCount = page.feedback ? Math.max(0, ...page.feedback.criteria.map((c) => c.peers.length)) : 0;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/">My course</Link> › <Link to={`/modules/${module.slug}`}>{module.title}</Link>
      </p>
      <h1>Practical exercise: {exercise.title}</h1>
      <p>
        Status: <strong>{EXERCISE_STATUS_LABELS[page.status]}</strong>
        {page.submittedAt ? ` · submitted ${formatDateTime(page.submittedAt)}` : page.savedAt ? ` · Saved at ${formatDateTime(page.savedAt)}` : ""}
        {exercise.required ? " · needed to complete the module" : " · optional"}
      </p>
      {result?.formError ? <FormAlert>{result.formError}</FormAlert> : null}
      {notice && !result ? <StatusMessage>{notice}</StatusMessage> : null}
      {restored && !result ? <StatusMessage>Your text from before you were signed out is back below: save it to keep it.</StatusMessage> : null}
      <section aria-labelledby="brief-title" className="panel">
        <h2 id="brief-title">The situation</h2>
        {/* Build-time HTML from the course files. */}
        <div dangerouslySetInnerHTML={{ __html: exercise.briefHtml }} />
      </section>

      {page.submittedAt ? (
        <section aria-labelledby="answers-title">
          <h2 id="answers-title">Your submitted answers</h2>
          {exercise.tasks.map((task, i) => (
            <div key={task.id} className="exercise-task">
              <h3>
                Task {i + 1} <span className="visually-hidden">:</span>
              </h3>
              <div dangerouslySetInnerHTML={{ __html: task.promptHtml }} />
              <div className="submitted-text">{page.texts[task.id]}</div>
              <p className="hint">{countWords(page.texts[task.id] ?? "")} words</p>
            </div>
          ))}
        </section>
      ) : (
        <Form method="post" aria-labelledby="answers-title">
          <h2 id="answers-title">Your answers</h2>
          <input type="hidden" name="learner" value={learnerId} />
          {exercise.tasks.map((task, i) => (
            <TaskField
              key={task.id}
              task={task}
              index={i}
              text={result?.texts?.[task.id] ?? restored?.[task.id] ?? page.texts[task.id] ?? ""}
              error={errors[task.id]}
            />
          ))}
          <p className="hint">Save as often as you like: your draft stays on the server. Once submitted, your answers can no longer be changed.</p>
          <div className="actions">
            <button type="submit" name="intent" value="save" className="button button-secondary" disabled={busy}>
              Save draft
            </button>{" "}
            <button type="submit" name="intent" value="submit" className="button" disabled={busy}>
              Submit my answers
            </button>
          </div>
        </Form>
      )}

      {page.selfAssessmentDue ? (
        <Form method="post" aria-labelledby="self-title">
          <h2 id="self-title">Assess your own answers</h2>
          <p>For each criterion, choose the level your answers reach. Your self-assessment is for you: it does not count toward your result.</p>
          <RubricFields rubric={exercise.rubric} values={result?.values ?? {}} errors={errors} idPrefix="self" />
          <button type="submit" name="intent" value="self-assess" className="button" disabled={busy}>
            Send my self-assessment
          </button>
        </Form>
      ) : null}

      {page.modelAnswerHtml ? (
        <section aria-labelledby="model-title" className="panel">
          <h2 id="model-title">A model answer</h2>
          <p className="muted">What an experienced practitioner would write, and why: compare it with yours.</p>
          {/* Build-time HTML from the course files, shown only once the learner has submitted. */}
          <div dangerouslySetInnerHTML={{ __html: page.modelAnswerHtml }} />
        </section>
      ) : null}

      {page.feedback ? (
        <section aria-labelledby="feedback-title">
          <h2 id="feedback-title">Feedback on your answers</h2>
          <div className="table-wrap">
            <table>
              <caption>Levels given for each criterion</caption>
              <thead>
                <tr>
                  <th scope="col">Criterion</th>
                  <th scope="col">You</th>
                  {Array.from({ length: peerCount }, (_, i) => (
                    <th key={i} scope="col">
                      Peer {i + 1}
                    </th>
                  ))}
                  <th scope="col">Instructor</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {page.feedback.criteria.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.criterion}</th>
                    <td>{levelText(c.levels, c.self)}</td>
                    {Array.from({ length: peerCount }, (_, i) => (
                      <td key={i}>{levelText(c.levels, c.peers[i] ?? null)}</td>
                    ))}
                    <td>{levelText(c.levels, c.instructor)}</td>
                    <td>{c.result ? resultText(c.levels, c.result) : "Not yet: waiting for reviews"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.feedback.instructorFeedback ? (
            <>
              <h3>The instructor&apos;s feedback</h3>
              <p className="submitted-text">{page.feedback.instructorFeedback}</p>
            </>
          ) : null}
          {page.feedback.peerComments.length ? (
            <>
              <h3>Your peers&apos; comments</h3>
              <dl>
                {page.feedback.peerComments.map((c) => (
                  <div key={c.peer}>
                    <dt>Peer {c.peer}</dt>
                    <dd className="submitted-text">{c.comment}</dd>
                  </div>
                ))}
              </dl>
            </>
          ) : null}
        </section>
      ) : null}

      {page.canReviewPeers ? (
        <p>
          <Link to={`/modules/${module.slug}/exercise/reviews`}>Review your peers&apos; submissions</Link>
        </p>
      ) : null}
    </>
  );
}
