// The learner's own data export (JSON): everything stored about one learner.
import { and, asc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { ensureCourseStructure } from "~/models/structure.server";
import {
  attemptGrants,
  auditLog,
  certificates,
  cohortMemberships,
  cohorts,
  exerciseReviewLevels,
  exerciseReviews,
  exerciseSubmissions,
  invitations,
  moduleCompletions,
  quizAnswers,
  quizAttempts,
  sectionReads,
  sectionVisits,
  sessions,
  users,
} from "~/db/schema";
import { learnerExercises } from "~/models/exercise-report.server";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Everything stored about one learner, as plain JSON. Secrets are left out: the password hash,
 * session ids and the hashes of reset links and trusted devices.
 */
export function learnerExport({ userId }: { userId: string }) {
  // The visits already served are committed first (ADR 010): the export holds every one of them.
  ensureCourseStructure();
  const db = getDb();
  const user = db.select().from(users).where(eq(users.id, userId)).get();
  if (!user) return undefined;
  const answersByAttempt = new Map<string, (typeof quizAnswers.$inferSelect)[]>();
  for (const a of db.select().from(quizAnswers).where(eq(quizAnswers.userId, userId)).orderBy(asc(quizAnswers.answeredAt)).all()) {
    const list = answersByAttempt.get(a.attemptId) ?? [];
    list.push(a);
    answersByAttempt.set(a.attemptId, list);
  }
  const certificate = db.select().from(certificates).where(eq(certificates.userId, userId)).get();
  const outcomes = new Map(learnerExercises(userId).exercises.map((x) => [x.submissionId, x]));
  // The reviews they wrote: their own levels and comments, without the peer whose text it was.
  const given = db
    .select({ id: exerciseReviews.id, moduleSlug: exerciseSubmissions.moduleSlug, assignedAt: exerciseReviews.assignedAt, completedAt: exerciseReviews.completedAt, comment: exerciseReviews.comment, removedAt: exerciseReviews.removedAt })
    .from(exerciseReviews)
    .innerJoin(exerciseSubmissions, eq(exerciseSubmissions.id, exerciseReviews.submissionId))
    .where(and(eq(exerciseReviews.reviewerId, userId), eq(exerciseReviews.kind, "peer")))
    .orderBy(asc(exerciseReviews.assignedAt), asc(exerciseReviews.id))
    .all();
  // Comments on their submissions, by kind of reviewer, never by name.
  const received = db
    .select({ submissionId: exerciseReviews.submissionId, kind: exerciseReviews.kind, completedAt: exerciseReviews.completedAt, comment: exerciseReviews.comment })
    .from(exerciseReviews)
    .innerJoin(exerciseSubmissions, eq(exerciseSubmissions.id, exerciseReviews.submissionId))
    .where(and(eq(exerciseSubmissions.userId, userId), inArray(exerciseReviews.kind, ["peer", "instructor"]), isNotNull(exerciseReviews.completedAt), isNull(exerciseReviews.removedAt)))
    .orderBy(asc(exerciseReviews.completedAt), asc(exerciseReviews.id))
    .all();
  const givenLevels = new Map<string, Record<string, number>>();
  if (given.length) {
    for (const l of db.select().from(exerciseReviewLevels).where(inArray(exerciseReviewLevels.reviewId, given.map((g) => g.id))).all()) {
      givenLevels.set(l.reviewId, { ...givenLevels.get(l.reviewId), [l.criterionId]: l.score });
    }
  }
  return {
    exportedAt: new Date().toISOString(),
    account: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      country: user.country,
      hasPassword: user.passwordHash !== null,
      isDemo: user.isDemo,
      deactivatedAt: iso(user.deactivatedAt),
      createdAt: iso(user.createdAt),
    },
    memberships: db
      .select({ cohortId: cohorts.id, cohortSlug: cohorts.slug, cohortName: cohorts.name, edition: cohorts.edition, role: cohortMemberships.role, joinedAt: cohortMemberships.createdAt })
      .from(cohortMemberships)
      .innerJoin(cohorts, eq(cohorts.id, cohortMemberships.cohortId))
      .where(eq(cohortMemberships.userId, userId))
      .all()
      .map((m) => ({ ...m, joinedAt: iso(m.joinedAt) })),
    invitationsUsed: db
      .select({ cohortId: invitations.cohortId, role: invitations.role, email: invitations.email, createdAt: invitations.createdAt, usedAt: invitations.usedAt })
      .from(invitations)
      .where(eq(invitations.usedBy, userId))
      .all()
      .map((i) => ({ ...i, createdAt: iso(i.createdAt), usedAt: iso(i.usedAt) })),
    sessions: db
      .select({ expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .all()
      .map((s) => ({ expiresAt: new Date(s.expiresAt * 1000).toISOString() })),
    sectionReads: db
      .select()
      .from(sectionReads)
      .where(eq(sectionReads.userId, userId))
      .orderBy(asc(sectionReads.readAt))
      .all()
      .map((r) => ({ moduleSlug: r.moduleSlug, sectionId: r.sectionId, readAt: iso(r.readAt) })),
    sectionVisits: db
      .select()
      .from(sectionVisits)
      .where(eq(sectionVisits.userId, userId))
      .orderBy(asc(sectionVisits.at), asc(sectionVisits.id))
      .all()
      .map((v) => ({ moduleSlug: v.moduleSlug, sectionId: v.sectionId, at: iso(v.at) })),
    attempts: db
      .select()
      .from(quizAttempts)
      .where(eq(quizAttempts.userId, userId))
      .orderBy(asc(quizAttempts.startedAt), asc(quizAttempts.id))
      .all()
      .map((a) => ({
        id: a.id,
        moduleSlug: a.moduleSlug,
        quizVersion: a.quizVersion,
        questionOrder: a.questionOrder,
        startedAt: iso(a.startedAt),
        submittedAt: iso(a.submittedAt),
        correctCount: a.correctCount,
        questionCount: a.questionCount,
        score: a.score,
        passed: a.passed,
        answers: (answersByAttempt.get(a.id) ?? []).map((x) => ({
          questionId: x.questionId,
          choiceIds: x.choiceIds,
          correct: x.correct,
          objectives: x.objectives,
          quizVersion: x.quizVersion,
          answeredAt: iso(x.answeredAt),
        })),
      })),
    exercises: db
      .select()
      .from(exerciseSubmissions)
      .where(eq(exerciseSubmissions.userId, userId))
      .orderBy(asc(exerciseSubmissions.createdAt), asc(exerciseSubmissions.id))
      .all()
      .map((x) => {
        const outcome = outcomes.get(x.id);
        return {
          moduleSlug: x.moduleSlug,
          edition: x.edition,
          exerciseVersion: x.exerciseVersion,
          texts: x.texts,
          createdAt: iso(x.createdAt),
          updatedAt: iso(x.updatedAt),
          submittedAt: iso(x.submittedAt),
          status: outcome?.status ?? null,
          peerReviewsReceived: outcome?.peerReviewsReceived ?? 0,
          // Per criterion: their own level, the peers' (anonymous), the instructor's, and the result.
          criteria: (outcome?.criteria ?? []).map(({ criterionId, objectives, self, peers, instructor, result, maxScore, source }) => ({
            criterionId,
            objectives,
            self,
            peers,
            instructor,
            result,
            maxScore,
            source,
          })),
          reviewsReceived: received
            .filter((r) => r.submissionId === x.id)
            .map((r) => ({ kind: r.kind, completedAt: iso(r.completedAt), comment: r.comment })),
        };
      }),
    peerReviewsGiven: given.map((g) => ({
      moduleSlug: g.moduleSlug,
      assignedAt: iso(g.assignedAt),
      completedAt: iso(g.completedAt),
      levels: givenLevels.get(g.id) ?? {},
      comment: g.comment,
      removedAt: iso(g.removedAt),
    })),
    attemptGrants: db
      .select({ moduleSlug: attemptGrants.moduleSlug, extra: attemptGrants.extra })
      .from(attemptGrants)
      .where(eq(attemptGrants.userId, userId))
      .all(),
    moduleCompletions: db
      .select()
      .from(moduleCompletions)
      .where(eq(moduleCompletions.userId, userId))
      .orderBy(asc(moduleCompletions.completedAt))
      .all()
      .map((c) => ({ moduleSlug: c.moduleSlug, completedAt: iso(c.completedAt) })),
    certificate: certificate
      ? {
          code: certificate.code,
          learnerName: certificate.learnerName,
          courseTitle: certificate.courseTitle,
          completedAt: iso(certificate.completedAt),
          objectivesMastered: certificate.objectivesMastered,
          objectivesPractical: certificate.objectivesPractical,
          revokedAt: iso(certificate.revokedAt),
        }
      : null,
    auditEntries: db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectId, userId))
      .orderBy(asc(auditLog.at), asc(auditLog.id))
      .all()
      .map((e) => ({ at: iso(e.at), actorName: e.actorName, cohortId: e.cohortId, action: e.action, subjectName: e.subjectName, detail: e.detail })),
  };
}

export type LearnerExport = NonNullable<ReturnType<typeof learnerExport>>;
