// The staff side of the practical exercises, read only: the queue of submissions waiting for an
// instructor's review, its count for the navigation, and one submission with every assessment of
// it. Instructors see every learner; a coordinator sees the learners of the cohorts they
// coordinate (and reviews them too). Anything outside that scope is NotFound, like a missing one.
import { sql, type SQL } from "drizzle-orm";
import { getModelAnswer, getModule, listModules, type PublicExercise } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import type { Role } from "~/db/schema";
import { PAGE_SIZE } from "./cohort.server";
import { NotFound } from "./errors.server";
import { exerciseOf, reviewLevels, saveInstructorReview, type Review } from "./exercise.server";
import type { Queryable } from "./user.server";

export interface Staff {
  id: string;
  role: Role;
}

/** Waiting: no instructor review yet; reviewed: an instructor's result is out; all: every submission. */
export const QUEUE_VIEWS = ["waiting", "reviewed", "all"] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

/**
 * Which learners' submissions the staff member may see, as a condition on the learner's cohort
 * membership (alias `m`): all for an instructor (learners without a cohort too), else those of
 * cohorts the staff member coordinates (nothing for anyone who coordinates none).
 */
function scopeSql(staff: Staff): SQL {
  if (staff.role === "instructor") return sql`1`;
  return sql`m.cohort_id in (select cohort_id from cohort_memberships where user_id = ${staff.id} and role = 'coordinator')`;
}

// `kind in ('self', 'instructor')` repeats the partial index's own condition so that SQLite uses
// exercise_reviews_single_unique (it does not infer it from `kind = 'instructor'`).
const instructorReviewed = sql`exists (select 1 from exercise_reviews ir
  where ir.submission_id = s.id and ir.kind in ('self', 'instructor') and ir.kind = 'instructor')`;

function viewSql(view: QueueView): SQL {
  if (view === "waiting") return sql`ce.instructor_review = 1 and not ${instructorReviewed}`;
  if (view === "reviewed") return instructorReviewed;
  return sql`1`;
}

/**
 * Submissions with their exercise (ce), the learner's membership (m) and cohort (c). An instructor's
 * list starts from the submissions; a coordinator's from the learners of their cohorts (CROSS JOIN
 * keeps SQLite from scanning every submission first).
 */
function queueFrom(staff: Staff): SQL {
  const rest = sql`join course_exercises ce on ce.edition = s.edition and ce.module_slug = s.module_slug`;
  return staff.role === "instructor"
    ? sql`from exercise_submissions s ${rest}
        left join cohort_memberships m on m.user_id = s.user_id and m.role = 'learner'
        left join cohorts c on c.id = m.cohort_id`
    : sql`from cohort_memberships m cross join exercise_submissions s on s.user_id = m.user_id and m.role = 'learner' ${rest}
        left join cohorts c on c.id = m.cohort_id`;
}

/**
 * The number of submissions waiting for this staff member's review: the navigation shows it on
 * every page. With 30,000 submissions (15,000 waiting): about 30 ms for an instructor, 3 ms for a
 * coordinator of 500 learners.
 */
export function reviewQueueCount(staff: Staff, q: Queryable = getDb()): number {
  const from =
    staff.role === "instructor"
      ? sql`from exercise_submissions s join course_exercises ce on ce.edition = s.edition and ce.module_slug = s.module_slug`
      : queueFrom(staff);
  return q.get<{ n: number }>(sql`select count(*) as n ${from} where s.submitted_at is not null and ${viewSql("waiting")} and ${scopeSql(staff)}`)?.n ?? 0;
}

export interface QueueFilters {
  module?: string | null;
  cohort?: string | null;
}

export interface QueueRow {
  submissionId: string;
  learnerName: string;
  cohortName: string | null;
  moduleSlug: string;
  /** The module's title as the learner's cohort edition names it. */
  moduleTitle: string;
  submittedAt: Date;
  peersIn: number;
  peersNeeded: number;
  /** null when the exercise asks for no self-assessment. */
  selfAssessed: boolean | null;
  /** The exercise asks for an instructor's review. */
  instructorAsked: boolean;
  instructorReviewed: boolean;
}

/**
 * One page of the queue, oldest submission first (the longest wait first), filtered by module
 * slug and cohort slug. A filter outside the staff member's scope simply matches nothing.
 */
