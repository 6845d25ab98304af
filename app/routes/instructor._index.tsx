import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { StatusBadge } from "~/components/StatusBadge";
import { getCourse, lastBuildAttempt } from "~/content/course.server";
import { listUserCohorts } from "~/models/cohort.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = () =>
  pageMeta("Course authoring · Cyber Diplomacy Academy", "The content build, the modules and the objective coverage of the course, for its authors.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "instructor", "coordinator");
  const course = getCourse();
  const attempt = lastBuildAttempt();
  return {
    role: user.role,
    cohorts: user.role === "instructor" ? listUserCohorts(user.id).map((c) => c.name) : [],
    builtAt: course.builtAt,
    courseWarnings: course.warnings,
    failedAttempt: attempt && !attempt.ok ? attempt : null,
    objectives: course.objectives.map((o) => ({ id: o.id, title: o.title })),
    modules: course.modules.map((m) => ({
      slug: m.slug,
      order: m.order,
      title: m.title,
      wordCount: m.wordCount,
      estimatedMinutes: m.estimatedMinutes,
      sections: m.sections.length,
      objectives: m.objectives,
      questions: m.quiz?.questionCount ?? 0,
      perObjective: m.quiz?.questionsPerObjective ?? {},
      editions: m.editions.map((e) => e.id),
      warnings: m.warnings,
    })),
    // The quality gate's figures of each bank (scripts/content/quality.ts), as content:check prints them.
    quality: course.quality
      ? {
          thresholds: course.quality.thresholds,
          banks: course.quality.quizzes.map((f) => ({
            module: f.module ?? "",
            edition: f.edition,
            title: course.modules.find((m) => m.slug === f.module)?.title ?? f.label,
            order: course.modules.find((m) => m.slug === f.module)?.order ?? 0,
            questions: f.questions,
            draw: f.draw,
            perObjective: f.perObjective,
            applicationShare: f.applicationShare,
            single: f.single,
            keyLongestShare: f.keyLongestShare,
            keyLengthRatio: f.keyLengthRatio,
            keyPositions: f.keyPositions,
            warnings: f.warnings ?? 0,
          })),
        }
      : null,
  };
}

const percent = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);

/** Figures beyond a warning threshold of the gate are marked, in words as well as colour. */
function Flag({ when }: { when: boolean }) {
  return when ? (
    <>
      {" "}
      <StatusBadge tone="warn">Check</StatusBadge>
    </>
  ) : null;
}

