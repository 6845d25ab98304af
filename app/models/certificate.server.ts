import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { courseEstimatedMinutes } from "~/content/course.server";
import { certificates } from "~/db/schema";
import type { Queryable } from "./user.server";

export type Certificate = typeof certificates.$inferSelect;

/**
 * The study time a certificate states, from the course's estimate: whole hours (half an hour
 * rounds up), or minutes for a course shorter than an hour.
 */
export function studyTimeLabel(minutes = courseEstimatedMinutes()): string {
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} of study`;
  const hours = Math.round(minutes / 60);
  return `${hours} hour${hours === 1 ? "" : "s"} of study`;
}

export function certificateFor(userId: string): Certificate | undefined {
  return getDb().select().from(certificates).where(eq(certificates.userId, userId)).get();
}

/** What the public verification page may say: whether the code is a valid, unrevoked certificate. */
export function verifyCertificate(code: string): { status: "valid"; learnerName: string; courseTitle: string; completedAt: Date } | { status: "revoked" | "unknown" } {
  const normalized = code.trim().toUpperCase();
  const row = getDb().select().from(certificates).where(eq(certificates.code, normalized)).get();
  if (!row) return { status: "unknown" };
  if (row.revokedAt) return { status: "revoked" };
  return { status: "valid", learnerName: row.learnerName, courseTitle: row.courseTitle, completedAt: row.completedAt };
}

export function revokeCertificate({ userId }: { userId: string }, q: Queryable = getDb()): boolean {
  return (
    q
      .update(certificates)
      .set({ revokedAt: new Date() })
      .where(and(eq(certificates.userId, userId), isNull(certificates.revokedAt)))
      .run().changes === 1
  );
}
