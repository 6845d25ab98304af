// What a reviewer reads about their peer reviews: the list of those assigned to them in a module,
// and one review's page. Peers stay anonymous: nothing returned here names the author or carries
// an id that leads to them (no user id, submission id or e-mail), so neither the HTML nor the
// loader data can. The writes (allocation, sending) are in exercise.server.ts.
import { and, asc, eq, isNull } from "drizzle-orm";
import type { PublicExercise } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import { exerciseReviews, exerciseSubmissions } from "~/db/schema";
import { REVIEW_HOLD_MS } from "~/lib/rules";
import { exerciseOf, peerReviewFor, reviewLevels, type Review } from "./exercise.server";
import { NotFound } from "./errors.server";

/** to-do: held by the reviewer; sent: completed; returned: not sent within REVIEW_HOLD_MS, back in the pool. */
export type PeerReviewStatus = "to-do" | "sent" | "returned";

function statusOf(review: Pick<Review, "assignedAt" | "completedAt">, now: Date): PeerReviewStatus {
  if (review.completedAt) return "sent";
  return review.assignedAt.getTime() + REVIEW_HOLD_MS > now.getTime() ? "to-do" : "returned";
}

export interface AssignedReview {
  id: string;
  /** 1 for the first review the reviewer was given in the module: how the list names it. */
  number: number;
  status: PeerReviewStatus;
  assignedAt: string;
  /** When the hold runs out: the review must be sent by then or goes back to the pool. */
  dueAt: string;
  sentAt: string | null;
}

function times(review: Pick<Review, "assignedAt" | "completedAt">) {
  return {
    assignedAt: review.assignedAt.toISOString(),
    dueAt: new Date(review.assignedAt.getTime() + REVIEW_HOLD_MS).toISOString(),
    sentAt: review.completedAt?.toISOString() ?? null,
  };
}

/** The peer reviews a reviewer was given in a module, first given first; removed ones no longer show. */
export function reviewsAssignedTo({ userId, slug, now = new Date() }: { userId: string; slug: string; now?: Date }): AssignedReview[] {
  return getDb()
    .select({ id: exerciseReviews.id, assignedAt: exerciseReviews.assignedAt, completedAt: exerciseReviews.completedAt })
    .from(exerciseReviews)
    .innerJoin(exerciseSubmissions, eq(exerciseSubmissions.id, exerciseReviews.submissionId))
    .where(
      and(
        eq(exerciseReviews.kind, "peer"),
        eq(exerciseReviews.reviewerId, userId),
        eq(exerciseSubmissions.moduleSlug, slug),
        isNull(exerciseReviews.removedAt),
      ),
    )
    .orderBy(asc(exerciseReviews.assignedAt), asc(exerciseReviews.id))
    .all()
    .map((r, i) => ({ id: r.id, number: i + 1, status: statusOf(r, now), ...times(r) }));
}

export interface PeerReviewPage extends Omit<AssignedReview, "number"> {
  /** The exercise the peer answered (their edition's): its tasks and rubric, which the review follows. */
  exercise: PublicExercise;
  /** The peer's text per task id, and nothing about who wrote it. */
  texts: Record<string, string>;
  /** What was sent, once it was: the level per criterion id and the comment. */
  sent: { levels: Record<string, number>; comment: string | null } | null;
}

/**
 * One peer review as its reviewer sees it, anonymous; NotFound for anyone else's, for one removed,
 * and when `slug` is not the module of the reviewed submission.
 */
export function peerReviewPage({ userId, slug, reviewId, now = new Date() }: { userId: string; slug: string; reviewId: string; now?: Date }): PeerReviewPage {
  const { review, submission } = peerReviewFor(userId, reviewId);
  if (submission.moduleSlug !== slug) throw new NotFound("There is no such review for you.");
  const exercise = exerciseOf(submission);
  return {
    id: review.id,
    status: statusOf(review, now),
    ...times(review),
    exercise,
    texts: Object.fromEntries(exercise.tasks.map((t) => [t.id, submission.texts[t.id] ?? ""])),
    sent: review.completedAt ? { levels: reviewLevels(review.id), comment: review.comment } : null,
  };
}
