import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { StatusBadge } from "~/components/StatusBadge";
import { getCourse } from "~/content/course.server";
import { MASTERY_MIN_ANSWERS, masteryStateTitle } from "~/lib/mastery";
import { objectiveMastery, type MasteryState } from "~/models/mastery.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = () =>
  pageMeta("My mastery · Cyber Diplomacy Academy", "How well you master each objective of the course, from your quiz answers.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "learner");
  return { threshold: getCourse().masteryThreshold, objectives: objectiveMastery({ userId: user.id }) };
}

const TONE: Record<MasteryState, "ok" | "warn" | "info"> = { mastered: "ok", "not-yet": "warn", "not-assessed": "info" };

export default function Progress() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Your mastery of the learning objectives</h1>
      <p className="muted">
        Based on your latest answer to each quiz question. An objective is mastered at {Math.round(data.threshold * 100)}%
        or more of its questions answered correctly, with at least {MASTERY_MIN_ANSWERS} answered.
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
                {o.value === null ? "No answers yet." : `${o.correct} of ${o.answered} answers correct (${percent}%).`}
              </p>
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
    </>
  );
}
