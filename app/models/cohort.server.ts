import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { editionName } from "~/content/course.server";
import { cachedAll, getDb } from "~/db/client.server";
import { certificates, cohortMemberships, cohorts, invitations, users, type Cohort, type Role } from "~/db/schema";
import { DomainError, isUniqueViolation } from "./errors.server";
import { findUserByEmail, type Queryable } from "./user.server";

export const cohortFields = {
  slug: z
    .string()
    .trim()
    .min(2, "Use at least 2 characters.")
    .max(60, "Use at most 60 characters.")
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single hyphens (e.g. montevideo-2026)."),
  name: z.string().trim().min(2, "Give the cohort a name.").max(120, "Use at most 120 characters."),
};

export function insertCohort(
  q: Queryable,
  data: { slug: string; name: string; edition: string | null; coordinatorId: string | null },
): Cohort {
  let cohort: Cohort;
  try {
    cohort = q
      .insert(cohorts)
      .values({ slug: data.slug, name: data.name, edition: data.edition, createdBy: data.coordinatorId })
      .returning()
      .get();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("A cohort with this slug already exists.", "slug");
    throw error;
  }
  if (data.coordinatorId) {
    q.insert(cohortMemberships)
      .values({ userId: data.coordinatorId, cohortId: cohort.id, role: "coordinator" })
      .run();
  }
  return cohort;
}

/** Whoever creates a cohort coordinates it. */
export function createCohort(data: { slug: string; name: string; edition: string | null; coordinatorId: string | null }) {
  return getDb().transaction((tx) => insertCohort(tx, data));
}

export interface CohortSummary {
  id: number;
  slug: string;
  name: string;
  edition: string | null;
  createdAt: Date;
  learners: number;
  pendingInvitations: number;
}

export function listCoordinatedCohorts(userId: string): CohortSummary[] {
  const db = getDb();
  return db
    .select({
      id: cohorts.id,
      slug: cohorts.slug,
      name: cohorts.name,
      edition: cohorts.edition,
      createdAt: cohorts.createdAt,
      learners: sql<number>`(select count(*) from ${cohortMemberships} m where m.cohort_id = ${cohorts.id} and m.role = 'learner')`,
      pendingInvitations: sql<number>`(select count(*) from ${invitations} i where i.cohort_id = ${cohorts.id}
        and i.used_at is null and i.revoked_at is null and i.expires_at > ${Date.now()})`,
    })
    .from(cohorts)
    .innerJoin(cohortMemberships, eq(cohortMemberships.cohortId, cohorts.id))
    .where(and(eq(cohortMemberships.userId, userId), eq(cohortMemberships.role, "coordinator")))
    .orderBy(asc(cohorts.name))
    .all();
}

/** The cohort, named by slug (or numeric id), if this user coordinates it. */
export function getCoordinatedCohort({ cohort, userId }: { cohort: string | number; userId: string }): Cohort | undefined {
  const key = String(cohort);
  return getDb()
    .select({ cohort: cohorts })
    .from(cohorts)
    .innerJoin(cohortMemberships, eq(cohortMemberships.cohortId, cohorts.id))
    .where(
      and(
        /^\d+$/.test(key) ? eq(cohorts.id, Number(key)) : eq(cohorts.slug, key),
        eq(cohortMemberships.userId, userId),
        eq(cohortMemberships.role, "coordinator"),
      ),
    )
    .get()?.cohort;
}

export function findCohortBySlug(slug: string): Cohort | undefined {
  return getDb().select().from(cohorts).where(eq(cohorts.slug, slug)).get();
}

export interface Member {
  id: string;
  name: string;
  email: string;
  role: Role;
  country: string | null;
  deactivatedAt: Date | null;
  joinedAt: Date;
  certificateCode: string | null;
  certificateRevokedAt: Date | null;
}

export interface Page<T> {
  rows: T[];
  total: number;
}

export const PAGE_SIZE = 50;

const memberColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: cohortMemberships.role,
  country: users.country,
  deactivatedAt: users.deactivatedAt,
  joinedAt: cohortMemberships.createdAt,
  certificateCode: certificates.code,
  certificateRevokedAt: certificates.revokedAt,
};

/** Coordinators first, then instructors and learners, each by name; a page at a time. */
export function listMembers({ cohortId, page = 1 }: { cohortId: number; page?: number }): Page<Member> {
  const db = getDb();
  const total =
    db.select({ n: sql<number>`count(*)` }).from(cohortMemberships).where(eq(cohortMemberships.cohortId, cohortId)).get()
      ?.n ?? 0;
  const rows = db
    .select(memberColumns)
    .from(cohortMemberships)
    .innerJoin(users, eq(users.id, cohortMemberships.userId))
    .leftJoin(certificates, eq(certificates.userId, users.id))
    .where(eq(cohortMemberships.cohortId, cohortId))
    .orderBy(
      sql`case ${cohortMemberships.role} when 'coordinator' then 0 when 'instructor' then 1 else 2 end`,
      asc(users.name),
      asc(users.id),
    )
    .limit(PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * PAGE_SIZE)
    .all();
  return { rows, total };
}

export function getMember({ cohortId, userId }: { cohortId: number; userId: string }, q: Queryable = getDb()): Member | undefined {
  return q
    .select(memberColumns)
    .from(cohortMemberships)
    .innerJoin(users, eq(users.id, cohortMemberships.userId))
    .leftJoin(certificates, eq(certificates.userId, users.id))
    .where(and(eq(cohortMemberships.cohortId, cohortId), eq(cohortMemberships.userId, userId)))
    .get();
}

/**
 * Adds an existing coordinator account to the cohort's coordinators. A coordinator may learn who
 * the platform's coordinators are, not who else has an account: no account, a deactivated one
 * and a learner's or instructor's all get the same answer.
 */
export function addCoordinator({ cohortId, email }: { cohortId: number; email: string }, q: Queryable = getDb()) {
  const user = findUserByEmail(email, q);
  if (!user || user.deactivatedAt || user.role !== "coordinator") {
    throw new DomainError(
      "No active coordinator account has this email address. Send an invitation with the coordinator role instead.",
      "email",
    );
  }
  const result = q
    .insert(cohortMemberships)
    .values({ userId: user.id, cohortId, role: "coordinator" })
    .onConflictDoNothing()
    .run();
  if (result.changes === 0) throw new DomainError("This person already coordinates the cohort.", "email");
  return user;
}


/**
 * A cohort as people see it named: its name and its edition, once. A name that already says the
 * edition (as older demo databases' "Demo cohort (Uruguay edition)" does) is not extended again.
 */
export function cohortLabel(cohort: Pick<Cohort, "name" | "edition">): string {
  const edition = editionName(cohort.edition);
  if (!edition) return cohort.name;
  const suffix = `${edition} edition`;
  return cohort.name.toLowerCase().includes(suffix.toLowerCase()) ? cohort.name : `${cohort.name} (${suffix})`;
}

/** Every cohort the user belongs to, in any role. */
export function listUserCohorts(userId: string): Pick<Cohort, "id" | "name" | "edition">[] {
  // On every learner's dashboard: through the statement cache.
  return cachedAll<Pick<Cohort, "id" | "name" | "edition">>(sql`
    select c.id, c.name, c.edition from cohort_memberships m join cohorts c on c.id = m.cohort_id
    where m.user_id = ${userId} order by c.name`);
}
