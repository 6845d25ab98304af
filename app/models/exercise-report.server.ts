// What coordinators read about practical exercises: a cohort's review backlog, one learner's
// submissions and reviews (the drill-down), and the rows of exercises.csv. Results come from the
// exercise_results roll-up (the rule is criterionResultsCte in figures.server), statuses from
// exerciseStatusSql: the same figures as the learner's own pages.
import { sql } from "drizzle-orm";
import { getPublicExercise } from "~/content/course.server";
import { getDb, getSqlite, prepared } from "~/db/client.server";
import { exerciseStatusSql, type ExerciseStatus } from "./figures.server";
import { ensureCourseStructure } from "./structure.server";

// ---- the review backlog ---------------------------------------------------------------------------

export interface ModuleBacklog {
  slug: string;
  /** The cohort's learners' submitted exercises of the module. */
  submitted: number;
  /** Of those, with fewer completed (not removed) peer reviews than the exercise asks for. */
  waitingForPeers: number;
  /** Of those, of an exercise with an instructor's review and none saved yet. */
  waitingForInstructor: number;
  /** Of those, with a result out (the instructor's, or the peers' once enough are in). */
  reviewed: number;
}

/** Per module of the course with an exercise, in course order: the cohort's submissions and what they wait for. */
export function reviewBacklog(cohortId: number): ModuleBacklog[] {
  ensureCourseStructure();
  return getDb()
    .all<{ slug: string; submitted: number; waiting_peers: number; waiting_instructor: number; reviewed: number }>(
      sql`with subs as materialized (
        select p.* from cohort_memberships m
        join exercise_progress p on p.user_id = m.user_id
        where m.cohort_id = ${cohortId} and m.role = 'learner')
      select cm.slug, count(subs.submission_id) as submitted,
        coalesce(sum(subs.peer_reviews < subs.peers_needed), 0) as waiting_peers,
        coalesce(sum(subs.instructor_needed and not subs.instructor_done), 0) as waiting_instructor,
        coalesce(sum(subs.reviewed), 0) as reviewed
      from course_modules cm
      left join subs on subs.module_slug = cm.slug
      where exists (select 1 from course_exercises x where x.module_slug = cm.slug)
      group by cm.slug order by cm.position`,
    )
    .map((r) => ({
      slug: r.slug,
      submitted: r.submitted,
      waitingForPeers: r.waiting_peers,
      waitingForInstructor: r.waiting_instructor,
      reviewed: r.reviewed,
    }));
}

// ---- one learner's exercises ----------------------------------------------------------------------

export interface CriterionOutcome {
  criterionId: string;
  criterion: string;
  objectives: string[];
  maxScore: number;
  self: number | null;
  /** Completed peer reviews' levels that count (not removed), in the order they were given. */
  peers: number[];
  instructor: number | null;
  /** The counted result (instructor's level, else the peers' median), or null while there is none. */
  result: number | null;
  source: "instructor" | "peers" | null;
}

export interface LearnerExercise {
  submissionId: string;
  slug: string;
  title: string;
  status: ExerciseStatus;
  submittedAt: Date | null;
  /** Completed, counted peer reviews of this submission. */
  peerReviewsReceived: number;
  peersRequired: number;
  criteria: CriterionOutcome[];
}

interface ReviewLevelRow {
  submission_id: string;
  review_id: string;
  kind: "self" | "peer" | "instructor";
  criterion_id: string;
  score: number;
}

const submissionsOf = (userIds: string[]) =>
  getDb().all<{
    id: string;
    user_id: string;
    module_slug: string;
    edition: string;
    submitted_at: number | null;
    status: ExerciseStatus;
  }>(sql`select s.id, s.user_id, s.module_slug, s.edition, s.submitted_at, ${exerciseStatusSql("s")} as status
    from exercise_submissions s
    left join course_modules cm on cm.slug = s.module_slug
    where s.user_id in (${sql.join(
      userIds.map((id) => sql`${id}`),
      sql`, `,
    )})
    order by s.user_id, coalesce(cm.position, 1e9), s.module_slug`);

