import { and, eq, gt, isNull } from "drizzle-orm";
import { hashPassword, passwordProblem } from "~/auth/password.server";
import { randomToken, sha256 } from "~/auth/tokens.server";
import { getDb } from "~/db/client.server";
import { passwordResets, sessions, trustedDevices, users, type User } from "~/db/schema";
import { DomainError } from "./errors.server";
import type { Queryable } from "./user.server";

export const RESET_HOURS = 72;

export function resetPath(token: string): string {
  return `/reset/${token}`;
}

/** A one-time link to set a new password; any earlier unused link of the person stops working. */
export function createPasswordReset(
  { userId, hours = RESET_HOURS }: { userId: string; hours?: number },
  q: Queryable = getDb(),
): {
  token: string;
  expiresAt: Date;
} {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + hours * 3_600_000);
  // Inside a caller's transaction this nests as a savepoint.
  q.transaction((tx) => {
    tx.delete(passwordResets).where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt))).run();
    tx.insert(passwordResets).values({ tokenHash: sha256(token), userId, expiresAt }).run();
  });
  return { token, expiresAt };
}

export function lookupPasswordReset(token: string): Pick<User, "id" | "email" | "name"> | undefined {
  return getDb()
    .select({ id: users.id, email: users.email, name: users.name })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(
      and(
        eq(passwordResets.tokenHash, sha256(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, new Date()),
        isNull(users.deactivatedAt),
      ),
    )
    .get();
}

export const RESET_UNAVAILABLE =
  "This password link is not valid any more: it was used, replaced by a newer one, or has expired. Ask your course coordinator for a new one.";

/** Sets the new password, signs the person out everywhere and forgets their trusted devices, consuming the token exactly once. */
export async function resetPassword({ token, password }: { token: string; password: string }): Promise<User> {
  const target = lookupPasswordReset(token);
  if (!target) throw new DomainError(RESET_UNAVAILABLE);
  const problem = passwordProblem(password, [target.email, target.name]);
  if (problem) throw new DomainError(problem, "password");
  const passwordHash = await hashPassword(password);
  return getDb().transaction(
    (tx) => {
      const now = new Date();
      const consumed = tx
        .update(passwordResets)
        .set({ usedAt: now })
        .where(
          and(
            eq(passwordResets.tokenHash, sha256(token)),
            isNull(passwordResets.usedAt),
            gt(passwordResets.expiresAt, now),
          ),
        )
        .run();
      if (consumed.changes !== 1) throw new DomainError(RESET_UNAVAILABLE);
      const user = tx.update(users).set({ passwordHash }).where(eq(users.id, target.id)).returning().get();
      tx.delete(sessions).where(eq(sessions.userId, target.id)).run();
      // A reset is a rescue: whoever held the account's browsers must not keep their throttle pass.
      tx.delete(trustedDevices).where(eq(trustedDevices.userId, target.id)).run();
      return user;
    },
    { behavior: "immediate" },
  );
}