export function reviewQueue({
  staff,
  view = "waiting",
  filters = {},
  page = 1,
}: {
  staff: Staff;
  view?: QueueView;
  filters?: QueueFilters;
  page?: number;
}): { rows: QueueRow[]; total: number; page: number; pages: number } {
  const db = getDb();
  const where = sql.join(
    [
      sql`s.submitted_at is not null`,
      viewSql(view),
      scopeSql(staff),
      filters.module ? sql`s.module_slug = ${filters.module}` : sql`1`,
      filters.cohort ? sql`c.slug = ${filters.cohort}` : sql`1`,
    ],
    sql` and `,
  );
  const total = db.get<{ n: number }>(sql`select count(*) as n ${queueFrom(staff)} where ${where}`)?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  // The page's ids first: SQLite would otherwise work out the per-row subqueries for every row it sorts.
  const rows = db.all<{
    id: string;
    module_slug: string;
    submitted_at: number;
    learner_name: string;
    cohort_name: string | null;
    cohort_edition: string | null;
    peers: number;
    self_review: number;
    instructor_review: number;
    peers_in: number;
    self_assessed: number;
    instructor_reviewed: number;
  }>(sql`select s.id, s.module_slug, s.submitted_at, u.name as learner_name, c.name as cohort_name,
      c.edition as cohort_edition, ce.peers, ce.self_review, ce.instructor_review,
      (select count(*) from exercise_reviews pr where pr.submission_id = s.id and pr.kind = 'peer'
        and pr.completed_at is not null and pr.removed_at is null) as peers_in,
      exists (select 1 from exercise_reviews sr where sr.submission_id = s.id
        and sr.kind in ('self', 'instructor') and sr.kind = 'self') as self_assessed,
      ${instructorReviewed} as instructor_reviewed
    from (select s.id, s.submitted_at ${queueFrom(staff)} where ${where}
      order by s.submitted_at, s.id limit ${PAGE_SIZE} offset ${(current - 1) * PAGE_SIZE}) page
    join exercise_submissions s on s.id = page.id
    join course_exercises ce on ce.edition = s.edition and ce.module_slug = s.module_slug
    join users u on u.id = s.user_id
    left join cohort_memberships m on m.user_id = s.user_id and m.role = 'learner'
    left join cohorts c on c.id = m.cohort_id
    order by page.submitted_at, page.id`);
  return {
    total,
    page: current,
    pages,
    rows: rows.map((r) => ({
      submissionId: r.id,
      learnerName: r.learner_name,
      cohortName: r.cohort_name,
      moduleSlug: r.module_slug,
      moduleTitle: getModule(r.module_slug, r.cohort_edition)?.title ?? r.module_slug,
      submittedAt: new Date(r.submitted_at),
      peersIn: r.peers_in,
      peersNeeded: r.peers,
      selfAssessed: r.self_review ? Boolean(r.self_assessed) : null,
      instructorAsked: Boolean(r.instructor_review),
      instructorReviewed: Boolean(r.instructor_reviewed),
    })),
  };
}

/** What the queue's filters offer this staff member: the modules with an exercise, and the cohorts in scope. */
export function queueFilterOptions(staff: Staff): { modules: { slug: string; title: string }[]; cohorts: { slug: string; name: string }[] } {
  const cohorts = getDb().all<{ slug: string; name: string }>(
    staff.role === "instructor"
      ? sql`select slug, name from cohorts order by name, id`
      : sql`select c.slug, c.name from cohorts c join cohort_memberships m on m.cohort_id = c.id
          where m.user_id = ${staff.id} and m.role = 'coordinator' order by c.name, c.id`,
  );
  const modules = listModules()
    .filter((m) => m.exercise)
    .map((m) => ({ slug: m.slug, title: `${m.order}. ${m.title}` }));
  return { modules, cohorts };
}

// ---- one submission ---------------------------------------------------------------------------------

export interface StaffReview {
  id: string;
  reviewerName: string | null;
  levels: Record<string, number>;
  comment: string | null;
  completedAt: Date;
  removedAt: Date | null;
  removedByName: string | null;
}

export interface StaffSubmission {
  id: string;
  learner: { id: string; name: string };
  cohort: { id: number; slug: string; name: string } | null;
  moduleSlug: string;
  moduleTitle: string;
  submittedAt: Date;
  texts: Record<string, string>;
  exercise: PublicExercise;
  modelAnswerHtml: string | null;
  self: StaffReview | null;
  /** Completed peer reviews, removed ones included (marked): staff see what was taken out. */
  peers: StaffReview[];
  instructor: StaffReview | null;
  /** The current result per criterion id, as the learner sees it (the rule of figures.server). */
  results: Record<string, { score: number; maxScore: number; source: "instructor" | "peers" }>;
  /** The staff member coordinates the learner's cohort: they may remove a peer review. */
  canModerate: boolean;
}

