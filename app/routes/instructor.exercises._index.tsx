import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { Pager } from "~/components/Pager";
import { StatusBadge } from "~/components/StatusBadge";
import { exerciseQueueQuerySchema, pageParam } from "~/lib/form-schemas.server";
import { pageMeta } from "~/lib/meta";
import { queueFilterOptions, reviewQueue, type QueueView } from "~/models/exercise-queue.server";

export const meta: MetaFunction = () =>
  pageMeta("Exercises to review · Cyber Diplomacy Academy", "Practical exercises submitted by learners and waiting for an instructor's review, oldest first.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "instructor", "coordinator");
  const url = new URL(request.url);
  const query = exerciseQueueQuerySchema.parse(Object.fromEntries(url.searchParams));
  const options = queueFilterOptions(user);
  // A filter the staff member cannot choose (someone else's cohort, no such module) is dropped, not applied.
  const filters = {
    module: options.modules.some((m) => m.slug === query.module) ? query.module : "",
    cohort: options.cohorts.some((c) => c.slug === query.cohort) ? query.cohort : "",
  };
  const queue = reviewQueue({ staff: user, view: query.show, filters, page: pageParam(url) });
  return {
    role: user.role,
    show: query.show,
    filters,
    options,
    page: queue.page,
    pages: queue.pages,
    total: queue.total,
    rows: queue.rows.map((r) => ({ ...r, submittedAt: r.submittedAt.toISOString() })),
  };
}

const VIEWS: { view: QueueView; label: string }[] = [
  { view: "waiting", label: "Waiting for review" },
  { view: "reviewed", label: "Reviewed" },
  { view: "all", label: "All submitted" },
];

export default function ExerciseQueue() {
  const data = useLoaderData<typeof loader>();
  const viewLink = (view: QueueView) => {
    const params = new URLSearchParams();
    if (view !== "waiting") params.set("show", view);
    if (data.filters.module) params.set("module", data.filters.module);
    if (data.filters.cohort) params.set("cohort", data.filters.cohort);
    const query = params.toString();
    return `/instructor/exercises${query ? `?${query}` : ""}`;
  };
  const shown = VIEWS.find((v) => v.view === data.show)!.label;
  return (
    <>
      <p className="breadcrumb">
        <Link to={data.role === "instructor" ? "/instructor" : "/coordinator/cohorts"}>
          ← {data.role === "instructor" ? "Course authoring" : "Cohorts"}
        </Link>
      </p>
      <h1>Exercises to review</h1>
      <p className="muted">
        {data.role === "instructor"
          ? "Practical exercises of every cohort whose rubric asks for an instructor's review, the longest waiting first."
          : "Practical exercises of the cohorts you coordinate whose rubric asks for an instructor's review, the longest waiting first. As their coordinator you may review them."}{" "}
        Saving a review releases the result to the learner.
      </p>

      <nav aria-label="Submissions shown" className="view-tabs">
        <ul>
          {VIEWS.map((v) => (
            <li key={v.view}>
              <Link to={viewLink(v.view)} aria-current={v.view === data.show ? "page" : undefined}>
                {v.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <Form method="get" className="inline-form" preventScrollReset>
        {data.show !== "waiting" ? <input type="hidden" name="show" value={data.show} /> : null}
        <div className="field">
          <label htmlFor="queue-module">Module</label>
          <select id="queue-module" name="module" defaultValue={data.filters.module}>
            <option value="">All modules</option>
            {data.options.modules.map((m) => (
              <option key={m.slug} value={m.slug}>
                {m.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="queue-cohort">Cohort</label>
          <select id="queue-cohort" name="cohort" defaultValue={data.filters.cohort}>
            <option value="">{data.role === "instructor" ? "All cohorts" : "All my cohorts"}</option>
            {data.options.cohorts.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          Filter
        </button>
      </Form>

      <section className="panel" aria-labelledby="queue-title">
        <h2 id="queue-title">
          {shown}: {data.total} submission{data.total === 1 ? "" : "s"}
        </h2>
        {data.rows.length === 0 ? (
          <p>{data.show === "waiting" ? "Nothing is waiting for a review." : "No submission matches."}</p>
        ) : (
          <div className="table-wrap" role="region" aria-labelledby="queue-title" tabIndex={0}>
            <table>
              <caption className="visually-hidden">{shown}, oldest submission first</caption>
              <thead>
                <tr>
                  <th scope="col">Learner</th>
                  <th scope="col">Cohort</th>
                  <th scope="col">Module</th>
                  <th scope="col">Submitted</th>
                  <th scope="col">Peer reviews</th>
                  <th scope="col">Self-assessment</th>
                  <th scope="col">Instructor review</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.submissionId}>
                    <th scope="row">
                      <Link to={`/instructor/exercises/${r.submissionId}`}>{r.learnerName}</Link>
                    </th>
                    <td>{r.cohortName ?? "No cohort"}</td>
                    <td>{r.moduleTitle}</td>
                    <td>
                      <time dateTime={r.submittedAt}>{r.submittedAt.slice(0, 16).replace("T", " ")}</time> UTC
                    </td>
                    <td>{r.peersNeeded ? `${r.peersIn} of ${r.peersNeeded}` : "None asked"}</td>
                    <td>{r.selfAssessed === null ? "Not asked" : r.selfAssessed ? "Done" : "Not yet"}</td>
                    <td>
                      {r.instructorReviewed ? (
                        <StatusBadge tone="ok">Reviewed</StatusBadge>
                      ) : r.instructorAsked ? (
                        <StatusBadge tone="warn">Waiting</StatusBadge>
                      ) : (
                        "Not asked"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager label="Exercises to review: pages" param="page" page={data.page} pages={data.pages} total={data.total} />
      </section>
    </>
  );
}