/**
 * Levels of the completed, not removed reviews of one submission, and its counted results. The kinds
 * are spelled as the two partial indexes by submission name them, so each is an index search.
 */
const levelsOf = (submissionId: string) =>
  prepared("exerciseReport.levels", () =>
    getSqlite().prepare(`select r.submission_id, r.id as review_id, r.kind, l.criterion_id, l.score
      from exercise_reviews r join exercise_review_levels l on l.review_id = r.id
      where r.submission_id = ? and (r.kind = 'peer' or r.kind in ('self', 'instructor'))
        and r.completed_at is not null and r.removed_at is null
      order by r.completed_at, r.id`),
  ).all(submissionId) as ReviewLevelRow[];
const resultsOf = (submissionId: string) =>
  prepared("exerciseReport.results", () =>
    getSqlite().prepare("select criterion_id, score, max_score, source from exercise_results where submission_id = ?"),
  ).all(submissionId) as { criterion_id: string; score: number; max_score: number; source: "instructor" | "peers" }[];

function outcomes(submission: { id: string; module_slug: string; edition: string }) {
  const exercise = getPublicExercise(submission.module_slug, submission.edition || null);
  const levels = levelsOf(submission.id);
  const results = new Map(resultsOf(submission.id).map((r) => [r.criterion_id, r]));
  // An exercise since withdrawn from the course still exports what was given, by criterion id.
  const rubric =
    exercise?.rubric ??
    [...new Set(levels.map((l) => l.criterion_id))].map((id) => ({ id, criterion: id, objectives: [], levels: levels.filter((l) => l.criterion_id === id) }));
  const criteria = rubric.map((c): CriterionOutcome => {
    const mine = levels.filter((l) => l.criterion_id === c.id);
    const result = results.get(c.id);
    return {
      criterionId: c.id,
      criterion: c.criterion,
      objectives: c.objectives,
      maxScore: result?.max_score ?? Math.max(...c.levels.map((l) => l.score)),
      self: mine.find((l) => l.kind === "self")?.score ?? null,
      peers: mine.filter((l) => l.kind === "peer").map((l) => l.score),
      instructor: mine.find((l) => l.kind === "instructor")?.score ?? null,
      result: result?.score ?? null,
      source: result?.source ?? null,
    };
  });
  const peerReviews = new Set(levels.filter((l) => l.kind === "peer").map((l) => l.review_id)).size;
  return { title: exercise?.title ?? submission.module_slug, version: exercise?.version ?? null, peersRequired: exercise?.review.peers ?? 0, criteria, peerReviews };
}

/**
 * A learner's exercises, module by module in course order (drafts included), with each criterion's
 * self, peer and instructor levels and result, and how many peer reviews they have given.
 */
export function learnerExercises(userId: string): { exercises: LearnerExercise[]; reviewsGiven: number } {
  ensureCourseStructure();
  const exercises = submissionsOf([userId]).map((s): LearnerExercise => {
    const { title, peersRequired, criteria, peerReviews } = outcomes(s);
    return {
      submissionId: s.id,
      slug: s.module_slug,
      title,
      status: s.status,
      submittedAt: s.submitted_at === null ? null : new Date(s.submitted_at),
      peerReviewsReceived: peerReviews,
      peersRequired,
      criteria: s.submitted_at === null ? [] : criteria,
    };
  });
  const given = getDb().get<{ n: number }>(sql`
    select count(*) as n from exercise_reviews
    where reviewer_id = ${userId} and kind = 'peer' and completed_at is not null and removed_at is null`);
  return { exercises, reviewsGiven: given?.n ?? 0 };
}

/**
 * Every submitted exercise of the given learners with its criteria's outcomes, for the exports: one
 * query for the submissions, then each one's levels by its index.
 */
export function submittedExercises(userIds: string[]) {
  if (userIds.length === 0) return [];
  ensureCourseStructure();
  return submissionsOf(userIds)
    .filter((s) => s.submitted_at !== null)
    .map((s) => {
      const { title, version, criteria } = outcomes(s);
      return { submissionId: s.id, userId: s.user_id, slug: s.module_slug, edition: s.edition, version, title, submittedAt: new Date(s.submitted_at!), status: s.status, criteria };
    });
}
