// What a learner sees of their practical exercise, and what it leads to from the other pages. The
// model answer only once they have submitted (and assessed themselves when the exercise asks it);
// peers only by number, never by name or id.
import { and, asc, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { getModelAnswer, getPublicExercise, type PublicExercise } from "~/content/course.server";
import { cachedAll, cachedGet, getDb, preparedSql } from "~/db/client.server";
import { exerciseResults, exerciseReviews } from "~/db/schema";
import type { ExerciseStatus } from "~/lib/exercise";
import { REVIEW_HOLD_MS } from "~/lib/rules";
import { NotFound } from "./errors.server";
import { exerciseFor, exerciseOf, reviewableSql, reviewLevels, reviewOf, submissionOf } from "./exercise.server";
import { exerciseStatusSql } from "./figures.server";
import { learnerLesson } from "./learner.server";

export interface CriterionResult {
  id: string;
  criterion: string;
  maxScore: number;
  /** Levels by score, to name a level given. */
  levels: { score: number; label: string }[];
  self: number | null;
  /** One per completed peer review, in the order the reviews came in ("Peer 1", "Peer 2"…). */
  peers: (number | null)[];
  instructor: number | null;
  /** The counted result (exercise_results): a peer median may fall between two levels. */
  result: { score: number; source: "instructor" | "peers" } | null;
}

export interface ExercisePage {
  module: { slug: string; title: string };
  exercise: Pick<PublicExercise, "title" | "briefHtml" | "tasks" | "rubric" | "review" | "required">;
  status: ExerciseStatus;
  texts: Record<string, string>;
  savedAt: string | null;
  submittedAt: string | null;
  /** Whether the learner has still to assess themselves (submitted, and the exercise asks for it). */
  selfAssessmentDue: boolean;
  modelAnswerHtml: string | null;
  /** Once a peer or the instructor has reviewed the submission. */
  feedback: { criteria: CriterionResult[]; peerComments: { peer: number; comment: string }[]; instructorFeedback: string | null } | null;
  /** Whether peer review is part of the exercise and the learner may now review others. */
  canReviewPeers: boolean;
}

/** The learner's exercise status for a module, by the reports' one rule (exerciseStatusSql). */
export function exerciseStatusOf(userId: string, slug: string): ExerciseStatus {
  // Every lesson page asks it: prepared once.
  const query = preparedSql("exerciseStatusOf", () => sql`select ${exerciseStatusOfSql(sql.raw("@userId"), sql.raw("@slug"))} as status`);
  return (query.get({ userId, slug }) as { status: ExerciseStatus }).status;
}

/** exerciseStatusOf as an expression, for a statement that asks more of the same page. */
export function exerciseStatusOfSql(userId: SQL, slug: SQL): SQL {
  return sql`(select ${exerciseStatusSql("s")} from (select 1)
    left join exercise_submissions s on s.user_id = ${userId} and s.module_slug = ${slug})`;
}

/** What the lesson's outline and end say of the module's exercise, in the learner's edition; null: none. */
export function exerciseSignpost({
  userId,
  slug,
  edition,
  status,
}: {
  userId: string;
  slug: string;
  edition: string | null;
  /** The status when the caller has read it already (exerciseStatusOfSql). */
  status?: ExerciseStatus;
}): { status: ExerciseStatus } | null {
  return getPublicExercise(slug, edition) ? { status: status ?? exerciseStatusOf(userId, slug) } : null;
}

/** The exercise page of a learner: NotFound when the module (in their edition) has no exercise. */
export function exercisePage(userId: string, slug: string): ExercisePage {
  const found = learnerLesson({ userId, slug });
  if (!found) throw new NotFound("No such module.");
  const submission = submissionOf(userId, slug);
  // A submission is read with the exercise it answered; a draft with the learner's edition now.
  const exercise = submission?.submittedAt ? exerciseOf(submission) : exerciseFor(userId, slug);
  const submitted = Boolean(submission?.submittedAt);
  const self = submission && submitted ? reviewOf(submission.id, "self") : undefined;
  const selfAssessmentDue = submitted && exercise.review.self && !self;
  const modelAnswerHtml =
    submission && submitted && !selfAssessmentDue ? (getModelAnswer(slug, submission.edition || null)?.html ?? null) : null;
  return {
    module: { slug: found.module.slug, title: found.module.title },
    exercise: {
      title: exercise.title,
      briefHtml: exercise.briefHtml,
      tasks: exercise.tasks,
      rubric: exercise.rubric,
      review: exercise.review,
      required: exercise.required,
    },
    status: exerciseStatusOf(userId, slug),
    texts: Object.fromEntries(exercise.tasks.map((t) => [t.id, submission?.texts[t.id] ?? ""])),
    savedAt: submission?.updatedAt.toISOString() ?? null,
    submittedAt: submission?.submittedAt?.toISOString() ?? null,
    selfAssessmentDue,
    modelAnswerHtml,
    feedback: submission && submitted ? feedbackOf(submission.id, exercise, self ? reviewLevels(self.id) : null) : null,
    canReviewPeers: submitted && exercise.review.peers > 0,
  };
}

/** Peers' and the instructor's completed reviews beside the learner's own levels; null before any. */
function feedbackOf(submissionId: string, exercise: PublicExercise, selfLevels: Record<string, number> | null): ExercisePage["feedback"] {
  const db = getDb();
  const peers = db
    .select({ id: exerciseReviews.id, comment: exerciseReviews.comment })
    .from(exerciseReviews)
    .where(
      and(
        eq(exerciseReviews.submissionId, submissionId),
        eq(exerciseReviews.kind, "peer"),
        isNotNull(exerciseReviews.completedAt),
        isNull(exerciseReviews.removedAt),
      ),
    )
    .orderBy(asc(exerciseReviews.completedAt), asc(exerciseReviews.id))
    .all();
  const instructor = reviewOf(submissionId, "instructor");
  const released = instructor?.completedAt && !instructor.removedAt ? instructor : undefined;
  if (peers.length === 0 && !released) return null;
  const peerLevels = peers.map((p) => reviewLevels(p.id));
  const instructorLevels = released ? reviewLevels(released.id) : {};
  const results = new Map(
    db
      .select({ criterionId: exerciseResults.criterionId, score: exerciseResults.score, source: exerciseResults.source })
      .from(exerciseResults)
      .where(eq(exerciseResults.submissionId, submissionId))
      .all()
      .map((r) => [r.criterionId, { score: r.score, source: r.source }]),
  );
  return {
    criteria: exercise.rubric.map((c) => ({
      id: c.id,
      criterion: c.criterion,
      maxScore: Math.max(...c.levels.map((l) => l.score)),
      levels: c.levels.map((l) => ({ score: l.score, label: l.label })),
      self: selfLevels?.[c.id] ?? null,
      peers: peerLevels.map((levels) => levels[c.id] ?? null),
      instructor: instructorLevels[c.id] ?? null,
      result: results.get(c.id) ?? null,
    })),
    peerComments: peers.flatMap((p, i) => (p.comment ? [{ peer: i + 1, comment: p.comment }] : [])),
    instructorFeedback: released?.comment ?? null,
  };
}

export interface ExerciseWaiting {
  slug: string;
  title: string;
  /** draft: to finish; reviews: `count` peers' submissions to review; feedback: reviews received. */
  kind: "draft" | "reviews" | "feedback";
  count: number;
}

/**
 * What the learner's exercises wait for, for the dashboard: drafts to finish, peers' submissions of
 * their cohort that need a review from them (held ones included), and results received.
 */
export function exercisesWaiting(userId: string, now = new Date()): ExerciseWaiting[] {
  const since = now.getTime() - REVIEW_HOLD_MS;
  // Every dashboard asks these: through the statement cache.
  const own = cachedAll<{ module_slug: string; status: ExerciseStatus; submitted: number }>(sql`
    select s.module_slug, ${exerciseStatusSql("s")} as status, s.submitted_at is not null as submitted
    from exercise_submissions s where s.user_id = ${userId}`);
  const reviews = new Map<string, number>();
  // Only a learner who submitted a module's exercise reviews their peers' (reviewableSql's `modules`).
  const cohort = own.some((o) => o.submitted)
    ? cachedGet<{ cohort_id: number }>(sql`select cohort_id from cohort_memberships where user_id = ${userId} and role = 'learner'`)
    : undefined;
  if (cohort) {
    const submittedModules = sql`s.module_slug in (select module_slug from exercise_submissions where user_id = ${userId} and submitted_at is not null)`;
    for (const row of cachedAll<{ module_slug: string; n: number }>(sql`
      select module_slug, count(*) as n from (
        select module_slug from (${reviewableSql({ reviewerId: userId, cohortId: cohort.cohort_id, modules: submittedModules, since })})
        where counted < peers
        union all
        select s.module_slug from exercise_reviews r join exercise_submissions s on s.id = r.submission_id
        where r.kind = 'peer' and r.reviewer_id = ${userId} and r.completed_at is null and r.removed_at is null and r.assigned_at >= ${since})
      group by module_slug`)) {
      reviews.set(row.module_slug, row.n);
    }
  }
  const waiting: ExerciseWaiting[] = [];
  for (const { module_slug: slug, status } of own) {
    const title = learnerLesson({ userId, slug })?.module.title;
    if (!title) continue;
    if (status === "draft") waiting.push({ slug, title, kind: "draft", count: 1 });
    if (reviews.has(slug)) waiting.push({ slug, title, kind: "reviews", count: reviews.get(slug)! });
    if (status === "reviewed") waiting.push({ slug, title, kind: "feedback", count: 1 });
  }
  return waiting;
}
