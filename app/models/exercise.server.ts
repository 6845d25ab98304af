// The practical exercise's writes: drafts, submission, self-assessment, peer allocation and
// reviews. Each write is one immediate transaction that ends by refreshing the roll-ups of the
// learner whose figures it changes (the submission's author), so mastery and completion follow it.
import { and, eq, sql, type SQL } from "drizzle-orm";
import { getPublicExercise, type PublicExercise } from "~/content/course.server";
import { randomId } from "~/auth/tokens.server";
import { getDb } from "~/db/client.server";
import { exerciseReviewLevels, exerciseReviews, exerciseSubmissions, type ReviewKind } from "~/db/schema";
import { MAX_REVIEW_COMMENT, REVIEW_HOLD_MS } from "~/lib/rules";
import { countWords } from "~/lib/words";
import { DomainError, NotFound } from "./errors.server";
import { learnerEdition, refreshLearner } from "./progress.server";
import type { Queryable } from "./user.server";

export type Submission = typeof exerciseSubmissions.$inferSelect;
export type Review = typeof exerciseReviews.$inferSelect;

/** The exercise a learner does for a module: their edition's own, else the base one; NotFound when none. */
export function exerciseFor(userId: string, slug: string): PublicExercise {
  const exercise = getPublicExercise(slug, learnerEdition(userId));
  if (!exercise) throw new NotFound("This module has no practical exercise.");
  return exercise;
}

/** The exercise a submission answers (the edition it was written for). */
export function exerciseOf(submission: Pick<Submission, "moduleSlug" | "edition">): PublicExercise {
  const exercise = getPublicExercise(submission.moduleSlug, submission.edition || null);
  if (!exercise) throw new NotFound("This module has no practical exercise.");
  return exercise;
}

export function submissionOf(userId: string, slug: string, q: Queryable = getDb()): Submission | undefined {
  return q
    .select()
    .from(exerciseSubmissions)
    .where(and(eq(exerciseSubmissions.userId, userId), eq(exerciseSubmissions.moduleSlug, slug)))
    .get();
}

/** Texts keyed by the exercise's task ids only, each kept as typed (line breaks normalised). */
function tasksTexts(exercise: PublicExercise, texts: Record<string, string>): Record<string, string> {
  return Object.fromEntries(exercise.tasks.map((t) => [t.id, (texts[t.id] ?? "").replace(/\r\n?/g, "\n")]));
}

/** Per task id, what keeps the texts from being submitted: a count outside the task's word limits. */
export function wordLimitErrors(exercise: PublicExercise, texts: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const task of exercise.tasks) {
    const words = countWords(texts[task.id] ?? "");
    if (words < task.minWords) errors[task.id] = `Write at least ${task.minWords} words (you have ${words}).`;
    else if (words > task.maxWords) errors[task.id] = `Keep to ${task.maxWords} words at most (you have ${words}).`;
  }
  return errors;
}

export class WordLimits extends DomainError {
  constructor(readonly errors: Record<string, string>) {
    super("Some answers are outside their word limits: nothing was submitted, and your text is saved as a draft.");
    this.name = "WordLimits";
  }
}

export class AlreadySubmitted extends DomainError {
  constructor() {
    super("You have already submitted this exercise: your submitted text cannot be changed.");
    this.name = "AlreadySubmitted";
  }
}

/**
 * Saves the texts as the learner's draft. The latest save wins, so a double click, a reload or a
 * second tab leaves the latest text; a save after submitting changes nothing (AlreadySubmitted).
 */
export function saveDraft({ userId, slug, texts, now = new Date() }: { userId: string; slug: string; texts: Record<string, string>; now?: Date }): Submission {
  const exercise = exerciseFor(userId, slug);
  return getDb().transaction(
    (tx) => {
      const current = submissionOf(userId, slug, tx);
      if (current?.submittedAt) throw new AlreadySubmitted();
      const kept = tasksTexts(exercise, { ...(current?.texts ?? {}), ...texts });
      if (current) {
        tx.update(exerciseSubmissions)
          .set({ texts: kept, updatedAt: now, edition: exercise.edition ?? "", exerciseVersion: exercise.version })
          .where(eq(exerciseSubmissions.id, current.id))
          .run();
      } else {
        tx.insert(exerciseSubmissions)
          .values({ id: randomId(), userId, moduleSlug: slug, edition: exercise.edition ?? "", exerciseVersion: exercise.version, texts: kept, updatedAt: now })
          .run();
      }
      refreshLearner(tx, userId);
      return submissionOf(userId, slug, tx)!;
    },
    { behavior: "immediate" },
  );
}

