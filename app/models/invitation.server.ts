import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { hashPassword, passwordProblem } from "~/auth/password.server";
import { attemptSucceeded, reserveAttempt, throttledMessage } from "~/auth/throttle.server";
import { randomToken, sha256 } from "~/auth/tokens.server";
import { getDb } from "~/db/client.server";
import { cohortMemberships, cohorts, invitations, users, type Cohort, type Invitation, type Role, type User } from "~/db/schema";
import { DEFAULT_INVITATION_DAYS, MAX_INVITATIONS_AT_ONCE } from "~/lib/rules";
import { PAGE_SIZE, type Page } from "./cohort.server";
import { DomainError, TooManyAttempts } from "./errors.server";
import { findUserByEmail, insertUser, normalizeEmail, type Queryable } from "./user.server";


export type InvitationStatus = "pending" | "used" | "expired" | "revoked";

export function invitationStatus(inv: Pick<Invitation, "usedAt" | "revokedAt" | "expiresAt">, now = Date.now()): InvitationStatus {
  if (inv.usedAt) return "used";
  if (inv.revokedAt) return "revoked";
  if (inv.expiresAt.getTime() <= now) return "expired";
  return "pending";
}

export function invitationPath(code: string): string {
  return `/join/${code}`;
}

/** Creates `count` single-use codes; only their hashes are stored, so the codes are returned once. */
export function createInvitations({
  cohortId,
  role,
  count = 1,
  email = null,
  expiresDays = DEFAULT_INVITATION_DAYS,
  createdBy,
}: {
  cohortId: number;
  role: Role;
  count?: number;
  email?: string | null;
  expiresDays?: number;
  createdBy: string | null;
}, q: Queryable = getDb()): { codes: string[]; expiresAt: Date } {
  if (!Number.isInteger(count) || count < 1 || count > MAX_INVITATIONS_AT_ONCE) {
    throw new DomainError(`Create between 1 and ${MAX_INVITATIONS_AT_ONCE} invitations at a time.`, "count");
  }
  if (email && count !== 1) {
    throw new DomainError("An invitation bound to an email address is for one person: set the number to 1.", "count");
  }
  const expiresAt = new Date(Date.now() + expiresDays * 86_400_000);
  const codes = Array.from({ length: count }, () => randomToken());
  // One statement: all the codes are stored, or none.
  q.insert(invitations)
    .values(
      codes.map((code) => ({
        codeHash: sha256(code),
        cohortId,
        role,
        email: email ? normalizeEmail(email) : null,
        expiresAt,
        createdBy,
      })),
    )
    .run();
  return { codes, expiresAt };
}

export interface InvitationRow {
  id: number;
  role: Role;
  email: string | null;
  createdAt: Date;
  expiresAt: Date;
  status: InvitationStatus;
  usedByName: string | null;
}

/** Newest first, a page at a time. */
export function listInvitations({ cohortId, page = 1 }: { cohortId: number; page?: number }): Page<InvitationRow> {
  const now = Date.now();
  const db = getDb();
  const total =
    db.select({ n: sql<number>`count(*)` }).from(invitations).where(eq(invitations.cohortId, cohortId)).get()?.n ?? 0;
  const rows = db
    .select({ invitation: invitations, usedByName: users.name })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.usedBy))
    .where(eq(invitations.cohortId, cohortId))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * PAGE_SIZE)
    .all()
    .map(({ invitation, usedByName }) => ({
      id: invitation.id,
      role: invitation.role,
      email: invitation.email,
      createdAt: invitation.createdAt,
      expiresAt: invitation.expiresAt,
      status: invitationStatus(invitation, now),
      usedByName,
    }));
  return { rows, total };
}

/** Revokes a pending invitation of this cohort; false when there was none to revoke. */
export function revokeInvitation({ cohortId, invitationId }: { cohortId: number; invitationId: number }, q: Queryable = getDb()): boolean {
  const result = q
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invitations.id, invitationId),
        eq(invitations.cohortId, cohortId),
        isNull(invitations.usedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .run();
  return result.changes === 1;
}

export type InvitationLookup =
  | { status: "pending"; invitation: Invitation; cohort: Cohort }
  | { status: Exclude<InvitationStatus, "pending"> | "unknown" };

