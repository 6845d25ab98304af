/**
 * What a coordinator does to their cohort, one function per act. Each checks its guard, makes its
 * change and writes its audit entry in one synchronous transaction: an act is never recorded without
 * happening, nor happens without being recorded, and a refused act writes nothing. (Nothing here is
 * awaited: better-sqlite3 would commit whatever came after an `await` outside the transaction.)
 *
 * Every function takes who acts and on which cohort (the route has checked that the actor
 * coordinates it) and the validated input. Guards throw DomainError (the form shows the message) or
 * NotFound (the route answers 404, as for anything missing).
 */
import { and, eq } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { exerciseReviews, exerciseSubmissions, signInFailures, users, type Cohort, type Role } from "~/db/schema";
import { audit, type AuditAction } from "./audit.server";
import { revokeCertificate } from "./certificate.server";
import { addCoordinator, getMember, type Member } from "./cohort.server";
import { DomainError, NotFound } from "./errors.server";
import { createInvitations, invitationPath, revokeInvitation } from "./invitation.server";
import { createPasswordReset, resetPath } from "./password-reset.server";
import { refreshLearner } from "./progress.server";
import { grantAttempt } from "./quiz.server";
import { setUserActive, type Queryable } from "./user.server";

export interface Scope {
  actor: { id: string; name: string };
  cohort: Pick<Cohort, "id">;
}

/** Immediate: each act reads (its guard) and then writes, and no other writer may come between. */
function act<T>(run: (tx: Queryable) => T): T {
  return getDb().transaction(run, { behavior: "immediate" });
}

/** A learner of the cohort: never another role, never another cohort's. */
export function cohortLearner({ cohortId, userId }: { cohortId: number; userId: string | undefined }, q: Queryable = getDb()): Member {
  const member = userId ? getMember({ cohortId, userId }, q) : undefined;
  if (!member || member.role !== "learner") throw new NotFound("No such learner in this cohort.");
  return member;
}

/** Coordinators manage the learners and instructors of their cohort, not themselves or fellow coordinators. */
function managedMember(q: Queryable, { actor, cohort }: Scope, userId: string): Member {
  const member = getMember({ cohortId: cohort.id, userId }, q);
  if (!member) throw new NotFound("No such member.");
  if (member.id === actor.id || member.role === "coordinator") {
    throw new DomainError("Coordinators' accounts are managed by the operator, not from this page.");
  }
  return member;
}

/** Opening a learner's record is itself recorded: it shows their answers and progress. */
export function viewLearner(scope: Scope, { learnerId }: { learnerId: string | undefined }): Member {
  return act((tx) => {
    const learner = cohortLearner({ cohortId: scope.cohort.id, userId: learnerId }, tx);
    audit({ actor: scope.actor, cohortId: scope.cohort.id, action: "view-learner", subject: learner }, tx);
    return learner;
  });
}

/** Recorded before a learner's data is downloaded; returns the learner whose data it is. */
export function recordLearnerExport(scope: Scope, { learnerId }: { learnerId: string | undefined }): Member {
  return act((tx) => {
    const learner = cohortLearner({ cohortId: scope.cohort.id, userId: learnerId }, tx);
    audit({ actor: scope.actor, cohortId: scope.cohort.id, action: "export-learner", subject: learner }, tx);
    return learner;
  });
}

export type ExportAction = Extract<AuditAction, `export-${string}`>;

/** Recorded before one of the cohort's exports is streamed. */
export function recordCohortExport(scope: Scope, { action }: { action: ExportAction }): void {
  audit({ actor: scope.actor, cohortId: scope.cohort.id, action });
}

/** Single-use invitation codes, returned once as the paths of their links (only hashes are stored). */
export function inviteMembers(
  scope: Scope,
  input: { role: Role; count: number; email: string | null; expiresDays: number },
): { message: string; paths: string[]; expiresAt: Date } {
  return act((tx) => {
    const { codes, expiresAt } = createInvitations({ cohortId: scope.cohort.id, createdBy: scope.actor.id, ...input }, tx);
    audit(
      {
        actor: scope.actor,
        cohortId: scope.cohort.id,
        action: "invite",
        detail: `${codes.length} × ${input.role}${input.email ? ` for ${input.email}` : ""}`,
      },
      tx,
    );
    return {
      message: `${codes.length} invitation${codes.length === 1 ? "" : "s"} created.`,
      paths: codes.map(invitationPath),
      expiresAt,
    };
  });
}

export function revokeCohortInvitation(scope: Scope, { id }: { id: number }): { message: string } {
  return act((tx) => {
    if (!revokeInvitation({ cohortId: scope.cohort.id, invitationId: id }, tx)) {
      throw new DomainError("That invitation was already used or revoked.");
    }
    audit({ actor: scope.actor, cohortId: scope.cohort.id, action: "revoke-invitation", detail: `invitation #${id}` }, tx);
    return { message: "The invitation is revoked; its link no longer works." };
  });
}

/** Deactivating also signs the person out everywhere and cancels their unused password links. */
export function setMemberActive(scope: Scope, { userId, active }: { userId: string; active: boolean }): { message: string } {
  return act((tx) => {
    const member = managedMember(tx, scope, userId);
    setUserActive({ userId: member.id, active }, tx);
    audit({ actor: scope.actor, cohortId: scope.cohort.id, action: active ? "reactivate" : "deactivate", subject: member }, tx);
    return { message: active ? `${member.name} can sign in again.` : `${member.name} is deactivated and signed out everywhere.` };
  });
}

