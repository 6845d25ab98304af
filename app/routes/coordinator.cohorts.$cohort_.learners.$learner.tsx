import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireCoordinatedCohort } from "~/auth/session.server";
import { CopyButton } from "~/components/CopyButton";
import { Field, FieldError, FormAlert, StatusMessage } from "~/components/form";
import { ModuleStatusBadge } from "~/components/ProgressStatus";
import { StatusBadge } from "~/components/StatusBadge";
import { originFor } from "~/env.server";
import { formatMinutes } from "~/lib/format";
import { learnerPageSchemas } from "~/lib/form-schemas.server";
import { domainFailure, invalid, or404, parseForm, readForm } from "~/lib/forms.server";
import { EXERCISE_STATUS_LABELS } from "~/lib/exercise";
import { masteryStateTitle } from "~/lib/mastery";
import { AUDIT_LABEL, listAudit, type AuditAction } from "~/models/audit.server";
import {
  cohortLearner,
  createMemberPasswordLink,
  deleteLearner,
  grantLearnerAttempt,
  revokeMemberCertificate,
  setMemberActive,
  viewLearner,
} from "~/models/coordinator-actions.server";
import { learnerExercises } from "~/models/exercise-report.server";
import { objectiveMastery } from "~/models/mastery.server";
import { courseProgress } from "~/models/progress.server";
import { attemptAllowances, attemptHistory } from "~/models/quiz.server";
import { moduleCells } from "~/models/report.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(
    `${data?.learner.name ?? "Learner"} · ${data?.cohort.name ?? "Cohort"} · Cyber Diplomacy Academy`,
    `The progress, quiz attempts and mastery of ${data?.learner.name ?? "a learner"}, and what a coordinator can do for them.`,
  );

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, cohort } = await requireCoordinatedCohort(request, params.cohort);
  const learner = or404(() => viewLearner({ actor: user, cohort }, { learnerId: params.learner }));
  const progress = courseProgress({ userId: learner.id });
  const dates = new Map(moduleCells({ userIds: [learner.id] }).map((c) => [c.slug, c]));
  return {
    cohort: { name: cohort.name, slug: cohort.slug },
    learner: {
      id: learner.id,
      name: learner.name,
      email: learner.email,
      country: learner.country,
      joinedAt: learner.joinedAt.toISOString(),
      deactivatedAt: iso(learner.deactivatedAt),
      certificate: learner.certificateCode ? (learner.certificateRevokedAt ? "revoked" : "valid") : null,
    },
    progress: {
      fraction: progress.fraction,
      minutesOnTask: progress.minutesOnTask,
      completedAt: iso(progress.completedAt),
      modules: progress.modules.map((m) => ({
        slug: m.slug,
        title: m.title,
        order: m.order,
        status: m.status,
        sectionsRead: m.sectionsRead,
        sectionCount: m.sections.length,
        hasQuiz: m.hasQuiz,
        quizPassed: m.quizPassed,
        exercise: m.exercise,
        startedAt: iso(dates.get(m.slug)?.startedAt),
        lastActivityAt: iso(dates.get(m.slug)?.lastActivityAt),
        completedAt: iso(m.completedAt),
      })),
    },
    objectives: objectiveMastery({ userId: learner.id }),
    attempts: attemptHistory(learner.id).map((a) => ({ ...a, startedAt: iso(a.startedAt)!, submittedAt: iso(a.submittedAt)! })),
    allowances: attemptAllowances(learner.id),
    exercises: (({ exercises, reviewsGiven }) => ({
      reviewsGiven,
      submissions: exercises.map((x) => ({ ...x, submittedAt: iso(x.submittedAt) })),
    }))(learnerExercises(learner.id)),
    audit: listAudit({ cohortId: cohort.id, subjectId: learner.id }).rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorName: r.actorName,
      action: AUDIT_LABEL[r.action as AuditAction] ?? r.action,
      detail: r.detail,
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, cohort } = await requireCoordinatedCohort(request, params.cohort);
  const learner = or404(() => cohortLearner({ cohortId: cohort.id, userId: params.learner }));
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const scope = { actor: user, cohort };
  try {
    switch (intent) {
      case "grant": {
        const parsed = parseForm(formData, learnerPageSchemas.grant);
        if (!parsed.ok) return invalid(parsed);
        return { ok: true as const, intent, ...grantLearnerAttempt(scope, { learnerId: learner.id, module: parsed.data.module }) };
      }
      case "revoke-certificate":
        return { ok: true as const, intent, ...revokeMemberCertificate(scope, { userId: learner.id }) };
      case "reset": {
        const { message, path, expiresAt } = createMemberPasswordLink(scope, { userId: learner.id });
        return { ok: true as const, intent, message, link: `${originFor(request)}${path}`, expiresAt: expiresAt.toISOString() };
      }
      case "deactivate":
      case "reactivate":
        return { ok: true as const, intent, ...setMemberActive(scope, { userId: learner.id, active: intent === "reactivate" }) };
      case "delete": {
        const parsed = parseForm(formData, learnerPageSchemas.delete(learner.name));
        if (!parsed.ok) return invalid(parsed);
        const entryId = deleteLearner(scope, { learnerId: learner.id });
        throw redirect(`/coordinator/cohorts/${cohort.slug}?deleted=${entryId}`, 303);
      }
      default:
        return invalid({ fieldErrors: {}, formError: "Unknown action." });
    }
  } catch (error) {
    return domainFailure(error, formData);
  }
}

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);
const day = (value: string | null) => (value ? <time dateTime={value}>{value.slice(0, 10)}</time> : "—");
const TONE = { mastered: "ok", "not-yet": "warn", "not-assessed": "info" } as const;
const level = (score: number | null, max: number) => (score === null ? "—" : `${score} of ${max}`);