/**
 * Saves the texts and submits them when every task is within its word limits; otherwise keeps them
 * as the draft (committed) and throws WordLimits. Submitting the same texts twice (a double click)
 * submits once.
 */
export function submitExercise({ userId, slug, texts, now = new Date() }: { userId: string; slug: string; texts: Record<string, string>; now?: Date }): Submission {
  const exercise = exerciseFor(userId, slug);
  const result = getDb().transaction(
    (tx): Submission | { errors: Record<string, string> } => {
      const current = submissionOf(userId, slug, tx);
      if (current?.submittedAt) {
        const posted = tasksTexts(exercise, texts);
        if (exercise.tasks.every((t) => (current.texts[t.id] ?? "") === posted[t.id])) return current;
        throw new AlreadySubmitted();
      }
      const kept = tasksTexts(exercise, { ...(current?.texts ?? {}), ...texts });
      const errors = wordLimitErrors(exercise, kept);
      const submittedAt = Object.keys(errors).length === 0 ? now : null;
      const values = { texts: kept, updatedAt: now, submittedAt, edition: exercise.edition ?? "", exerciseVersion: exercise.version };
      if (current) tx.update(exerciseSubmissions).set(values).where(eq(exerciseSubmissions.id, current.id)).run();
      else tx.insert(exerciseSubmissions).values({ id: randomId(), userId, moduleSlug: slug, ...values }).run();
      refreshLearner(tx, userId);
      return submittedAt ? submissionOf(userId, slug, tx)! : { errors };
    },
    { behavior: "immediate" },
  );
  if ("errors" in result) throw new WordLimits(result.errors);
  return result;
}

// ---- rubric levels ------------------------------------------------------------------------------

export class LevelErrors extends DomainError {
  constructor(readonly errors: Record<string, string>) {
    super("Choose a level for every criterion.");
    this.name = "LevelErrors";
  }
}

/**
 * The levels a form gave, checked against the rubric: one of each criterion's level scores for
 * every criterion; LevelErrors (per criterion id) otherwise.
 */
export function checkLevels(exercise: Pick<PublicExercise, "rubric">, levels: Record<string, unknown>): Record<string, number> {
  const errors: Record<string, string> = {};
  const checked: Record<string, number> = {};
  for (const c of exercise.rubric) {
    const raw = levels[c.id];
    const score = typeof raw === "number" ? raw : typeof raw === "string" && /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
    if (!c.levels.some((l) => l.score === score)) errors[c.id] = `Choose a level for "${c.criterion}".`;
    else checked[c.id] = score;
  }
  if (Object.keys(errors).length > 0) throw new LevelErrors(errors);
  return checked;
}

function checkComment(comment: string | null | undefined): string | null {
  const text = (comment ?? "").replace(/\r\n?/g, "\n").trim();
  if (text.length > MAX_REVIEW_COMMENT) throw new DomainError(`Keep the comment to ${MAX_REVIEW_COMMENT} characters.`, "comment");
  return text || null;
}

function writeLevels(tx: Queryable, reviewId: string, levels: Record<string, number>) {
  tx.delete(exerciseReviewLevels).where(eq(exerciseReviewLevels.reviewId, reviewId)).run();
  tx.insert(exerciseReviewLevels)
    .values(Object.entries(levels).map(([criterionId, score]) => ({ reviewId, criterionId, score })))
    .run();
}

export function reviewLevels(reviewId: string, q: Queryable = getDb()): Record<string, number> {
  return Object.fromEntries(
    q
      .select({ criterionId: exerciseReviewLevels.criterionId, score: exerciseReviewLevels.score })
      .from(exerciseReviewLevels)
      .where(eq(exerciseReviewLevels.reviewId, reviewId))
      .all()
      .map((l) => [l.criterionId, l.score]),
  );
}

// ---- self-assessment ------------------------------------------------------------------------------

export function reviewOf(submissionId: string, kind: Exclude<ReviewKind, "peer">, q: Queryable = getDb()): Review | undefined {
  return q
    .select()
    .from(exerciseReviews)
    .where(and(eq(exerciseReviews.submissionId, submissionId), eq(exerciseReviews.kind, kind)))
    .get();
}

/**
 * The learner's own levels, once, after submitting: formative (they never count toward a result),
 * and what completion waits for when the exercise asks for them. A second identical post is a no-op.
 */