/** A one-time password link, returned once as its path (only a hash is stored). */
export function createMemberPasswordLink(scope: Scope, { userId }: { userId: string }): { message: string; path: string; expiresAt: Date } {
  return act((tx) => {
    const member = managedMember(tx, scope, userId);
    if (member.deactivatedAt) throw new DomainError(`Reactivate ${member.name} before sending a password link.`);
    const { token, expiresAt } = createPasswordReset({ userId: member.id }, tx);
    audit({ actor: scope.actor, cohortId: scope.cohort.id, action: "password-link", subject: member }, tx);
    return {
      message: `A one-time password link for ${member.name} is ready. Send it to them privately.`,
      path: resetPath(token),
      expiresAt,
    };
  });
}

export function revokeMemberCertificate(scope: Scope, { userId }: { userId: string }): { message: string } {
  return act((tx) => {
    const member = managedMember(tx, scope, userId);
    if (!revokeCertificate({ userId: member.id }, tx)) throw new DomainError(`${member.name} has no valid certificate to revoke.`);
    audit({ actor: scope.actor, cohortId: scope.cohort.id, action: "revoke-certificate", subject: member }, tx);
    return { message: `${member.name}'s certificate is revoked; its verification page now says so.` };
  });
}

export function addCohortCoordinator(scope: Scope, { email }: { email: string }): { message: string } {
  return act((tx) => {
    const added = addCoordinator({ cohortId: scope.cohort.id, email }, tx);
    audit({ actor: scope.actor, cohortId: scope.cohort.id, action: "add-coordinator", subject: added }, tx);
    return { message: `${added.name} now coordinates this cohort too.` };
  });
}

/** One more attempt at a quiz that limits them. */
export function grantLearnerAttempt(scope: Scope, { learnerId, module }: { learnerId: string; module: string }): { message: string } {
  return act((tx) => {
    const learner = cohortLearner({ cohortId: scope.cohort.id, userId: learnerId }, tx);
    const allowed = grantAttempt({ userId: learner.id, slug: module }, tx);
    audit(
      { actor: scope.actor, cohortId: scope.cohort.id, action: "grant-attempt", subject: learner, detail: `${module}: now ${allowed} attempts allowed` },
      tx,
    );
    return { message: `${learner.name} may now make ${allowed} attempts at this quiz.` };
  });
}

/**
 * Removes a learner and every record about them (the foreign keys cascade from users); the audit
 * log keeps who deleted whom, by the name they had. Returns the id of the audit entry that records
 * the deletion: the cohort page confirms it by that id, never by text from the URL.
 */
export function deleteLearner(scope: Scope, { learnerId }: { learnerId: string }): number {
  return act((tx) => {
    const member = getMember({ cohortId: scope.cohort.id, userId: learnerId }, tx);
    if (!member || member.role !== "learner") throw new DomainError("Only a learner of this cohort can be deleted here.");
    const entryId = audit({ actor: scope.actor, cohortId: scope.cohort.id, action: "delete-learner", subject: member }, tx);
    tx.delete(signInFailures).where(and(eq(signInFailures.scope, "account"), eq(signInFailures.key, member.email.toLowerCase()))).run();
    tx.delete(users).where(eq(users.id, member.id)).run();
    return entryId;
  });
}

/**
 * Takes an inappropriate peer review out: it no longer counts toward the learner's result (which is
 * recomputed, with their mastery) nor shows to them; staff still see it, marked as removed. The
 * reason is kept in the audit entry, whose subject is the reviewer.
 */
export function removePeerReview(
  scope: Scope,
  { submissionId, reviewId, reason, now = new Date() }: { submissionId: string; reviewId: string; reason: string; now?: Date },
): { message: string } {
  return act((tx) => {
    const row = tx
      .select({ review: exerciseReviews, submission: exerciseSubmissions })
      .from(exerciseReviews)
      .innerJoin(exerciseSubmissions, eq(exerciseSubmissions.id, exerciseReviews.submissionId))
      .where(and(eq(exerciseReviews.id, reviewId), eq(exerciseReviews.submissionId, submissionId), eq(exerciseReviews.kind, "peer")))
      .get();
    if (!row?.review.completedAt) throw new NotFound("There is no such review.");
    const author = cohortLearner({ cohortId: scope.cohort.id, userId: row.submission.userId }, tx);
    if (row.review.removedAt) throw new DomainError("This review was already removed.");
    tx.update(exerciseReviews).set({ removedAt: now, removedBy: scope.actor.id }).where(eq(exerciseReviews.id, reviewId)).run();
    const reviewer = row.review.reviewerId
      ? tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, row.review.reviewerId)).get()
      : undefined;
    audit(
      {
        actor: scope.actor,
        cohortId: scope.cohort.id,
        action: "remove-review",
        subject: reviewer ?? null,
        detail: `${row.submission.moduleSlug}: review of ${author.name}'s exercise; reason: ${reason}`,
      },
      tx,
    );
    refreshLearner(tx, author.id);
    return { message: `The review is removed: it no longer counts toward ${author.name}'s result, nor shows to them.` };
  });
}
