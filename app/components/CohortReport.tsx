import { Form, Link, useLocation } from "@remix-run/react";
import { formatMinutes } from "~/lib/format";
import { Pager } from "./Pager";
import { StatusBadge } from "./StatusBadge";

type Status = "not-started" | "in-progress" | "completed";
type State = "not-assessed" | "in-progress" | "mastered";

export interface CohortReportData {
  slug: string;
  summary: {
    enrolled: number;
    active: number;
    completed: number;
    notStarted: number;
    medianProgress: number | null;
    medianTimeMs: number | null;
  };
  activeDays: number;
  query: { status: string; sort: string; dir: "asc" | "desc"; page: number };
  pages: number;
  total: number;
  modules: { slug: string; title: string; position: number }[];
  objectives: { id: string; title: string }[];
  threshold: number;
  rows: {
    userId: string;
    name: string;
    deactivated: boolean;
    status: Status;
    progress: number;
    timeOnTaskMs: number;
    lastActivityAt: string | null;
    certificate: "valid" | "revoked" | null;
    modules: { slug: string; status: Status; sectionsRead: number; sectionsTotal: number; hasQuiz: boolean; quizPassed: boolean }[];
    mastery: { objectiveId: string; value: number | null; state: State; correct: number; answered: number }[];
  }[];
  cohortMastery: { objectiveId: string; title: string; learners: number; mastered: number; inProgress: number; notAssessed: number; meanValue: number | null }[];
}

const FILTER_LABEL: Record<string, string> = {
  all: "Everyone",
  "not-started": "Not started",
  "in-progress": "In progress",
  completed: "Completed the course",
  inactive: "Inactive (in progress, no activity for 14 days)",
};
const STATUS: Record<Status, { tone: "ok" | "warn" | "info"; text: string }> = {
  completed: { tone: "ok", text: "Completed" },
  "in-progress": { tone: "warn", text: "In progress" },
  "not-started": { tone: "info", text: "Not started" },
};
const STATE_TEXT: Record<State, string> = { mastered: "mastered", "in-progress": "not yet", "not-assessed": "not assessed" };

const EXPORTS = [
  ["completion.csv", "Completion (CSV)", "one row per learner and module"],
  ["mastery.csv", "Mastery (CSV)", "one row per learner and objective"],
  ["attempts.csv", "Quiz answers (CSV)", "one row per answer"],
  ["xapi.ndjson", "xAPI statements (NDJSON)", "for a learning record store; learners identified by an opaque id"],
] as const;

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);
const duration = (ms: number | null) => (ms === null ? "—" : formatMinutes(ms / 60_000));
const day = (iso: string | null) => (iso ? <time dateTime={iso}>{iso.slice(0, 10)}</time> : "Never");

/** A column header that sorts the learners: a link (works without JavaScript), with aria-sort. */
function SortHeader({ label, sort, query }: { label: string; sort: string; query: CohortReportData["query"] }) {
  const location = useLocation();
  const active = query.sort === sort;
  const nextDir = active && query.dir === "asc" ? "desc" : active ? "asc" : sort === "name" ? "asc" : "desc";
  const params = new URLSearchParams(location.search);
  params.set("sort", sort);
  params.set("dir", nextDir);
  params.delete("page");
  return (
    <th scope="col" aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link to={`?${params.toString()}#learners-title`} preventScrollReset>
        {label}
        <span aria-hidden="true">{active ? (query.dir === "asc" ? " ▲" : " ▼") : " ↕"}</span>
        <span className="visually-hidden">{active ? `, sorted ${query.dir === "asc" ? "ascending" : "descending"}` : ", sort"}</span>
      </Link>
    </th>
  );
}

function heatClass(state: State, value: number | null) {
  if (state === "not-assessed" || value === null) return "heat heat-none";
  if (state === "mastered") return "heat heat-high";
  return value >= 0.5 ? "heat heat-mid" : "heat heat-low";
}

