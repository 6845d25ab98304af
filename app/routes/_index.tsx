import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getUser, homeFor } from "~/auth/session.server";
import { ModuleStatusBadge } from "~/components/ProgressStatus";
import { formatMinutes } from "~/lib/format";
import { EXERCISE_STATUS_LABELS } from "~/lib/exercise";
import { dashboardPage } from "~/models/dashboard.server";
import { pageMeta } from "~/lib/meta";
import type { RouteHandle } from "~/root";

export const meta: MetaFunction = () =>
  pageMeta("My course · Cyber Diplomacy Academy", "Your modules of the cyber diplomacy course, how far you are in each, and where to go on.");

// Plain HTML, no JavaScript: the page is a function of its data, which lets the server keep it (ADR 010).
export const handle: RouteHandle = { hydrate: false };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (!user) throw redirect("/login");
  if (user.role !== "learner") throw redirect(homeFor(user.role));
  return dashboardPage({ userId: user.id, name: user.name }).data;
}

const resumeUrl = (slug: string, resume: string) => `/modules/${slug}/${resume}`;

const WAITING = {
  draft: () => "A draft to finish",
  reviews: (n: number) => `${n} ${n === 1 ? "submission" : "submissions"} of your peers to review`,
  feedback: () => "Feedback received",
} as const;
const waitingUrl = (slug: string, kind: keyof typeof WAITING) => `/modules/${slug}/exercise${kind === "reviews" ? "/reviews" : ""}`;

export default function LearnerHome() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Welcome, {data.name}</h1>
      <p className="lead">
        {data.course.title}
        {data.cohort ? ` · ${data.cohort}` : ""}
      </p>
      <section className="panel" aria-labelledby="overall-title">
        <h2 id="overall-title">Your progress</h2>
        <label htmlFor="overall-progress">Course progress: {data.percent}%</label>
        <progress id="overall-progress" max={100} value={data.percent}>
          {data.percent}%
        </progress>
        <p className="muted">
          {data.minutesLeft ? `About ${formatMinutes(data.minutesLeft)} left · ` : ""}
          {formatMinutes(data.minutesOnTask)} studied so far
        </p>
        {data.completed ? (
          <p>
            <strong>
              <span aria-hidden="true">✓ </span>You have completed the course.
            </strong>{" "}
            <Link to="/certificate">See your certificate</Link>
          </p>
        ) : data.next ? (
          <p>
            <Link className="button" to={resumeUrl(data.next.slug, data.next.resume)}>
              {data.next.started ? "Continue" : "Start"}: {data.next.title}
            </Link>
          </p>
        ) : null}
        <p>
          <Link to="/progress">Your mastery of each learning objective</Link>
        </p>
      </section>
      {data.waiting.length ? (
        <section className="panel" aria-labelledby="waiting-title">
          <h2 id="waiting-title">Practical exercises waiting for you</h2>
          <ul>
            {data.waiting.map((w) => (
              <li key={`${w.slug}-${w.kind}`}>
                <Link to={waitingUrl(w.slug, w.kind)}>
                  {WAITING[w.kind](w.count)}: {w.title}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="modules-title">
        <h2 id="modules-title">Modules</h2>
        <ol className="module-list">
          {data.modules.map((m) => (
            <li key={m.slug} className="panel module-card">
              <h3>
                <Link to={`/modules/${m.slug}`}>
                  {m.order}. {m.title}
                </Link>
              </h3>
              <p>{m.summary}</p>
              <p className="module-meta">
                <ModuleStatusBadge status={m.status} /> {m.sectionsRead} of {m.sectionCount} sections read
                {m.hasQuiz ? (m.quizPassed ? " · quiz passed" : " · quiz not passed yet") : " · no quiz"}
                {m.exercise ? (
                  <>
                    {" · "}
                    <Link to={`/modules/${m.slug}/exercise`}>
                      practical exercise<span className="visually-hidden"> of {m.title}</span>
                    </Link>
                    : {EXERCISE_STATUS_LABELS[m.exercise.status].toLowerCase()}
                  </>
                ) : null}
                {m.status !== "completed" ? ` · about ${formatMinutes(m.minutesLeft)} left` : ""}
              </p>
              {m.status !== "completed" ? (
                <Link to={resumeUrl(m.slug, m.resume)}>
                  {m.started ? "Continue" : "Start"}
                  <span className="visually-hidden"> {m.title}</span>
                </Link>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