/** A submitted exercise within the staff member's scope, with every assessment of it; NotFound otherwise (drafts too). */
export function staffSubmission(staff: Staff, submissionId: string, q: Queryable = getDb()): StaffSubmission {
  const row = q.get<{
    id: string;
    user_id: string;
    module_slug: string;
    edition: string;
    texts: string;
    submitted_at: number;
    learner_name: string;
    cohort_id: number | null;
    cohort_slug: string | null;
    cohort_name: string | null;
    cohort_edition: string | null;
    coordinates: number;
  }>(sql`select s.id, s.user_id, s.module_slug, s.edition, s.texts, s.submitted_at, u.name as learner_name,
      c.id as cohort_id, c.slug as cohort_slug, c.name as cohort_name, c.edition as cohort_edition,
      exists (select 1 from cohort_memberships cm where cm.cohort_id = m.cohort_id and cm.user_id = ${staff.id}
        and cm.role = 'coordinator') as coordinates
    from exercise_submissions s join users u on u.id = s.user_id
    left join cohort_memberships m on m.user_id = s.user_id and m.role = 'learner'
    left join cohorts c on c.id = m.cohort_id
    where s.id = ${submissionId} and s.submitted_at is not null and ${scopeSql(staff)}`);
  if (!row) throw new NotFound("There is no such submission.");
  const exercise = exerciseOf({ moduleSlug: row.module_slug, edition: row.edition });
  const reviews = q
    .all<{
      id: string;
      kind: Review["kind"];
      completed_at: number;
      comment: string | null;
      removed_at: number | null;
      reviewer_name: string | null;
      removed_by_name: string | null;
    }>(
      sql`select r.id, r.kind, r.completed_at, r.comment, r.removed_at, ru.name as reviewer_name, rb.name as removed_by_name
        from exercise_reviews r left join users ru on ru.id = r.reviewer_id left join users rb on rb.id = r.removed_by
        where r.submission_id = ${row.id} and r.completed_at is not null order by r.completed_at, r.id`,
    )
    .map((r) => ({
      kind: r.kind,
      review: {
        id: r.id,
        reviewerName: r.reviewer_name,
        levels: reviewLevels(r.id, q),
        comment: r.comment,
        completedAt: new Date(r.completed_at),
        removedAt: r.removed_at === null ? null : new Date(r.removed_at),
        removedByName: r.removed_by_name,
      },
    }));
  const ofKind = (kind: Review["kind"]) => reviews.filter((r) => r.kind === kind).map((r) => r.review);
  const results = q.all<{ criterion_id: string; score: number; max_score: number; source: "instructor" | "peers" }>(
    sql`select criterion_id, score, max_score, source from exercise_results where submission_id = ${row.id}`,
  );
  return {
    id: row.id,
    learner: { id: row.user_id, name: row.learner_name },
    cohort: row.cohort_id !== null ? { id: row.cohort_id, slug: row.cohort_slug!, name: row.cohort_name! } : null,
    moduleSlug: row.module_slug,
    moduleTitle: getModule(row.module_slug, row.cohort_edition)?.title ?? row.module_slug,
    submittedAt: new Date(row.submitted_at),
    texts: JSON.parse(row.texts) as Record<string, string>,
    exercise,
    modelAnswerHtml: getModelAnswer(row.module_slug, row.edition || null)?.html ?? null,
    self: ofKind("self")[0] ?? null,
    peers: ofKind("peer"),
    instructor: ofKind("instructor")[0] ?? null,
    results: Object.fromEntries(results.map((r) => [r.criterion_id, { score: r.score, maxScore: r.max_score, source: r.source }])),
    canModerate: Boolean(row.coordinates),
  };
}

/**
 * The staff member's levels and feedback for a submission in their scope (NotFound outside it),
 * when its exercise asks for an instructor's review; saving releases the result to the learner.
 */
export function reviewAsStaff({
  staff,
  submissionId,
  levels,
  feedback,
  now,
}: {
  staff: Staff;
  submissionId: string;
  levels: Record<string, unknown>;
  feedback?: string | null;
  now?: Date;
}): Review {
  const submission = staffSubmission(staff, submissionId);
  if (!submission.exercise.review.instructor) throw new NotFound("This exercise is not reviewed by an instructor.");
  return saveInstructorReview({ staffId: staff.id, submissionId, levels, feedback, now });
}