export default function InstructorHome() {
  const data = useLoaderData<typeof loader>();
  const totals = (id: string) => data.modules.reduce((n, m) => n + (m.perObjective[id] ?? 0), 0);
  return (
    <>
      <h1>Course authoring</h1>
      <p>
        <Link to="/instructor/questions">Question analytics</Link>: how each quiz question performs, and where learners stop.
      </p>
      {data.cohorts.length ? <p>You teach: {data.cohorts.join(", ")}.</p> : null}
      <section className="panel" aria-labelledby="build-title">
        <h2 id="build-title">Build</h2>
        <p>
          Published build of <time dateTime={data.builtAt}>{data.builtAt.replace("T", " ").slice(0, 16)} UTC</time>.
          Run <code>npm run content:check</code> to validate your changes and <code>npm run content:build</code> to
          publish them; see <code>content/README.md</code>.
        </p>
        {data.failedAttempt ? (
          <div role="alert" className="alert alert-error">
            <p>
              <span aria-hidden="true">⚠ </span>The latest build attempt (
              {data.failedAttempt.at.replace("T", " ").slice(0, 16)} UTC) failed; learners still see the published build
              above. Problems:
            </p>
            <ul className="problems">
              {data.failedAttempt.problems.map((p) => (
                <li key={p}>
                  <code>{p}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {data.courseWarnings.length ? (
          <ul>
            {data.courseWarnings.map((w) => (
              <li key={w}>
                <StatusBadge tone="warn">Warning</StatusBadge> {w}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="modules-title">
        <h2 id="modules-title">Modules</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Module</th>
                <th scope="col">Status</th>
                <th scope="col">Words</th>
                <th scope="col">Minutes</th>
                <th scope="col">Sections</th>
                <th scope="col">Objectives</th>
                <th scope="col">Questions</th>
                <th scope="col">Editions</th>
              </tr>
            </thead>
            <tbody>
              {data.modules.map((m) => (
                <tr key={m.slug}>
                  <td>{m.order}</td>
                  <td>
                    <Link to={`/instructor/modules/${m.slug}`}>{m.title}</Link>
                  </td>
                  <td>
                    {m.warnings.length ? (
                      <StatusBadge tone="warn">{`Built, ${m.warnings.length} warning(s)`}</StatusBadge>
                    ) : (
                      <StatusBadge tone="ok">Built</StatusBadge>
                    )}
                  </td>
                  <td>{m.wordCount.toLocaleString("en")}</td>
                  <td>{m.estimatedMinutes}</td>
                  <td>{m.sections}</td>
                  <td>{m.objectives.join(", ")}</td>
                  <td>{m.questions || "No quiz"}</td>
                  <td>
                    {m.editions.length
                      ? m.editions.map((e) => (
                          <Link key={e} to={`/instructor/modules/${m.slug}?edition=${e}`}>
                            {e}
                          </Link>
                        ))
                      : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {data.quality ? (
        <section className="panel" aria-labelledby="banks-title">
          <h2 id="banks-title">Item banks</h2>
          <p className="muted">
            What the quality gate of <code>npm run content:check</code> measures in each module&rsquo;s bank (an edition&rsquo;s
            row: its own questions with the base bank). Single-choice figures: how often the correct answer is strictly the
            longest choice, its length against the distractors&rsquo;, and how the keys fall on positions a, b, c, d. Thresholds
            are in <code>content/README.md</code>. How learners answer each question:{" "}
            <Link to="/instructor/questions">question analytics</Link>.
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Module</th>
                  <th scope="col">Questions (drawn)</th>
                  <th scope="col">Per objective</th>
                  <th scope="col">Application</th>
                  <th scope="col">Key longest</th>
                  <th scope="col">Key / distractor length</th>
                  <th scope="col">Key positions</th>
                  <th scope="col">Learners&rsquo; statistics</th>
                </tr>
              </thead>
              <tbody>
                {data.quality.banks.map((b) => {
                  const t = data.quality!.thresholds;
                  const judged = b.single >= (t.minSingleForShares ?? 0);
                  const keys = b.keyPositions.reduce((a, n) => a + n, 0);
                  return (
                    <tr key={`${b.module}-${b.edition ?? ""}`}>
                      <th scope="row">
                        {b.title}
                        {b.edition ? <span className="muted small"> ({b.edition} edition)</span> : null}
                        {b.warnings ? (
                          <>
                            {" "}
                            <StatusBadge tone="warn">{`${b.warnings} gate warning(s)`}</StatusBadge>
                          </>
                        ) : null}
                      </th>
                      <td>
                        {b.questions}
                        {b.draw !== null ? ` (${b.draw})` : ""}
                      </td>
                      <td>
                        {Object.entries(b.perObjective)
                          .map(([o, n]) => `${o}: ${n}`)
                          .join(", ")}
                      </td>
                      <td>
                        {percent(b.applicationShare)}
                        <Flag when={b.draw !== null && b.applicationShare < (t.applicationWarnBelow ?? 0)} />
                      </td>
                      <td>
                        {b.keyLongestShare === null ? "—" : `${percent(b.keyLongestShare)} of ${b.single}`}
                        <Flag when={judged && (b.keyLongestShare ?? 0) > (t.keyLongestWarn ?? 1)} />
                      </td>
                      <td>
                        {b.keyLengthRatio === null ? "—" : b.keyLengthRatio.toFixed(2)}
                        <Flag
                          when={
                            judged &&
                            b.keyLengthRatio !== null &&
                            (b.keyLengthRatio > (t.keyRatioWarnAbove ?? Infinity) || b.keyLengthRatio < (t.keyRatioWarnBelow ?? 0))
                          }
                        />
                      </td>
                      <td>
                        {keys ? b.keyPositions.map((n, i) => `${String.fromCharCode(97 + i)} ${n}`).join(" · ") : "—"}
                        <Flag when={keys >= (t.minSingleForPositions ?? Infinity) && Math.max(...b.keyPositions) / keys > (t.keyPositionWarn ?? 1)} />
                      </td>
                      <td>
                        <Link to={`/instructor/questions#module-${b.module}`}>
                          Question analytics<span className="visually-hidden"> of module {b.order}</span>
                        </Link>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="coverage-title">
        <h2 id="coverage-title">Objective coverage</h2>
        <p className="muted">Number of quiz questions assessing each objective, per module.</p>
        <div className="table-wrap">
          <table className="coverage">
            <thead>
              <tr>
                <th scope="col">Objective</th>
                {data.modules.map((m) => (
                  <th scope="col" key={m.slug}>
                    <abbr title={m.title}>M{m.order}</abbr>
                  </th>
                ))}
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {data.objectives.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    {o.id} <span className="muted small">{o.title}</span>
                  </th>
                  {data.modules.map((m) => (
                    <td key={m.slug}>{m.perObjective[o.id] ?? 0}</td>
                  ))}
                  <td>
                    <strong>{totals(o.id)}</strong>
                    {totals(o.id) === 0 ? <StatusBadge tone="warn">Not assessed</StatusBadge> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
