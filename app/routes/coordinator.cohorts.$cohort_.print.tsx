import type { RouteHandle } from "~/root";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireCoordinatedCohort } from "~/auth/session.server";
import { BacklogTable, ModuleCell, ModuleHeader, ModuleKey, ObjectivesTable, pct, STATUS, SummaryFigures } from "~/components/CohortReport";
import { editionName, getCourse } from "~/content/course.server";
import { getEnv } from "~/env.server";
import { pageMeta } from "~/lib/meta";
import { ACTIVE_DAYS } from "~/lib/rules";
import { cohortLabel } from "~/models/cohort.server";
import { cohortPrintReport } from "~/models/report.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(
    `${data?.cohort.name ?? "Cohort"}: progress report · ${data?.issuer ?? "Cyber Diplomacy Academy"}`,
    "The cohort's completion and mastery of the course's objectives, ready to print on A4.",
  );

// A document to print or save as PDF, so plain HTML: nothing on it runs or submits.
export const handle: RouteHandle = { hydrate: false };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cohort } = await requireCoordinatedCohort(request, params.cohort);
  const now = new Date();
  const report = cohortPrintReport(cohort.id, now.getTime());
  return {
    issuer: getEnv().ISSUER_NAME,
    courseTitle: getCourse().title,
    cohort: { name: cohortLabel(cohort), slug: cohort.slug, edition: editionName(cohort.edition) },
    issuedAt: now.toISOString(),
    activeDays: ACTIVE_DAYS,
    summary: report.summary,
    cohortMastery: report.cohortMastery,
    backlog: report.backlog,
    modules: report.modules,
    rows: report.rows.map((r) => ({
      userId: r.userId,
      name: r.name,
      status: r.status,
      deactivated: r.deactivated,
      progress: r.progress,
      modules: r.modules.map(({ slug, status, sectionsRead, sectionsTotal, hasQuiz, quizPassed, exercise }) => ({
        slug,
        status,
        sectionsRead,
        sectionsTotal,
        hasQuiz,
        quizPassed,
        exercise,
      })),
    })),
  };
}

export default function CohortPrintReport() {
  const data = useLoaderData<typeof loader>();
  const date = new Date(data.issuedAt).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  const issued = <time dateTime={data.issuedAt}>{date}</time>;
  return (
    <article className="print-report" aria-labelledby="report-title">
      <p className="breadcrumb">
        <Link to={`/coordinator/cohorts/${data.cohort.slug}`}>← Back to the cohort report</Link>
      </p>
      <p className="certificate-issuer">{data.issuer}</p>
      <h1 id="report-title">{data.cohort.name}: progress report</h1>
      <p>
        Course <strong>{data.courseTitle}</strong>, {data.cohort.edition ? `${data.cohort.edition} edition` : "standard edition"}.
        Report of {issued}: {data.rows.length} learner{data.rows.length === 1 ? "" : "s"}.
      </p>
      <p className="no-print muted">
        Use your browser&apos;s Print command to print this report on A4 paper or save it as PDF: forms and navigation
        are left off, and the table headings repeat on every page.
      </p>

      <section aria-labelledby="print-summary-title">
        <h2 id="print-summary-title">Summary</h2>
        <SummaryFigures summary={data.summary} activeDays={data.activeDays} />
      </section>

      <section aria-labelledby="print-objectives-title">
        <h2 id="print-objectives-title">Mastery of the objectives across the cohort</h2>
        <ObjectivesTable rows={data.cohortMastery} label="Mastery of the objectives: table" />
      </section>

      {data.backlog.length ? (
        <section aria-labelledby="backlog-title">
          <h2 id="backlog-title">Practical exercises: review backlog</h2>
          <BacklogTable rows={data.backlog} modules={data.modules} />
        </section>
      ) : null}

      <section aria-labelledby="print-completion-title">
        <h2 id="print-completion-title">Completion by module</h2>
        <ModuleKey modules={data.modules} />
        {data.rows.length === 0 ? (
          <p>No learners in this cohort yet.</p>
        ) : (
          <div className="table-wrap" role="region" aria-label="Completion by module: table" tabIndex={0}>
            <table className="matrix">
              <caption className="visually-hidden">Completion matrix: every learner of the cohort by module</caption>
              <thead>
                <tr>
                  <th scope="col">Learner</th>
                  <th scope="col">Progress</th>
                  {data.modules.map((m) => (
                    <ModuleHeader key={m.slug} module={m} />
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.userId}>
                    <th scope="row">
                      {r.name}{" "}
                      <span className="learner-status">
                        {STATUS[r.status].text}
                        {r.deactivated ? ", deactivated" : ""}
                      </span>
                    </th>
                    <td>{pct(r.progress)}</td>
                    {r.modules.map((c) => (
                      <ModuleCell key={c.slug} cell={c} />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <p className="print-footer">
        Issued by {data.issuer} on {issued}.
      </p>
    </article>
  );
}