export function CohortReport({ data }: { data: CohortReportData }) {
  const { summary, query, modules, objectives } = data;
  const exportBase = `/coordinator/cohorts/${data.slug}/exports`;
  return (
    <>
      <section className="panel" aria-labelledby="summary-title">
        <h2 id="summary-title">Summary</h2>
        <dl className="summary-grid">
          {[
            ["Enrolled learners", summary.enrolled],
            [`Active in the last ${data.activeDays} days`, summary.active],
            ["Completed the course", summary.completed],
            ["Not started", summary.notStarted],
            ["Median progress", pct(summary.medianProgress)],
            ["Median time on task", duration(summary.medianTimeMs)],
          ].map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <h3 id="exports-title">Exports</h3>
        <ul className="export-list" aria-labelledby="exports-title">
          {EXPORTS.map(([file, label, note]) => (
            <li key={file}>
              <a href={`${exportBase}/${file}`} download>
                {label}
              </a>{" "}
              <span className="muted">{note}</span>
            </li>
          ))}
        </ul>
        <p className="muted">
          Every export and every view of a learner&apos;s record is written to the{" "}
          <Link to={`/coordinator/cohorts/${data.slug}/audit`}>audit log</Link>.
        </p>
      </section>

      <section className="panel" aria-labelledby="cohort-mastery-title">
        <h2 id="cohort-mastery-title">Mastery of the objectives across the cohort</h2>
        <div className="table-wrap" role="region" aria-labelledby="cohort-mastery-title" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Objective</th>
                <th scope="col">Mastered</th>
                <th scope="col">Not yet</th>
                <th scope="col">Not assessed</th>
                <th scope="col">Mean score of those assessed</th>
              </tr>
            </thead>
            <tbody>
              {data.cohortMastery.map((o) => (
                <tr key={o.objectiveId}>
                  <th scope="row">
                    {o.objectiveId}: {o.title}
                  </th>
                  <td>
                    {o.mastered} of {o.learners} ({pct(o.learners ? o.mastered / o.learners : null)})
                  </td>
                  <td>{o.inProgress}</td>
                  <td>{o.notAssessed}</td>
                  <td>{pct(o.meanValue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="learners-title">
        <h2 id="learners-title">Learners</h2>
        <Form method="get" className="inline-form" preventScrollReset>
          <input type="hidden" name="sort" value={query.sort} />
          <input type="hidden" name="dir" value={query.dir} />
          <div className="field">
            <label htmlFor="report-status">Show</label>
            <select id="report-status" name="status" defaultValue={query.status}>
              {Object.entries(FILTER_LABEL).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button-secondary">
            Apply
          </button>
        </Form>
        <p>
          {data.total} learner{data.total === 1 ? "" : "s"} shown ({FILTER_LABEL[query.status]?.toLowerCase()}), sorted by{" "}
          {query.sort === "activity" ? "last activity" : query.sort}, {query.dir === "asc" ? "ascending" : "descending"}.
        </p>

        {data.rows.length === 0 ? (
          <p>No learners match this view.</p>
        ) : (
          <>
            <h3 id="completion-title">Completion by module</h3>
            <p className="muted" id="completion-help">
              Each cell gives the module&apos;s status in words: completed, sections read of the total, and the quiz.
              Modules: {modules.map((m) => `${m.position} = ${m.title}`).join("; ")}.
            </p>
            <div className="table-wrap" role="region" aria-labelledby="completion-title" tabIndex={0}>
              <table className="matrix">
                <caption className="visually-hidden">
                  Completion matrix: learners by module, page {query.page} of {data.pages}
                </caption>
                <thead>
                  <tr>
                    <SortHeader label="Learner" sort="name" query={query} />
                    <SortHeader label="Progress" sort="progress" query={query} />
                    <SortHeader label="Last activity" sort="activity" query={query} />
                    {modules.map((m) => (
                      <th scope="col" key={m.slug} title={m.title}>
                        <span className="visually-hidden">Module </span>
                        {m.position}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={r.userId}>
                      <th scope="row">
                        <Link to={`/coordinator/cohorts/${data.slug}/learners/${r.userId}`}>{r.name}</Link>
                        <br />
                        <StatusBadge tone={STATUS[r.status].tone}>{STATUS[r.status].text}</StatusBadge>
                        {r.deactivated ? <StatusBadge tone="off">Deactivated</StatusBadge> : null}
                        {r.certificate === "revoked" ? <StatusBadge tone="off">Certificate revoked</StatusBadge> : null}
                      </th>
                      <td>
                        {pct(r.progress)}
                        <br />
                        <span className="muted">{duration(r.timeOnTaskMs)}</span>
                      </td>
                      <td>{day(r.lastActivityAt)}</td>
                      {r.modules.map((c) => (
                        <td key={c.slug} className={`cell-${c.status}`}>
                          {c.status === "completed" ? (
                            <>
                              <span aria-hidden="true">✓ </span>Done
                            </>
                          ) : c.status === "not-started" ? (
                            <>
                              <span aria-hidden="true">· </span>Not started
                            </>
                          ) : (
                            <>
                              {c.sectionsRead}/{c.sectionsTotal} read
                              {c.hasQuiz ? <>, quiz {c.quizPassed ? "passed" : "not passed"}</> : null}
                            </>
                          )}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>

            <h3 id="heatmap-title">Mastery by objective</h3>
            <p className="muted">
              Each cell: the share of the learner&apos;s latest answers that are right, and the state in words
              (mastered from {pct(data.threshold)} with enough questions answered; &ldquo;not yet&rdquo;; or not
              assessed). Shading repeats the state and is never its only sign.
            </p>
            <div className="table-wrap" role="region" aria-labelledby="heatmap-title" tabIndex={0}>
              <table className="matrix heatmap">
                <caption className="visually-hidden">
                  Mastery heatmap: learners by objective, page {query.page} of {data.pages}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Learner</th>
                    {objectives.map((o) => (
                      <th scope="col" key={o.id} title={o.title}>
                        {o.id}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={r.userId}>
                      <th scope="row">{r.name}</th>
                      {r.mastery.map((m) => (
                        <td key={m.objectiveId} className={heatClass(m.state, m.value)}>
                          {m.value === null ? "—" : pct(m.value)} <span className="heat-state">{STATE_TEXT[m.state]}</span>
                          {m.answered ? <span className="visually-hidden"> ({m.correct} of {m.answered} right)</span> : null}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager label="Learners: pages" param="page" page={query.page} pages={data.pages} total={data.total} />
          </>
        )}
      </section>
    </>
  );
}
