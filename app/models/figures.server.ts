// The domain's derived figures, each defined once. A figure computed both in TypeScript (from values
// already read) and inside set-based SQL (over a cohort) has its two forms side by side here, and
// figures.server.test.ts proves they agree, so learner pages, reports and exports cannot drift apart.
// Only SQL text and pure functions: no queries run here, so any model (roll-ups included) can use it.
import { sql, type SQL } from "drizzle-orm";
import { MASTERY_MIN_ANSWERS, type MasteryState } from "~/lib/mastery";
import { ACTIVE_DAYS } from "~/lib/rules";

// ---- mastery --------------------------------------------------------------------------------------

/** The course's mastery threshold (0..1) as the course structure stores it. */
export const masteryThresholdSql = sql`(select mastery_threshold from course_structure)`;

export interface MasteryInputs<T> {
  /** Latest answers correct, and latest answers given, to the questions aligned with the objective. */
  correct: T;
  answered: T;
  /** Questions the learner's edition has aligned with the objective. */
  aligned: T;
  threshold: T;
}

/**
 * Mastered at the course's threshold once at least min(MASTERY_MIN_ANSWERS, aligned) questions are
 * answered; not assessed while nothing is answered. The TypeScript twin of masteryStateSql().
 */
export function masteryState({ correct, answered, aligned, threshold }: MasteryInputs<number>): MasteryState {
  if (!answered) return "not-assessed";
  return correct / answered >= threshold && answered >= Math.min(MASTERY_MIN_ANSWERS, aligned) ? "mastered" : "not-yet";
}

/** masteryState() as an SQL expression over the given columns: 'mastered', 'not-yet' or 'not-assessed'. */
export function masteryStateSql({ correct, answered, aligned, threshold }: MasteryInputs<SQL>): SQL {
  return sql`(case when coalesce(${answered}, 0) = 0 then 'not-assessed'
    when ${correct} * 1.0 / ${answered} >= ${threshold} and ${answered} >= min(${MASTERY_MIN_ANSWERS}, ${aligned}) then 'mastered'
    else 'not-yet' end)`;
}

// ---- the learner's edition ------------------------------------------------------------------------

/**
 * The edition a learner reads ('' for the standard one): their cohort's, while the course still
 * publishes it (course_editions); a learner without a cohort, or whose cohort's edition was
 * withdrawn, reads the standard text. A learner studies in at most one cohort, so the joins add no
 * rows. Joins rather than a scalar subquery: SQLite evaluates a subquery again wherever a CTE or a
 * join condition repeats it (the cohort report of 10,000 learners took four times as long).
 */
export function learnerEditionJoin(userId: SQL): { joins: SQL; edition: SQL } {
  return {
    joins: sql`left join cohort_memberships edition_m on edition_m.user_id = ${userId} and edition_m.role = 'learner'
      left join cohorts edition_c on edition_c.id = edition_m.cohort_id
      left join course_editions edition_ce on edition_ce.id = edition_c.edition`,
    edition: sql`coalesce(edition_ce.id, '')`,
  };
}

/** The same for one user, as a scalar expression: for a single learner's query, where it runs once. */
export function learnerEditionOf(userId: SQL): SQL {
  const { joins, edition } = learnerEditionJoin(userId);
  return sql`(select ${edition} from (select 1) ${joins})`;
}

// ---- activity -------------------------------------------------------------------------------------

/** Activity at or after this instant (ms) makes a learner active; in progress and none since, inactive. */
export function activeSince(now: number): number {
  return now - ACTIVE_DAYS * 86_400_000;
}