export function selfAssess({ userId, slug, levels, now = new Date() }: { userId: string; slug: string; levels: Record<string, unknown>; now?: Date }): Review {
  return getDb().transaction(
    (tx) => {
      const submission = submissionOf(userId, slug, tx);
      if (!submission?.submittedAt) throw new DomainError("Submit your answers before assessing them.");
      const exercise = exerciseOf(submission);
      if (!exercise.review.self) throw new DomainError("This exercise has no self-assessment.");
      const checked = checkLevels(exercise, levels);
      const existing = reviewOf(submission.id, "self", tx);
      if (existing) {
        const given = reviewLevels(existing.id, tx);
        if (Object.entries(checked).every(([id, score]) => given[id] === score)) return existing;
        throw new DomainError("You have already assessed your submission.");
      }
      const id = randomId();
      tx.insert(exerciseReviews).values({ id, submissionId: submission.id, kind: "self", reviewerId: userId, assignedAt: now, completedAt: now }).run();
      writeLevels(tx, id, checked);
      refreshLearner(tx, userId);
      return reviewOf(submission.id, "self", tx)!;
    },
    { behavior: "immediate" },
  );
}

// ---- peer review ------------------------------------------------------------------------------------

/** Why no submission could be given to review. */
export type NoReview = "not-submitted" | "no-cohort" | "no-peer-review" | "none-waiting";

/**
 * The submissions of the cohort that `reviewerId` could be given to review, in the modules that
 * `modules` (a condition on exercise_submissions alias s) selects: submitted, not their own, not one
 * they reviewed or hold already; with the reviews counted (completed, or held for less than
 * REVIEW_HOLD_MS: given at or after `since`) and the number the exercise needs. Those with
 * counted < peers still need one. Shared by the allocation and by the learner's "reviews to give".
 */
export function reviewableSql({ reviewerId, cohortId, modules, since }: { reviewerId: string; cohortId: number; modules: SQL; since: number }): SQL {
  return sql`
    select s.id, s.module_slug, s.submitted_at, ce.peers,
      (select count(*) from exercise_reviews r where r.submission_id = s.id and r.kind = 'peer' and r.removed_at is null
        and (r.completed_at is not null or r.assigned_at >= ${since})) as counted
    from exercise_submissions s
    join cohort_memberships m on m.user_id = s.user_id and m.role = 'learner' and m.cohort_id = ${cohortId}
    join course_exercises ce on ce.edition = s.edition and ce.module_slug = s.module_slug
    where ${modules} and s.submitted_at is not null and s.user_id <> ${reviewerId}
      and not exists (select 1 from exercise_reviews mine where mine.submission_id = s.id and mine.kind = 'peer'
        and mine.reviewer_id = ${reviewerId} and (mine.completed_at is not null or mine.removed_at is not null or mine.assigned_at >= ${since}))`;
}

/**
 * Gives the reviewer a peer's submission to review: their open review of the module if they have
 * one, else the submission of their cohort that most needs a review (fewest counted reviews, then
 * submitted earliest), never their own or one they reviewed (or hold) already. A review counts
 * once completed, or while held (given less than REVIEW_HOLD_MS ago); one held longer goes back to
 * the pool. One immediate transaction: two concurrent requests cannot both take the last place.
 */
export function requestPeerReview({ userId, slug, now = new Date() }: { userId: string; slug: string; now?: Date }): { reviewId: string } | { none: NoReview } {
  return getDb().transaction(
    (tx): { reviewId: string } | { none: NoReview } => {
      const own = submissionOf(userId, slug, tx);
      if (!own?.submittedAt) return { none: "not-submitted" };
      if (exerciseOf(own).review.peers === 0) return { none: "no-peer-review" };
      const since = now.getTime() - REVIEW_HOLD_MS;
      const open = tx.get<{ id: string }>(sql`
        select r.id from exercise_reviews r join exercise_submissions s on s.id = r.submission_id
        where r.kind = 'peer' and r.reviewer_id = ${userId} and s.module_slug = ${slug}
          and r.completed_at is null and r.removed_at is null and r.assigned_at >= ${since}
        order by r.assigned_at limit 1`);
      if (open) return { reviewId: open.id };
      const cohort = tx.get<{ cohort_id: number }>(sql`
        select cohort_id from cohort_memberships where user_id = ${userId} and role = 'learner'`);
      if (!cohort) return { none: "no-cohort" };
      const candidate = tx.get<{ id: string }>(sql`
        select id from (${reviewableSql({ reviewerId: userId, cohortId: cohort.cohort_id, modules: sql`s.module_slug = ${slug}`, since })})
        where counted < peers
        order by counted, submitted_at, id limit 1`);
      if (!candidate) return { none: "none-waiting" };
      // A review this reviewer held too long is theirs again, under the same row.
      const stale = tx
        .select({ id: exerciseReviews.id })
        .from(exerciseReviews)
        .where(and(eq(exerciseReviews.submissionId, candidate.id), eq(exerciseReviews.kind, "peer"), eq(exerciseReviews.reviewerId, userId)))
        .get();
      if (stale) {
        tx.update(exerciseReviews).set({ assignedAt: now }).where(eq(exerciseReviews.id, stale.id)).run();
        return { reviewId: stale.id };
      }
      const id = randomId();
      tx.insert(exerciseReviews).values({ id, submissionId: candidate.id, kind: "peer", reviewerId: userId, assignedAt: now }).run();
      return { reviewId: id };
    },
    { behavior: "immediate" },
  );
}

