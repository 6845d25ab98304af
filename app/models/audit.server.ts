import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { auditLog } from "~/db/schema";
import type { Queryable } from "./user.server";

export type AuditAction =
  | "view-learner"
  | "export-learner"
  | "export-completion"
  | "export-mastery"
  | "export-attempts"
  | "export-xapi"
  | "export-exercises"
  | "invite"
  | "revoke-invitation"
  | "deactivate"
  | "reactivate"
  | "password-link"
  | "revoke-certificate"
  | "grant-attempt"
  | "delete-learner"
  | "add-coordinator"
  | "remove-review";

export const AUDIT_LABEL: Record<AuditAction, string> = {
  "view-learner": "Viewed a learner's record",
  "export-learner": "Exported a learner's data (JSON)",
  "export-completion": "Exported the completion CSV",
  "export-mastery": "Exported the mastery CSV",
  "export-attempts": "Exported the attempts CSV",
  "export-xapi": "Exported xAPI statements",
  "export-exercises": "Exported the exercises CSV",
  invite: "Created invitations",
  "revoke-invitation": "Revoked an invitation",
  deactivate: "Deactivated an account",
  reactivate: "Reactivated an account",
  "password-link": "Created a password link",
  "revoke-certificate": "Revoked a certificate",
  "grant-attempt": "Granted another quiz attempt",
  "delete-learner": "Deleted a learner and their records",
  "add-coordinator": "Added a coordinator",
  "remove-review": "Removed a peer review",
};

export interface AuditInput {
  actor: { id: string; name: string };
  cohortId: number | null;
  action: AuditAction;
  subject?: { id: string; name: string } | null;
  detail?: string | null;
}

/** Written in the caller's transaction when there is one, so an act and its record land together. Returns the entry's id. */
export function audit(input: AuditInput, q: Queryable = getDb()): number {
  return q
    .insert(auditLog)
    .values({
      at: new Date(),
      actorId: input.actor.id,
      actorName: input.actor.name,
      cohortId: input.cohortId,
      action: input.action,
      subjectId: input.subject?.id ?? null,
      subjectName: input.subject?.name ?? null,
      detail: input.detail ?? null,
    })
    .returning({ id: auditLog.id })
    .get().id;
}

/**
 * The name of the learner whose deletion the audit entry `entryId` (as a URL gives it) records
 * in this cohort, or null: the page confirming a deletion shows only what the server recorded.
 */
export function deletedLearnerName({ cohortId, entryId }: { cohortId: number; entryId: string | null }): string | null {
  if (!entryId || !/^[1-9]\d{0,14}$/.test(entryId)) return null;
  const id = Number(entryId);
  const row = getDb()
    .select({ name: auditLog.subjectName })
    .from(auditLog)
    .where(and(eq(auditLog.id, id), eq(auditLog.cohortId, cohortId), eq(auditLog.action, "delete-learner")))
    .get();
  return row?.name ?? null;
}

export const AUDIT_PAGE_SIZE = 50;

export function listAudit({ cohortId, page = 1, subjectId }: { cohortId: number; page?: number; subjectId?: string }) {
  const where = subjectId ? and(eq(auditLog.cohortId, cohortId), eq(auditLog.subjectId, subjectId)) : eq(auditLog.cohortId, cohortId);
  const db = getDb();
  const total = db.select({ n: sql<number>`count(*)` }).from(auditLog).where(where).get()?.n ?? 0;
  const rows = db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * AUDIT_PAGE_SIZE)
    .all();
  return { total, rows };
}
