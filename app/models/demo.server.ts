import { and, eq, notExists } from "drizzle-orm";
import { hashPassword } from "~/auth/password.server";
import { getDb } from "~/db/client.server";
import { cohortMemberships, cohorts, users, type Role } from "~/db/schema";
import { getPublicExercise } from "~/content/course.server";
import { DEMO_PEERS } from "./demo-exercises.server";
import { selfAssess, submitExercise } from "./exercise.server";
import { makeCohort, makeUserSync } from "./factories.server";
import { countUsers } from "./user.server";

export const DEMO_COHORT_SLUG = "demo-cohort";

// Listed in the README. They exist only in demo mode: production refuses to start while they do.
export const DEMO_ACCOUNTS: { role: Role; email: string; name: string; password: string }[] = [
  { role: "coordinator", email: "coordinator@example.org", name: "Carmen Coordinator", password: "Demo-Coordinator-2026" },
  { role: "instructor", email: "instructor@example.org", name: "Ines Instructor", password: "Demo-Instructor-2026" },
  { role: "learner", email: "learner@example.org", name: "Lucas Learner", password: "Demo-Learner-2026" },
];

/** Seeds the demo cohort and accounts into an empty database; returns whether it did. */
export async function seedDemoIfEmpty(): Promise<boolean> {
  if (countUsers() > 0) return false;
  const hashes = await Promise.all(DEMO_ACCOUNTS.map((a) => hashPassword(a.password)));
  const account = (role: Role) => {
    const i = DEMO_ACCOUNTS.findIndex((a) => a.role === role);
    const a = DEMO_ACCOUNTS[i];
    if (!a) throw new Error(`No demo ${role}`);
    return { email: a.email, name: a.name, role, passwordHash: hashes[i] ?? null, isDemo: true };
  };
  const cohortId = getDb().transaction((tx) => {
    const coordinator = makeUserSync(account("coordinator"), tx);
    const cohort = makeCohort(
      { slug: DEMO_COHORT_SLUG, name: "Demo cohort", edition: "uruguay", coordinatorId: coordinator.id },
      tx,
    );
    makeUserSync({ ...account("instructor"), cohortId: cohort.id }, tx);
    makeUserSync({ ...account("learner"), cohortId: cohort.id }, tx);
    return cohort.id;
  });
  seedDemoPeers(cohortId);
  return true;
}

const DEMO_EXERCISE_SLUG = "threats-and-threat-actors";

/**
 * Two peers (who cannot sign in) with submitted module 1 exercises, so that the demo learner has
 * texts to review and the demo instructor a queue. Skipped for a course without that exercise.
 */
function seedDemoPeers(cohortId: number) {
  const exercise = getPublicExercise(DEMO_EXERCISE_SLUG);
  if (!exercise || !exercise.tasks.every((t) => DEMO_PEERS.every((p) => t.id in p.texts))) return;
  DEMO_PEERS.forEach((peer, i) => {
    const user = makeUserSync({ email: peer.email, name: peer.name, role: "learner", passwordHash: null, isDemo: true, cohortId });
    submitExercise({ userId: user.id, slug: DEMO_EXERCISE_SLUG, texts: peer.texts, now: new Date(Date.now() - (2 - i) * 3_600_000) });
    if (exercise.review.self) {
      const levels = Object.fromEntries(exercise.rubric.map((c) => [c.id, c.levels[c.levels.length - 1 - i]!.score]));
      selfAssess({ userId: user.id, slug: DEMO_EXERCISE_SLUG, levels });
    }
  });
}

/** Deletes the demo accounts, and the demo cohort if no real member is left in it. */
export function removeDemoData(): number {
  return getDb().transaction((tx) => {
    const removed = tx.delete(users).where(eq(users.isDemo, true)).run().changes;
    tx.delete(cohorts)
      .where(
        and(
          eq(cohorts.slug, DEMO_COHORT_SLUG),
          notExists(tx.select().from(cohortMemberships).where(eq(cohortMemberships.cohortId, cohorts.id))),
        ),
      )
      .run();
    return removed;
  });
}