export function lookupInvitation(code: string): InvitationLookup {
  const row = getDb()
    .select({ invitation: invitations, cohort: cohorts })
    .from(invitations)
    .innerJoin(cohorts, eq(cohorts.id, invitations.cohortId))
    .where(eq(invitations.codeHash, sha256(code)))
    .get();
  if (!row) return { status: "unknown" };
  const status = invitationStatus(row.invitation);
  if (status !== "pending") return { status };
  return { status, invitation: row.invitation, cohort: row.cohort };
}

export interface Registration {
  code: string;
  name: string;
  email: string;
  password: string;
  country: string;
  /** The client's address: registrations that fail count against it, as failed sign-ins do. */
  ip: string;
}

/**
 * Said when the address already has an account. Never "this address has an account": the answer
 * costs the invitation (each link probes one address, once) and counts against the client's
 * address, so an invitation cannot be used to find out who has an account.
 */
export const REGISTRATION_REFUSED =
  "No account was created, and this invitation is now used. If you already have an account, sign in with it; otherwise ask your course coordinator for a new invitation.";

/**
 * Creates the account an invitation allows. The code is consumed by a conditional UPDATE in the
 * same immediate transaction as the user and membership inserts, so two simultaneous uses
 * (even from two processes on one file) make exactly one account, and a failure leaves no rows
 * (but for the consumed code when the address already has an account: see REGISTRATION_REFUSED).
 */
export async function redeemInvitation(input: Registration): Promise<User> {
  const found = lookupInvitation(input.code);
  if (found.status !== "pending") throw new DomainError(invitationUnavailableMessage(found.status));
  const email = normalizeEmail(input.email);
  if (found.invitation.email && found.invitation.email !== email) {
    throw new DomainError("This invitation is for a different email address.", "email");
  }
  const problem = passwordProblem(input.password, [email, input.name]);
  if (problem) throw new DomainError(problem, "password");

  const reserved = reserveAttempt({ accountKey: null, ip: input.ip, device: null });
  if (!reserved.ok) throw new TooManyAttempts(throttledMessage(reserved.retryAfter), reserved.retryAfter);

  // Slow work first: nothing may be awaited inside a better-sqlite3 transaction.
  const passwordHash = await hashPassword(input.password);

  const outcome = getDb().transaction(
    (tx) => {
      const now = new Date();
      const consumed = tx
        .update(invitations)
        .set({ usedAt: now })
        .where(
          and(
            eq(invitations.id, found.invitation.id),
            isNull(invitations.usedAt),
            isNull(invitations.revokedAt),
            gt(invitations.expiresAt, now),
          ),
        )
        .run();
      if (consumed.changes !== 1) throw new DomainError(invitationUnavailableMessage("used"));
      // The code stays consumed (committed) when the address is taken.
      if (findUserByEmail(email, tx)) return null;
      const user = insertUser(tx, {
        email,
        name: input.name,
        role: found.invitation.role,
        country: input.country,
        passwordHash,
      });
      tx.update(invitations).set({ usedBy: user.id }).where(eq(invitations.id, found.invitation.id)).run();
      tx.insert(cohortMemberships)
        .values({ userId: user.id, cohortId: found.invitation.cohortId, role: found.invitation.role })
        .run();
      return user;
    },
    { behavior: "immediate" },
  );
  if (!outcome) throw new DomainError(REGISTRATION_REFUSED);
  attemptSucceeded(reserved.reservation, { accountKey: null, ip: input.ip, device: null });
  return outcome;
}

export function invitationUnavailableMessage(status: Exclude<InvitationStatus, "pending"> | "unknown"): string {
  switch (status) {
    case "used":
      return "This invitation has already been used. Each invitation creates one account; if it is yours, sign in instead.";
    case "expired":
      return "This invitation has expired. Ask your course coordinator for a new one.";
    case "revoked":
      return "This invitation has been withdrawn by the course coordinator. Ask them for a new one if you still need access.";
    default:
      return "This invitation link is not valid. Check that you copied the whole link, or ask your course coordinator for a new one.";
  }
}
