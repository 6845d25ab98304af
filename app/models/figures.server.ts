// The domain's derived figures, each defined once. A figure computed both in TypeScript (from values
// already read) and inside set-based SQL (over a cohort) has its two forms side by side here, and
// figures.server.test.ts proves they agree, so learner pages, reports and exports cannot drift apart.
// Only SQL text and pure functions: no queries run here, so any model (roll-ups included) can use it.
import { sql, type SQL } from "drizzle-orm";
import { MASTERY_MIN_ANSWERS, type MasteryState } from "~/lib/mastery";
import type { ExerciseStatus } from "~/lib/exercise";
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

// ---- practical exercises --------------------------------------------------------------------------

export type { ExerciseStatus };

/**
 * criterion_results(submission_id, user_id, module_slug, criterion_id, score, max_score, source):
 * a criterion's result is the instructor's level when there is one, else the median of the peers'
 * levels once the exercise's required number of peer reviews is in (the mean of the middle two for
 * an even number). Self-assessment is formative and never counts; removed reviews do not count.
 * `submissions` filters exercise_submissions (alias s).
 */
export function criterionResultsCte(submissions: SQL): SQL {
  return sql`counted_reviews as (
      select r.id, r.submission_id, r.kind from exercise_reviews r
      join exercise_submissions s on s.id = r.submission_id
      where r.kind in ('peer', 'instructor') and r.completed_at is not null and r.removed_at is null
        and s.submitted_at is not null and ${submissions}),
    peer_levels as (
      select r.submission_id, l.criterion_id, l.score,
        row_number() over (partition by r.submission_id, l.criterion_id order by l.score) as rn,
        count(*) over (partition by r.submission_id, l.criterion_id) as n
      from counted_reviews r join exercise_review_levels l on l.review_id = r.id
      where r.kind = 'peer'),
    peer_median as (
      select submission_id, criterion_id, avg(score) as score, max(n) as n
      from peer_levels where rn in ((n + 1) / 2, (n + 2) / 2) group by submission_id, criterion_id),
    instructor_levels as (
      select r.submission_id, l.criterion_id, l.score
      from counted_reviews r join exercise_review_levels l on l.review_id = r.id
      where r.kind = 'instructor'),
    criterion_results as (
      select s.id as submission_id, s.user_id, s.module_slug, cc.criterion_id, cc.max_score,
        coalesce(il.score, pm.score) as score,
        case when il.score is not null then 'instructor' else 'peers' end as source
      from exercise_submissions s
      join course_exercises ce on ce.edition = s.edition and ce.module_slug = s.module_slug
      join course_criteria cc on cc.exercise_edition = s.edition and cc.module_slug = s.module_slug
      left join instructor_levels il on il.submission_id = s.id and il.criterion_id = cc.criterion_id
      left join peer_median pm on pm.submission_id = s.id and pm.criterion_id = cc.criterion_id
        and ce.peers > 0 and pm.n >= ce.peers
      where s.submitted_at is not null and ${submissions} and coalesce(il.score, pm.score) is not null)`;
}

/**
 * A learner's exercise status for a module, from their submission (alias `s`, NULL when none):
 * reviewed once a result is out (exercise_results), submitted, a draft, or not started.
 */
export function exerciseStatusSql(s: string): SQL {
  const a = sql.raw(s);
  return sql`(case when ${a}.id is null then 'not-started'
    when ${a}.submitted_at is null then 'draft'
    when exists (select 1 from exercise_results er where er.submission_id = ${a}.id) then 'reviewed'
    else 'submitted' end)`;
}

/**
 * course_exercises' row for a learner of `edition` and a module: the exercise they do. The base
 * exercise's row is keyed '' and an edition's row is there for every edition, so this is a plain join.
 */
export function learnerExerciseJoin(alias: string, edition: SQL, moduleSlug: SQL): SQL {
  const a = sql.raw(alias);
  return sql`left join course_exercises ${a} on ${a}.edition = ${edition} and ${a}.module_slug = ${moduleSlug}`;
}
