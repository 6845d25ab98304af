// Exercise texts posted after the learner's session ended: kept under a random token (its hash in
// pending_drafts, the token in an HttpOnly cookie of that browser) and put back into the form once
// they have signed in again, the way quiz answers are (keepPendingAnswers in quiz.server.ts).
import { and, eq, gt, lte } from "drizzle-orm";
import { KEPT_SECONDS } from "~/auth/kept-forms.server";
import { randomToken, sha256 } from "~/auth/tokens.server";
import { getCourse, getPublicExercise } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import { pendingDrafts } from "~/db/schema";

/** The task ids any edition's exercise of the module has: without a session the edition is unknown. */
function taskIds(slug: string): Set<string> {
  const editions = getCourse().modules.find((m) => m.slug === slug)?.exercise?.editions ?? [];
  const ids = new Set<string>();
  for (const edition of [null, ...editions]) for (const task of getPublicExercise(slug, edition)?.tasks ?? []) ids.add(task.id);
  return ids;
}

/**
 * The row's key binds the token to the learner the form was shown to (the form says whose it is):
 * someone else signing in later on the same browser finds nothing, as with kept quiz answers.
 */
const keyOf = (learnerId: string, token: string) => sha256(`${learnerId}\n${token}`);

/**
 * Keeps the texts of an exercise form that arrived without a session, for 24 hours. Only a module
 * that has an exercise, only its tasks' fields, and only when something was written: a post from
 * nowhere writes nothing. Returns the token for the browser's cookie, or null when nothing was kept.
 */
export function keepPendingDrafts({
  slug,
  learnerId,
  texts,
  now = new Date(),
}: {
  slug: string;
  learnerId: string;
  texts: Record<string, string>;
  now?: Date;
}): string | null {
  const ids = taskIds(slug);
  const kept = Object.fromEntries(Object.entries(texts).filter(([id, text]) => ids.has(id) && text.trim() !== ""));
  if (Object.keys(kept).length === 0) return null;
  const token = randomToken();
  getDb().transaction(
    (tx) => {
      tx.delete(pendingDrafts).where(lte(pendingDrafts.expiresAt, now)).run();
      tx.insert(pendingDrafts)
        .values({ tokenHash: keyOf(learnerId, token), moduleSlug: slug, texts: kept, expiresAt: new Date(now.getTime() + KEPT_SECONDS.drafts * 1000) })
        .run();
    },
    { behavior: "immediate" },
  );
  return token;
}

/**
 * The texts kept under this token for this learner and module, used up as they are returned: they go
 * back into the form, not into the draft, so the learner decides whether to save them. Someone
 * else's, another module's or an expired token gives nothing.
 */
export function takePendingDrafts({
  token,
  userId,
  slug,
  now = new Date(),
}: {
  token: string;
  userId: string;
  slug: string;
  now?: Date;
}): Record<string, string> | null {
  const row = getDb()
    .delete(pendingDrafts)
    .where(and(eq(pendingDrafts.tokenHash, keyOf(userId, token)), eq(pendingDrafts.moduleSlug, slug), gt(pendingDrafts.expiresAt, now)))
    .returning({ texts: pendingDrafts.texts })
    .get();
  return row?.texts ?? null;
}
