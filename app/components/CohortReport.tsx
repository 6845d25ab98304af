import { Form, Link, useLocation } from "@remix-run/react";
import { EXERCISE_STATUS_LABELS, type ExerciseStatus } from "~/lib/exercise";
import { formatMinutes } from "~/lib/format";
import { MASTERY_STATE_LABELS, type MasteryState } from "~/lib/mastery";
import { Pager } from "./Pager";
import { StatusBadge } from "./StatusBadge";

type Status = "not-started" | "in-progress" | "completed";

export interface ModuleCellData {
  slug: string;
  status: Status;
  sectionsRead: number;
  sectionsTotal: number;
  hasQuiz: boolean;
  quizPassed: boolean;
  /** The module's practical exercise in the learner's edition, or null when it has none. */
  exercise: { required: boolean; status: ExerciseStatus; done: boolean } | null;
}
export type ReportModule = CohortReportData["modules"][number];

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
    modules: ModuleCellData[];
    mastery: { objectiveId: string; value: number | null; state: MasteryState; correct: number; answered: number; practical: number }[];
  }[];
  cohortMastery: CohortObjectiveData[];
  backlog: BacklogData[];
}

export interface CohortObjectiveData {
  objectiveId: string;
  title: string;
  learners: number;
  mastered: number;
  notYet: number;
  notAssessed: number;
  meanValue: number | null;
  practical: number;
}

export interface BacklogData {
  slug: string;
  submitted: number;
  waitingForPeers: number;
  waitingForInstructor: number;
  reviewed: number;
}

/** The filters' labels; "inactive" states the report's own window (ACTIVE_DAYS, from the loader). */
const filterLabels = (activeDays: number): Record<string, string> => ({
  all: "Everyone",
  "not-started": "Not started",
  "in-progress": "In progress",
  completed: "Completed the course",
  inactive: `Inactive (in progress, no activity for ${activeDays} days)`,
});
export const STATUS: Record<Status, { tone: "ok" | "warn" | "info"; text: string }> = {
  completed: { tone: "ok", text: "Completed" },
  "in-progress": { tone: "warn", text: "In progress" },
  "not-started": { tone: "info", text: "Not started" },
};

const EXPORTS = [
  ["completion.csv", "Completion (CSV)", "one row per learner and module"],
  ["mastery.csv", "Mastery (CSV)", "one row per learner and objective"],
  ["attempts.csv", "Quiz answers (CSV)", "one row per answer"],
  ["exercises.csv", "Practical exercises (CSV)", "one row per learner and rubric criterion of each submitted exercise"],
  ["xapi.ndjson", "xAPI statements (NDJSON)", "for a learning record store; learners identified by an opaque id"],
] as const;

export const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);
export const duration = (ms: number | null) => (ms === null ? "—" : formatMinutes(ms / 60_000));
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

function heatClass(state: MasteryState, value: number | null) {
  if (state === "not-assessed" || value === null) return "heat heat-none";
  if (state === "mastered") return "heat heat-high";
  return value >= 0.5 ? "heat heat-mid" : "heat heat-low";
}

