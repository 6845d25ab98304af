// The learner's own data export (JSON): everything stored about one learner.
import { asc, eq } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import {
  attemptGrants,
  auditLog,
  certificates,
  cohortMemberships,
  cohorts,
  invitations,
  moduleCompletions,
  quizAnswers,
  quizAttempts,
  sectionReads,
  sectionVisits,
  sessions,
  users,
} from "~/db/schema";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Everything stored about one learner, as plain JSON. Secrets are left out: the password hash,
 * session ids and the hashes of reset links and trusted devices.
 */
export function learnerExport({ userId }: { userId: string }) {
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
