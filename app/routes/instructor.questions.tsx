import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { StatusBadge } from "~/components/StatusBadge";
import {
  FLAG_LABELS,
  GROUP_FRACTION,
  MIN_FOR_FLAGS,
  MIN_RESPONDENTS,
  questionStatistics,
  TOO_EASY_ABOVE,
  TOO_HARD_BELOW,
} from "~/models/item-analysis.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = () =>
  pageMeta("Question analytics · Cyber Diplomacy Academy", "How learners answered each quiz question: difficulty, discrimination and the choices they made.");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "coordinator");
  return {
    ...questionStatistics(),
    minRespondents: MIN_RESPONDENTS,
    minForFlags: MIN_FOR_FLAGS,
    tooEasyAbove: TOO_EASY_ABOVE,
    tooHardBelow: TOO_HARD_BELOW,
    groupFraction: GROUP_FRACTION,
  };
}

const TYPE_LABEL: Record<string, string> = { single: "one answer", multiple: "several answers", "true-false": "true or false" };

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** Two decimals with an explicit sign: +0.67, -0.33, 0.00. */
function signed(d: number): string {
  const fixed = Math.abs(d).toFixed(2);
  if (fixed === "0.00") return "0.00";
  return `${d > 0 ? "+" : "-"}${fixed}`;
}

const learnersText = (n: number) => `${n} learner${n === 1 ? "" : "s"}`;

export default function QuestionAnalytics() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/instructor">← Course authoring</Link>
      </p>
      <h1>Question analytics</h1>

      <section className="panel" aria-labelledby="definitions-title">
        <h2 id="definitions-title">How these statistics are computed</h2>
        <ul className="item-definitions">
          <li>
            <strong>First attempt</strong>: a learner&apos;s earliest submitted attempt at a module&apos;s quiz. Every
            statistic below except <em>Answers</em> uses first attempts only, so retakes do not inflate the results.
          </li>
          <li>
            <strong>Answers</strong>: every stored answer to the question, from all attempts.{" "}
            <strong>First attempts</strong>: the first attempts that answered it.
          </li>
          <li>
            <strong>Correct on first attempt</strong>: the share of those first attempts that answered the question
            correctly (a several-answers question counts as correct only with exactly the correct choices).
          </li>
          <li>
            <strong>Choices</strong>: how many first-attempt answers included each choice, and their share of the first
            attempts (for several-answers questions the shares can add up to more than 100%).
          </li>
          <li>
            <strong>Discrimination index</strong> (from −1 to +1): the module&apos;s first attempts are ranked by total
            score (equal scores in a fixed order); the top {Math.round(data.groupFraction * 100)}% and the bottom{" "}
            {Math.round(data.groupFraction * 100)}% (rounded, at least one learner each, never overlapping) form an upper
            and a lower group. The index is the share correct in the upper group minus the share correct in the lower
            group. A negative index means stronger learners missed the question more often than weaker ones: check its
            key and wording.
          </li>
          <li>
            With fewer than {data.minRespondents} first attempts a question shows no statistics at all, to protect the
            privacy of small cohorts. Flags appear from {data.minForFlags} first attempts: <em>Too easy</em> above{" "}
            {percent(data.tooEasyAbove)} correct, <em>Too hard</em> below {percent(data.tooHardBelow)} correct,{" "}
            <em>Negative discrimination</em> below 0.
          </li>
          <li>
            <strong>Where learners stop</strong>: among learners who started a module but have not completed it, the
            section they opened last most often.
          </li>
        </ul>
        <p className="muted small">All figures are aggregates: no learner is named on this page.</p>
      </section>

      {data.modules.map((m) => (
        <section key={m.slug} className="panel" aria-labelledby={`module-${m.slug}`}>
          <h2 id={`module-${m.slug}`}>
            {m.position}. {m.title}
          </h2>
          <p>
            {m.stoppingPoint ? (
              <>
                Where learners stop: of the {learnersText(m.stoppingPoint.of)} who started this module without
                completing it, {m.stoppingPoint.learners} last opened the section{" "}
                <strong>“{m.stoppingPoint.title}”</strong>.
              </>
            ) : (
              "Where learners stop: nothing to report yet (no learner who started this module without completing it has a last section opened)."
            )}
          </p>
          {!m.hasQuiz ? (
            <p className="muted">This module has no quiz.</p>
          ) : (
            <>
              <p>
                {m.firstAttempts === 0
                  ? "No learner has submitted this quiz yet."
                  : `${learnersText(m.firstAttempts)} submitted this quiz at least once.`}
                {m.groupSize > 0 && m.firstAttempts >= data.minRespondents
                  ? ` Upper and lower groups: ${learnersText(m.groupSize)} each.`
                  : null}
                {m.firstAttempts >= data.minRespondents && m.firstAttempts < data.minForFlags
                  ? ` Flags appear from ${data.minForFlags} first attempts.`
                  : null}
              </p>
              <div className="table-wrap">
                <table className="item-analysis">
                  <caption>Questions of “{m.title}”, with first-attempt statistics</caption>
                  <thead>
                    <tr>
                      <th scope="col">Question</th>
                      <th scope="col">Answers</th>
                      <th scope="col">First attempts</th>
                      <th scope="col">Correct on first attempt</th>
                      <th scope="col">Discrimination index</th>
                      <th scope="col">Flags</th>
                      <th scope="col">Choices (first attempts)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {m.questions.map((q) => {
                      const s = q.statistics;
                      return (
                        <tr key={q.questionId}>
                          <th scope="row">
                            <span className="item-number">Q{q.position}</span> {q.prompt}{" "}
                            <span className="muted small">({TYPE_LABEL[q.type] ?? q.type})</span>
                          </th>
                          <td>{q.attempts}</td>
                          <td>{q.firstAttempts}</td>
                          {s ? (
                            <>
                              <td>{percent(s.shareCorrect)}</td>
                              <td>{s.discrimination === null ? "Not available" : signed(s.discrimination)}</td>
                              <td>
                                {s.flags === null ? (
                                  <span className="muted small">From {data.minForFlags} first attempts</span>
                                ) : s.flags.length ? (
                                  <ul className="badge-list">
                                    {s.flags.map((f) => (
                                      <li key={f}>
                                        <StatusBadge tone="warn">{FLAG_LABELS[f]}</StatusBadge>
                                      </li>
                                    ))}
                                  </ul>
                                ) : (
                                  "None"
                                )}
                              </td>
                              <td>
                                <ul className="choice-stats">
                                  {s.choices.map((c) => (
                                    <li key={c.choiceId}>
                                      {c.correct ? <strong>{c.label}</strong> : c.label}: {c.count} ({percent(c.share)})
                                      {c.correct ? " (correct)" : null}
                                    </li>
                                  ))}
                                </ul>
                              </td>
                            </>
                          ) : (
                            <td colSpan={4}>
                              Fewer than {data.minRespondents} learners have answered: no statistics yet.
                            </td>
                          )}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      ))}
    </>
  );
}