/** The figures over the whole cohort, as a definition list of cards. */
export function SummaryFigures({ summary, activeDays }: { summary: CohortReportData["summary"]; activeDays: number }) {
  return (
    <dl className="summary-grid">
      {[
        ["Enrolled learners", summary.enrolled],
        [`Active in the last ${activeDays} days`, summary.active],
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
  );
}

/** Cohort mastery per objective, in a scroll region of its own (named apart from its section). */
export function ObjectivesTable({ rows, label }: { rows: CohortReportData["cohortMastery"]; label: string }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Objective</th>
            <th scope="col">Mastered</th>
            <th scope="col">Not yet</th>
            <th scope="col">Not assessed</th>
            <th scope="col">Mean score of those assessed</th>
            <th scope="col">Shown in a practical exercise</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr key={o.objectiveId}>
              <th scope="row">
                {o.objectiveId}: {o.title}
              </th>
              <td>
                {o.mastered} of {o.learners} ({pct(o.learners ? o.mastered / o.learners : null)})
              </td>
              <td>{o.notYet}</td>
              <td>{o.notAssessed}</td>
              <td>{pct(o.meanValue)}</td>
              <td>
                {o.practical} of {o.learners}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Per module with a practical exercise: the cohort's submissions and the reviews they wait for, in
 * a scroll region of its own (named apart from its section).
 */
export function BacklogTable({ rows, modules }: { rows: BacklogData[]; modules: ReportModule[] }) {
  const title = new Map(modules.map((m) => [m.slug, m.title]));
  return (
    <div className="table-wrap" role="region" aria-label="Review backlog: table" tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Module</th>
            <th scope="col">Submitted</th>
            <th scope="col">Waiting for peer reviews</th>
            <th scope="col">Waiting for an instructor</th>
            <th scope="col">Reviewed (result out)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr key={b.slug}>
              <th scope="row">{title.get(b.slug) ?? b.slug}</th>
              <td>{b.submitted}</td>
              <td>{b.waitingForPeers}</td>
              <td>{b.waitingForInstructor}</td>
              <td>{b.reviewed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The review backlog's section, shown only when the course has exercises. */
export function BacklogSection({ rows, modules }: { rows: BacklogData[]; modules: ReportModule[] }) {
  if (rows.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="backlog-title">
      <h2 id="backlog-title">Practical exercises: review backlog</h2>
      <p className="muted">
        Submitted exercises of this cohort&apos;s learners, by module: those still short of the peer reviews their exercise
        asks for, and those whose exercise has an instructor&apos;s review not given yet.
      </p>
      <BacklogTable rows={rows} modules={modules} />
    </section>
  );
}

/** What the compact cells and the numbered module columns mean, for those who see them. */
export function ModuleKey({ modules, id }: { modules: ReportModule[]; id?: string }) {
  return (
    <div className="module-key muted" id={id}>
      <p>
        Each cell gives the module&apos;s status: <span aria-hidden="true">✓</span> Done (completed);{" "}
        <span aria-hidden="true">◐</span> 3/7, sections read of the total, with &ldquo;quiz ✓&rdquo; (passed) or
        &ldquo;quiz ✗&rdquo; (not passed yet) where the module has a quiz; &ndash; not started. Where the module has a
        practical exercise, &ldquo;exercise:&rdquo; follows with its status (not started, draft, submitted, reviewed), and
        &ldquo;required&rdquo; when the module&apos;s completion waits for it.
      </p>
      <ol className="module-legend">
        {modules.map((m) => (
          <li key={m.slug}>
            <span className="module-number">M{m.position}</span> {m.title}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** A module's column header: "M3" on screen and paper, the full title for assistive technology. */
export function ModuleHeader({ module: m }: { module: ReportModule }) {
  return (
    <th scope="col" className="module-col">
      <abbr title={m.title} aria-hidden="true">
        M{m.position}
      </abbr>
      <span className="visually-hidden">
        Module {m.position}: {m.title}
      </span>
    </th>
  );
}

/** The module's exercise status in words, on a line of its own in the cell. */
function ExerciseLine({ exercise }: { exercise: ModuleCellData["exercise"] }) {
  if (!exercise) return null;
  return (
    <span className="cell-exercise">
      <span className="visually-hidden">, </span>exercise: {EXERCISE_STATUS_LABELS[exercise.status].toLowerCase()}
      {exercise.required ? ", required" : ""}
    </span>
  );
}

/** One learner's status in one module, in short words and signs (never colour alone). */
export function ModuleCell({ cell }: { cell: ModuleCellData }) {
  if (cell.status === "completed") {
    return (
      <td className="cell-completed">
        <span aria-hidden="true">✓ </span>Done
        <ExerciseLine exercise={cell.exercise} />
      </td>
    );
  }
  if (cell.status === "not-started") {
    return (
      <td className="cell-not-started">
        <span aria-hidden="true">&ndash;</span>
        <span className="visually-hidden">Not started</span>
        <ExerciseLine exercise={cell.exercise} />
      </td>
    );
  }
  return (
    <td className="cell-in-progress">
      <span aria-hidden="true">◐ </span>
      {cell.sectionsRead}/{cell.sectionsTotal}
      <span className="visually-hidden"> sections read</span>
      {cell.hasQuiz ? (
        <span className="cell-quiz">
          <span className="visually-hidden">, </span>quiz <span aria-hidden="true">{cell.quizPassed ? "✓" : "✗"}</span>
          <span className="visually-hidden">{cell.quizPassed ? "passed" : "not passed"}</span>
        </span>
      ) : null}
      <ExerciseLine exercise={cell.exercise} />
    </td>
  );
}

export function CohortReport({ data }: { data: CohortReportData }) {
  const { summary, query, modules, objectives } = data;
  const filterLabel = filterLabels(data.activeDays);
  const exportBase = `/coordinator/cohorts/${data.slug}/exports`;
  return (
    <>
      <section className="panel" aria-labelledby="summary-title">
        <h2 id="summary-title">Summary</h2>
        <SummaryFigures summary={summary} activeDays={data.activeDays} />
        <p className="no-print">
          <Link to={`/coordinator/cohorts/${data.slug}/print`}>Printable report</Link>{" "}
          <span className="muted">
            the whole cohort on A4 paper: summary, objectives and every learner&apos;s completion of every module
          </span>
        </p>
        <h3 id="exports-title">Exports</h3>
        <ul className="export-list no-print" aria-labelledby="exports-title">
          {EXPORTS.map(([file, label, note]) => (
            <li key={file}>
              <a href={`${exportBase}/${file}`} download>
                {label}
              </a>{" "}
              <span className="muted">{note}</span>
            </li>
          ))}
        </ul>
        <p className="muted no-print">
          Every export and every view of a learner&apos;s record is written to the{" "}
          <Link to={`/coordinator/cohorts/${data.slug}/audit`}>audit log</Link>.
        </p>
      </section>

      <section className="panel" aria-labelledby="cohort-mastery-title">
        <h2 id="cohort-mastery-title">Mastery of the objectives across the cohort</h2>
        <ObjectivesTable rows={data.cohortMastery} label="Mastery of the objectives: table" />
      </section>

      <BacklogSection rows={data.backlog} modules={modules} />

      <section className="panel" aria-labelledby="learners-title">
        <h2 id="learners-title">Learners</h2>
        <Form method="get" className="inline-form no-print" preventScrollReset>
          <input type="hidden" name="sort" value={query.sort} />
          <input type="hidden" name="dir" value={query.dir} />
          <div className="field">
            <label htmlFor="report-status">Show</label>
            <select id="report-status" name="status" defaultValue={query.status}>
              {Object.entries(filterLabel).map(([value, label]) => (
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
          {data.total} learner{data.total === 1 ? "" : "s"} shown ({filterLabel[query.status]?.toLowerCase()}), sorted by{" "}
          {query.sort === "activity" ? "last activity" : query.sort}, {query.dir === "asc" ? "ascending" : "descending"}.
        </p>

        {data.rows.length === 0 ? (
          <p>No learners match this view.</p>
        ) : (
          <>
            <h3 id="completion-title">Completion by module</h3>
            <ModuleKey modules={modules} id="completion-help" />
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
                      <ModuleHeader key={m.slug} module={m} />
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
                        <ModuleCell key={c.slug} cell={c} />
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>

            <h3 id="heatmap-title">Mastery by objective</h3>
            <p className="muted">
              Each cell: the learner&apos;s score over their evidence (latest quiz answers, and practical exercise
              results as their level out of the highest), and the state in words (mastered from {pct(data.threshold)}{" "}
              with enough evidence; &ldquo;not yet&rdquo;; or not assessed); &ldquo;practical&rdquo; when the objective
              was shown in a practical exercise. Shading repeats the state and is never its only sign.
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
                          {m.value === null ? "—" : pct(m.value)} <span className="heat-state">{MASTERY_STATE_LABELS[m.state]}</span>
                          {m.practical ? <span className="heat-state">, practical</span> : null}
                          {m.answered ? <span className="visually-hidden"> ({m.correct} of {m.answered} pieces of evidence)</span> : null}
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