function OneButton({ intent, label, secondary = true }: { intent: string; label: string; secondary?: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={`button${secondary ? " button-secondary" : ""}`}>
        {label}
      </button>
    </Form>
  );
}

export default function LearnerPage() {
  const { cohort, learner, progress, objectives, attempts, allowances, exercises, audit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && !result.ok ? result : undefined;
  const success = result?.ok ? result : undefined;
  const failedIntent = failure?.values.intent;

  return (
    <>
      <p className="breadcrumb">
        <Link to={`/coordinator/cohorts/${cohort.slug}`}>← {cohort.name}</Link>
      </p>
      <h1>{learner.name}</h1>
      <p className="muted">
        {learner.email} · {learner.country ?? "No country given"} · joined {day(learner.joinedAt)}{" "}
        {learner.deactivatedAt ? <StatusBadge tone="off">Deactivated</StatusBadge> : <StatusBadge tone="ok">Active</StatusBadge>}{" "}
        {learner.certificate === "valid" ? <StatusBadge tone="ok">Certificate valid</StatusBadge> : null}
        {learner.certificate === "revoked" ? <StatusBadge tone="off">Certificate revoked</StatusBadge> : null}
      </p>

      {success ? <StatusMessage>{success.message}</StatusMessage> : null}
      {failure?.formError ? <FormAlert>{failure.formError}</FormAlert> : null}
      {success && "link" in success && success.link ? (
        <section className="panel highlight" aria-labelledby="link-title">
          <h2 id="link-title">Password link</h2>
          <p>
            Copy this link now: only a fingerprint is stored. Valid until {day(success.expiresAt)}, for one use.
          </p>
          <label htmlFor="reset-link">Link</label>
          <input id="reset-link" readOnly value={success.link} className="links-box" />
          <div className="actions">
            <CopyButton text={success.link} label="Copy link" />
          </div>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="progress-title">
        <h2 id="progress-title">Progress by module</h2>
        <p>
          {pct(progress.fraction)} of the course · {formatMinutes(progress.minutesOnTask)} on task
          {progress.completedAt ? <> · completed the course on {day(progress.completedAt)}</> : null}
        </p>
        <div className="table-wrap" role="region" aria-labelledby="progress-title" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Module</th>
                <th scope="col">Status</th>
                <th scope="col">Sections read</th>
                <th scope="col">Quiz</th>
                <th scope="col">Practical exercise</th>
                <th scope="col">Started</th>
                <th scope="col">Last activity</th>
                <th scope="col">Completed</th>
              </tr>
            </thead>
            <tbody>
              {progress.modules.map((m) => (
                <tr key={m.slug}>
                  <th scope="row">
                    {m.order}. {m.title}
                  </th>
                  <td>
                    <ModuleStatusBadge status={m.status} />
                  </td>
                  <td>
                    {m.sectionsRead} of {m.sectionCount}
                  </td>
                  <td>{m.hasQuiz ? (m.quizPassed ? "Passed" : "Not passed yet") : "No quiz"}</td>
                  <td>
                    {m.exercise
                      ? `${EXERCISE_STATUS_LABELS[m.exercise.status]}${m.exercise.required ? (m.exercise.done ? " (required, done)" : " (required)") : ""}`
                      : "No exercise"}
                  </td>
                  <td>{day(m.startedAt)}</td>
                  <td>{day(m.lastActivityAt)}</td>
                  <td>{day(m.completedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="mastery-title">
        <h2 id="mastery-title">Mastery of the objectives</h2>
        <p className="muted">The same figures the learner sees on their own progress page.</p>
        <div className="table-wrap" role="region" aria-labelledby="mastery-title" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Objective</th>
                <th scope="col">Evidence (latest answers and exercise results)</th>
                <th scope="col">State</th>
                <th scope="col">Shown in a practical exercise</th>
              </tr>
            </thead>
            <tbody>
              {objectives.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    {o.id}: {o.title}
                  </th>
                  <td>
                    {o.answered ? `${o.correct} of ${o.answered} (${pct(o.value)})` : "None answered"}
                  </td>
                  <td>
                    <StatusBadge tone={TONE[o.state]}>{masteryStateTitle(o.state)}</StatusBadge>
                  </td>
                  <td>{o.practical ? `Yes (${o.practical} result${o.practical === 1 ? "" : "s"})` : "No"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="attempts-title">
        <h2 id="attempts-title">Quiz attempts</h2>
        {attempts.length === 0 ? <p>No quiz submitted yet.</p> : null}
        {attempts.map((a) => (
          <details key={a.id} className="attempt">
            <summary>
              {a.moduleTitle}, attempt {a.number}: {a.correctCount} of {a.questionCount} right ({pct(a.score)}),{" "}
              {a.passed ? "passed" : "not passed"}, submitted {day(a.submittedAt)}
            </summary>
            <table>
              <caption className="visually-hidden">
                Answers of attempt {a.number} at {a.moduleTitle}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Question</th>
                  <th scope="col">Answer given</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {a.answers.map((x) => (
                  <tr key={x.questionId}>
                    <th scope="row">{x.prompt}</th>
                    <td>{x.chosen.join("; ")}</td>
                    <td>{x.correct ? <StatusBadge tone="ok">Right</StatusBadge> : <StatusBadge tone="off">Wrong</StatusBadge>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ))}
      </section>

      <section className="panel" aria-labelledby="exercises-title">
        <h2 id="exercises-title">Practical exercises</h2>
        <p>
          Peer reviews given: {exercises.reviewsGiven}. Reviewers are not named here: peer review is anonymous.
        </p>
        {exercises.submissions.length === 0 ? <p>No exercise started yet.</p> : null}
        {exercises.submissions.map((x) => (
          <details key={x.submissionId} className="attempt">
            <summary>
              {x.title}: {EXERCISE_STATUS_LABELS[x.status].toLowerCase()}
              {x.submittedAt ? <>, submitted {day(x.submittedAt)}</> : null}
              {x.peersRequired ? `, ${x.peerReviewsReceived} of ${x.peersRequired} peer reviews received` : ""}
            </summary>
            {x.criteria.length ? (
              <table>
                <caption className="visually-hidden">Levels per criterion of {x.title}</caption>
                <thead>
                  <tr>
                    <th scope="col">Criterion</th>
                    <th scope="col">Self</th>
                    <th scope="col">Peers</th>
                    <th scope="col">Instructor</th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {x.criteria.map((c) => (
                    <tr key={c.criterionId}>
                      <th scope="row">
                        {c.criterion} ({c.objectives.join(", ")})
                      </th>
                      <td>{level(c.self, c.maxScore)}</td>
                      <td>{c.peers.length ? c.peers.map((p) => level(p, c.maxScore)).join("; ") : "—"}</td>
                      <td>{level(c.instructor, c.maxScore)}</td>
                      <td>
                        {c.result === null
                          ? "No result yet"
                          : `${level(c.result, c.maxScore)}, ${c.source === "instructor" ? "the instructor's level" : "the peers' median"}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p>A draft: nothing submitted yet.</p>
            )}
          </details>
        ))}
      </section>

      <section className="panel" aria-labelledby="actions-title">
        <h2 id="actions-title">Actions</h2>
        {allowances.length ? (
          <Form method="post" className="inline-form" noValidate>
            <input type="hidden" name="intent" value="grant" />
            <div className="field">
              <label htmlFor="grant-module">Grant another attempt at</label>
              <select id="grant-module" name="module" aria-invalid={failedIntent === "grant" && failure?.fieldErrors.module ? true : undefined}>
                {allowances.map((q) => (
                  <option key={q.slug} value={q.slug}>
                    {q.title} ({q.used} of {q.max_attempts + q.extra} attempts used)
                  </option>
                ))}
              </select>
              {failedIntent === "grant" && failure?.fieldErrors.module ? <FieldError>{failure.fieldErrors.module}</FieldError> : null}
            </div>
            <button type="submit" className="button button-secondary">
              Grant an attempt
            </button>
          </Form>
        ) : (
          <p className="muted">No quiz of the course limits attempts.</p>
        )}
        <div className="row-actions">
          {learner.certificate === "valid" ? <OneButton intent="revoke-certificate" label="Revoke certificate" /> : null}
          {learner.deactivatedAt ? null : <OneButton intent="reset" label="Create a password link" />}
          <OneButton intent={learner.deactivatedAt ? "reactivate" : "deactivate"} label={learner.deactivatedAt ? "Reactivate" : "Deactivate"} />
          <a className="button button-secondary" href={`/coordinator/cohorts/${cohort.slug}/learners/${learner.id}/export.json`} download>
            Export data (JSON)
          </a>
        </div>
      </section>

      <section className="panel danger-zone" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete this learner</h2>
        <p>
          Deleting removes {learner.name}&apos;s account and every record of their study: progress, quiz answers,
          completions and certificate. It cannot be undone. Export their data first if it must be kept.
        </p>
        <Form method="post" noValidate className="inline-form">
          <input type="hidden" name="intent" value="delete" />
          <Field
            label={`Type the learner's name (${learner.name}) to confirm`}
            name="confirmName"
            id="field-confirm-name"
            autoComplete="off"
            required
            defaultValue={failedIntent === "delete" ? (failure?.values.confirmName ?? "") : ""}
            error={failedIntent === "delete" ? failure?.fieldErrors.confirmName : undefined}
          />
          <button type="submit" className="button button-danger">
            Delete learner and records
          </button>
        </Form>
      </section>

      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">Audit log for this learner</h2>
        {audit.length === 0 ? (
          <p>Nothing recorded.</p>
        ) : (
          <ul>
            {audit.map((e) => (
              <li key={e.id}>
                <time dateTime={e.at}>{e.at.slice(0, 16).replace("T", " ")}</time> UTC: {e.action} by {e.actorName}
                {e.detail ? ` (${e.detail})` : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
