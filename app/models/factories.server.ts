// Shared by the demo seed and the tests, so demo data and test data cannot drift apart.
import { randomBytes } from "node:crypto";
import { hashPassword } from "~/auth/password.server";
import { getDb } from "~/db/client.server";
import { cohortMemberships, type Cohort, type Role, type User } from "~/db/schema";
import { insertCohort } from "./cohort.server";
import { exerciseFor, saveInstructorReview, selfAssess, submitExercise, type Submission } from "./exercise.server";
import { insertUser, type Queryable } from "./user.server";

function suffix() {
  return randomBytes(4).toString("hex");
}

export interface UserFactoryInput {
  email?: string;
  name?: string;
  role?: Role;
  country?: string | null;
  /** Either a plain password (hashed here) or a precomputed hash (fast bulk seeding). */
  password?: string;
  passwordHash?: string | null;
  cohortId?: number;
  isDemo?: boolean;
}

export async function makeUser(input: UserFactoryInput = {}): Promise<User> {
  const passwordHash =
    input.passwordHash !== undefined ? input.passwordHash : input.password ? await hashPassword(input.password) : null;
  return makeUserSync({ ...input, passwordHash });
}

export function makeUserSync(
  input: UserFactoryInput & { passwordHash: string | null },
  q: Queryable = getDb(),
): User {
  const s = suffix();
  const role = input.role ?? "learner";
  // Inside a caller's transaction this nests as a savepoint.
  return q.transaction((tx) => {
    const user = insertUser(tx, {
      email: input.email ?? `${role}-${s}@example.test`,
      name: input.name ?? `Test ${role} ${s}`,
      role,
      country: input.country === undefined ? "UY" : input.country,
      passwordHash: input.passwordHash,
      isDemo: input.isDemo,
    });
    if (input.cohortId !== undefined) {
      tx.insert(cohortMemberships).values({ userId: user.id, cohortId: input.cohortId, role }).run();
    }
    return user;
  });
}

export function makeCohort(
  input: { slug?: string; name?: string; edition?: string | null; coordinatorId?: string | null } = {},
  q: Queryable = getDb(),
): Cohort {
  const s = suffix();
  return q.transaction((tx) =>
    insertCohort(tx, {
      slug: input.slug ?? `cohort-${s}`,
      name: input.name ?? `Cohort ${s}`,
      edition: input.edition ?? null,
      coordinatorId: input.coordinatorId ?? null,
    }),
  );
}

/** `n` distinct words: text within an exercise task's word limits. */
export function words(n: number): string {
  return Array.from({ length: n }, (_, i) => `word${i}`).join(" ");
}

/**
 * A learner's exercise for a module submitted (each task at its minimum word count), self-assessed
 * when the exercise asks for it, and, given instructor levels, reviewed by a new instructor: its
 * criteria's results are then mastery evidence for their objectives, through the write model.
 */
export function makeExerciseResult({
  userId,
  slug,
  self,
  instructor,
  now = new Date(),
}: {
  userId: string;
  slug: string;
  self?: Record<string, number>;
  instructor?: Record<string, number>;
  now?: Date;
}): Submission {
  const exercise = exerciseFor(userId, slug);
  const submission = submitExercise({ userId, slug, texts: Object.fromEntries(exercise.tasks.map((t) => [t.id, words(t.minWords)])), now });
  if (exercise.review.self) {
    selfAssess({ userId, slug, levels: self ?? Object.fromEntries(exercise.rubric.map((c) => [c.id, Math.max(...c.levels.map((l) => l.score))])), now });
  }
  if (instructor) {
    const staff = makeUserSync({ role: "instructor", passwordHash: null });
    saveInstructorReview({ staffId: staff.id, submissionId: submission.id, levels: instructor, now });
  }
  return submission;
}
