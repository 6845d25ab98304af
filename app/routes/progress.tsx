import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { StatusBadge } from "~/components/StatusBadge";
import { getCourse } from "~/content/course.server";
import { MASTERY_MIN_ANSWERS, masteryStateTitle } from "~/lib/mastery";
import { EXERCISE_STATUS_LABELS, type ExerciseStatus } from "~/lib/exercise";
import { objectiveMastery, type MasteryState } from "~/models/mastery.server";
import { courseProgress } from "~/models/progress.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = () =>
  pageMeta("My mastery · Cyber Diplomacy Academy", "How well you master each objective of the course, from your quiz answers and practical exercises.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "learner");
  const exercises = courseProgress({ userId: user.id }).modules.flatMap((m) => (m.exercise ? [{ slug: m.slug, title: m.title, ...m.exercise }] : []));
  return { threshold: getCourse().masteryThreshold, objectives: objectiveMastery({ userId: user.id }), exercises };
}

const EXERCISE_TONE: Record<ExerciseStatus, "ok" | "warn" | "info"> = { reviewed: "ok", submitted: "ok", draft: "warn", "not-started": "info" };

/** "Shown in 1 practical exercise", or nothing when the objective's evidence is quiz answers only. */
function practicalNote(practical: number): string | null {
  if (practical === 0) return null;
  return `Shown in ${practical === 1 ? "a practical exercise" : `${practical} practical exercises`}.`;
}

const TONE: Record<MasteryState, "ok" | "warn" | "info"> = { mastered: "ok", "not-yet": "warn", "not-assessed": "info" };

export default function Progress() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Your mastery of the learning objectives</h1>
      <p className="muted">
        Based on your latest answer to each quiz question and on the results of your practical exercises, each rubric
        criterion counting as its level out of the highest. An objective is mastered at {Math.round(data.threshold * 100)}%
        or more, with at least {MASTERY_MIN_ANSWERS} pieces of evidence (answers and results).
      </p>
      <ol className="mastery-list">
        {data.objectives.map((o) => {
          const percent = o.value === null ? 0 : Math.round(o.value * 100);
          return (
            <li key={o.id} className="panel">
              <h2>
                {o.id}: {o.title}
              </h2>
              <p>{o.description}</p>
              <p>
                <StatusBadge tone={TONE[o.state]}>{masteryStateTitle(o.state)}</StatusBadge>{" "}
                {o.value === null ? "No answers yet." : `${score(o.correct)} of ${o.answered} ${o.practical ? "pieces of evidence" : "answers correct"} (${percent}%).`}
              </p>
              {practicalNote(o.practical) ? <p>{practicalNote(o.practical)}</p> : null}
              {o.value !== null ? (
                <>
                  <label htmlFor={`mastery-${o.id}`} className="visually-hidden">
                    {o.id} mastery
                  </label>
                  <progress id={`mastery-${o.id}`} max={100} value={percent}>
                    {percent}%
                  </progress>
                </>
              ) : null}
              {o.modules.length ? (
                <p className="small">
                  Review:{" "}
                  {o.modules.map((m, i) => (
                    <span key={m.slug}>
                      {i ? ", " : ""}
                      <Link to={`/modules/${m.slug}`}>{m.title}</Link>
                    </span>
                  ))}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {data.exercises.length ? (
        <section aria-labelledby="exercises-title">
          <h2 id="exercises-title">Practical exercises</h2>
          <ul className="mastery-list">
            {data.exercises.map((x) => (
              <li key={x.slug} className="panel">
                <h3>
                  <Link to={`/modules/${x.slug}/exercise`}>{x.title}</Link>
                </h3>
                <p>
                  <StatusBadge tone={EXERCISE_TONE[x.status]}>{EXERCISE_STATUS_LABELS[x.status]}</StatusBadge>{" "}
                  {x.required ? (x.done ? "Required: done." : "Required to complete the module.") : "Optional."}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

/** A worth added up: whole for quiz answers, to two decimals once a criterion result adds a fraction. */
function score(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, "");
}
