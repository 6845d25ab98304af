import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { hashPassword, passwordProblem } from "~/auth/password.server";
import { checkPassword, throttledMessage } from "~/auth/throttle.server";
import { randomId } from "~/auth/tokens.server";
import { getDb, type DB } from "~/db/client.server";
import { nameProblem, normalizeName } from "~/lib/names";
import { cohortMemberships, passwordResets, sessions, trustedDevices, users, type Role, type User } from "~/db/schema";
import { DomainError, isUniqueViolation, TooManyAttempts } from "./errors.server";

type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];
export type Queryable = DB | Tx;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserByEmail(email: string, q: Queryable = getDb()): User | undefined {
  return q
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${normalizeEmail(email)}`)
    .get();
}

export function getUserById(id: string): User | undefined {
  return getDb().select().from(users).where(eq(users.id, id)).get();
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  country?: string | null;
  /** Precomputed, so that callers hash outside transactions and seeding can reuse one hash. */
  passwordHash: string | null;
  isDemo?: boolean;
}

/** The stored form of a person's name; a name the rule refuses raises a DomainError. */
function storedName(raw: string): string {
  const name = normalizeName(raw);
  const problem = nameProblem(name);
  if (problem) throw new DomainError(problem, "name");
  return name;
}

/** Synchronous insert, for use inside a transaction. Duplicate emails (any case) raise a DomainError. */
export function insertUser(q: Queryable, data: NewUser): User {
  const name = storedName(data.name);
  try {
    return q
      .insert(users)
      .values({
        id: randomId(),
        email: normalizeEmail(data.email),
        name,
        role: data.role,
        country: data.country ?? null,
        passwordHash: data.passwordHash,
        isDemo: data.isDemo ?? false,
      })
      .returning()
      .get();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError("An account with this email address already exists.", "email");
    }
    throw error;
  }
}

export function updateUserName({ userId, name }: { userId: string; name: string }) {
  getDb().update(users).set({ name: storedName(name) }).where(eq(users.id, userId)).run();
}

/**
 * Changes a password after checking the current one (under the sign-in throttle: a session alone
 * must not be a way to guess), and signs out every other session and forgets every trusted
 * device (a stolen session or device must not survive the owner's password change).
 */
export async function changePassword({
  userId,
  currentSessionId,
  currentPassword,
  newPassword,
  ip,
  cookieHeader,
}: {
  userId: string;
  currentSessionId: string;
  currentPassword: string;
  newPassword: string;
  ip: string;
  cookieHeader: string | null;
}) {
  const user = getUserById(userId);
  if (!user) throw new DomainError("Your account no longer exists.");
  const check = await checkPassword({
    user,
    accountKey: normalizeEmail(user.email),
    password: currentPassword,
    ip,
    cookieHeader,
  });
  if (!check.ok && check.reason === "throttled") {
    throw new TooManyAttempts(throttledMessage(check.retryAfter), check.retryAfter);
  }
  if (!check.ok) throw new DomainError("Your current password is not correct.", "currentPassword");
  const problem = passwordProblem(newPassword, [user.email, user.name]);
  if (problem) throw new DomainError(problem, "newPassword");
  const passwordHash = await hashPassword(newPassword);
  getDb().transaction((tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
    tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, currentSessionId))).run();
    tx.delete(trustedDevices).where(eq(trustedDevices.userId, userId)).run();
  });
}

/**
 * Deactivation signs the person out everywhere at once and voids their unused password links
 * (one made before must not work again after a reactivation); their data stays.
 */
export function setUserActive({ userId, active }: { userId: string; active: boolean }, q: Queryable = getDb()) {
  // Inside a caller's transaction this nests as a savepoint.
  q.transaction((tx) => {
    tx.update(users)
      .set({ deactivatedAt: active ? null : new Date() })
      .where(eq(users.id, userId))
      .run();
    if (!active) {
      tx.delete(sessions).where(eq(sessions.userId, userId)).run();
      tx.delete(trustedDevices).where(eq(trustedDevices.userId, userId)).run();
      tx.delete(passwordResets).where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt))).run();
    }
  });
}

/** A new role also moves the person's cohort memberships to it. */
export function setUserRole({ userId, role }: { userId: string; role: Role }) {
  getDb().transaction((tx) => {
    if (role === "learner") {
      const memberships = tx
        .select({ cohortId: cohortMemberships.cohortId })
        .from(cohortMemberships)
        .where(eq(cohortMemberships.userId, userId))
        .all();
      if (memberships.length > 1) {
        throw new DomainError("A learner belongs to at most one cohort; this person is in several.");
      }
    }
    tx.update(users).set({ role }).where(eq(users.id, userId)).run();
    tx.update(cohortMemberships).set({ role }).where(eq(cohortMemberships.userId, userId)).run();
  });
}

export function listDemoUsers(): Pick<User, "id" | "email">[] {
  return getDb().select({ id: users.id, email: users.email }).from(users).where(eq(users.isDemo, true)).all();
}

export function countUsers(): number {
  return getDb().select({ n: sql<number>`count(*)` }).from(users).get()?.n ?? 0;
}