/** A peer review and its submission, when it is the reviewer's; NotFound for anyone else's. */
export function peerReviewFor(userId: string, reviewId: string, q: Queryable = getDb()): { review: Review; submission: Submission } {
  const row = q
    .select({ review: exerciseReviews, submission: exerciseSubmissions })
    .from(exerciseReviews)
    .innerJoin(exerciseSubmissions, eq(exerciseSubmissions.id, exerciseReviews.submissionId))
    .where(and(eq(exerciseReviews.id, reviewId), eq(exerciseReviews.kind, "peer"), eq(exerciseReviews.reviewerId, userId)))
    .get();
  if (!row || row.review.removedAt) throw new NotFound("There is no such review for you.");
  return row;
}

/**
 * Completes the reviewer's peer review: final once saved (a second identical post is a no-op). A
 * review finished after its hold ran out still counts: the author only gains a view.
 */
export function completePeerReview({
  userId,
  reviewId,
  levels,
  comment,
  now = new Date(),
}: {
  userId: string;
  reviewId: string;
  levels: Record<string, unknown>;
  comment?: string | null;
  now?: Date;
}): Review {
  return getDb().transaction(
    (tx) => {
      const { review, submission } = peerReviewFor(userId, reviewId, tx);
      const checked = checkLevels(exerciseOf(submission), levels);
      const text = checkComment(comment);
      if (review.completedAt) {
        const given = reviewLevels(review.id, tx);
        if (review.comment === text && Object.entries(checked).every(([id, score]) => given[id] === score)) return review;
        throw new DomainError("You have already sent this review.");
      }
      tx.update(exerciseReviews).set({ completedAt: now, comment: text }).where(eq(exerciseReviews.id, review.id)).run();
      writeLevels(tx, review.id, checked);
      refreshLearner(tx, submission.userId);
      return peerReviewFor(userId, reviewId, tx).review;
    },
    { behavior: "immediate" },
  );
}

// ---- instructor review ------------------------------------------------------------------------------

/**
 * The instructor's levels and feedback for a submitted exercise; saving releases the result to the
 * learner, and a later save replaces it. The caller has checked that the staff member may see it.
 */
export function saveInstructorReview({
  staffId,
  submissionId,
  levels,
  feedback,
  now = new Date(),
}: {
  staffId: string;
  submissionId: string;
  levels: Record<string, unknown>;
  feedback?: string | null;
  now?: Date;
}): Review {
  return getDb().transaction(
    (tx) => {
      const submission = tx.select().from(exerciseSubmissions).where(eq(exerciseSubmissions.id, submissionId)).get();
      if (!submission?.submittedAt) throw new NotFound("There is no such submission.");
      const checked = checkLevels(exerciseOf(submission), levels);
      const text = checkComment(feedback);
      const existing = reviewOf(submissionId, "instructor", tx);
      const id = existing?.id ?? randomId();
      if (existing) {
        tx.update(exerciseReviews).set({ reviewerId: staffId, completedAt: now, comment: text }).where(eq(exerciseReviews.id, id)).run();
      } else {
        tx.insert(exerciseReviews)
          .values({ id, submissionId, kind: "instructor", reviewerId: staffId, assignedAt: now, completedAt: now, comment: text })
          .run();
      }
      writeLevels(tx, id, checked);
      refreshLearner(tx, submission.userId);
      return reviewOf(submissionId, "instructor", tx)!;
    },
    { behavior: "immediate" },
  );
}
