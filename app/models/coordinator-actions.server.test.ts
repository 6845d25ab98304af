import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { auditLog, courseQuestionObjectives, courseSections, courseStructure, quizAnswers, sectionReads, users } from "~/db/schema";
import { audit, deletedLearnerName, listAudit } from "./audit.server";
import { getCoordinatedCohort } from "./cohort.server";
import { deleteLearner } from "./coordinator-actions.server";
import { makeCohort, makeUser } from "./factories.server";
import { markSectionRead } from "./progress.server";
import { allowedAttempts, attemptHistory, attemptsLeft, grantAttempt, openAttempt, submitAttempt } from "./quiz.server";
import { ensureCourseStructure } from "./structure.server";

function answer(userId: string, slug: string, answers: Record<string, string[]>) {
  const attempt = openAttempt({ userId, slug });
  return submitAttempt({ userId, slug, attemptId: attempt.id, answers: new Map(Object.entries(answers)) });
}

describe("course structure in the database", () => {
  it("mirrors the compiled course: sections per edition, questions and their objectives", () => {
    ensureCourseStructure();
    const db = getDb();
    const sections = db.select().from(courseSections).all();
    // Standard: alpha 4 + beta 2 + gamma 1; the Uruguay edition reads its own beta.
    expect(sections.filter((s) => s.edition === "").length).toBe(7);
    expect(sections.filter((s) => s.edition === "uruguay" && s.moduleSlug === "beta").map((s) => s.sectionId)).toEqual([
      "uruguay-fixtures-agencies",
      "coordination",
    ]);
    const q3 = db.select().from(courseQuestionObjectives).where(eq(courseQuestionObjectives.questionId, "q3")).all();
    expect(q3.map((o) => o.objectiveId).sort()).toEqual(["LO1", "LO2"]);
    expect(db.select().from(courseStructure).get()).toMatchObject({ masteryThreshold: 0.75, courseTitle: "Fixture course" });
  });
});

describe("coordinator actions", () => {
  it("grants another attempt at a limited quiz, and refuses one for an unlimited quiz", async () => {
    const cohort = makeCohort();
    const learner = await makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null });
    answer(learner.id, "beta", { q1: ["b"] });
    answer(learner.id, "beta", { q1: ["b"] });
    expect(attemptsLeft({ userId: learner.id, slug: "beta" })).toBe(0);
    expect(() => openAttempt({ userId: learner.id, slug: "beta" })).toThrow(/used all 2 attempts/);
    expect(grantAttempt({ userId: learner.id, slug: "beta" })).toBe(3);
    expect(allowedAttempts({ userId: learner.id, slug: "beta" })).toBe(3);
    answer(learner.id, "beta", { q1: ["a"] });
    expect(attemptHistory(learner.id).map((a) => [a.moduleSlug, a.number, a.passed, a.answers[0]!.chosen])).toEqual([
      ["beta", 1, false, ["A newspaper"]],
      ["beta", 2, false, ["A newspaper"]],
      ["beta", 3, true, ["The national CSIRT"]],
    ]);
    expect(() => grantAttempt({ userId: learner.id, slug: "alpha" })).toThrow(/unlimited/);
  });

  it("deletes a learner with every record, keeping the audit entry", async () => {
    const cohort = makeCohort();
    const coordinator = await makeUser({ role: "coordinator", cohortId: cohort.id, passwordHash: null });
    const learner = await makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null, name: "Del Eted" });
    markSectionRead({ userId: learner.id, slug: "alpha", sectionId: "introduction" });
    answer(learner.id, "alpha", { q1: ["a"], q2: ["a"], q3: ["true"] });
    const entryId = deleteLearner({ actor: coordinator, cohort }, { learnerId: learner.id });
    const db = getDb();
    expect(db.select().from(users).where(eq(users.id, learner.id)).get()).toBeUndefined();
    expect(db.select().from(sectionReads).where(eq(sectionReads.userId, learner.id)).all()).toEqual([]);
    expect(db.select().from(quizAnswers).where(eq(quizAnswers.userId, learner.id)).all()).toEqual([]);
    for (const table of ["learner_modules", "learner_stats", "latest_answers", "learner_objectives"]) {
      expect(db.get<{ n: number }>(sql`select count(*) as n from ${sql.raw(table)} where user_id = ${learner.id}`)!.n).toBe(0);
    }
    const { rows } = listAudit({ cohortId: cohort.id });
    expect(rows[0]).toMatchObject({ action: "delete-learner", actorName: coordinator.name, subjectName: "Del Eted", subjectId: learner.id });
    expect(rows[0]!.id).toBe(entryId);
  });

  it("confirms a deletion only with the name the audit log recorded, never text from the URL", async () => {
    const cohort = makeCohort();
    const other = makeCohort();
    const coordinator = await makeUser({ role: "coordinator", cohortId: cohort.id, passwordHash: null });
    const learner = await makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null, name: "Del Eted" });
    const entryId = deleteLearner({ actor: coordinator, cohort }, { learnerId: learner.id });
    expect(deletedLearnerName({ cohortId: cohort.id, entryId: String(entryId) })).toBe("Del Eted");
    expect(deletedLearnerName({ cohortId: other.id, entryId: String(entryId) })).toBeNull();
    const otherEntry = audit({ actor: coordinator, cohortId: cohort.id, action: "view-learner", subject: coordinator });
    for (const forged of ["Your account is suspended. Call +1 555 0100", String(otherEntry), "1e3", "-1", "", null]) {
      expect(deletedLearnerName({ cohortId: cohort.id, entryId: forged })).toBeNull();
    }
  });

  it("refuses to delete someone who is not a learner of the cohort, and writes nothing", async () => {
    const cohort = makeCohort();
    const other = makeCohort();
    const coordinator = await makeUser({ role: "coordinator", cohortId: cohort.id, passwordHash: null });
    const stranger = await makeUser({ role: "learner", cohortId: other.id, passwordHash: null });
    const before = getDb().select().from(auditLog).all().length;
    expect(() => deleteLearner({ actor: coordinator, cohort }, { learnerId: stranger.id })).toThrow(/Only a learner of this cohort/);
    expect(() => deleteLearner({ actor: coordinator, cohort }, { learnerId: coordinator.id })).toThrow(/Only a learner/);
    expect(getDb().select().from(users).where(eq(users.id, stranger.id)).get()).toBeDefined();
    expect(getDb().select().from(auditLog).all().length).toBe(before);
  });

  it("lets a coordinator open only the cohorts they coordinate", async () => {
    const mine = makeCohort();
    const theirs = makeCohort();
    const coordinator = await makeUser({ role: "coordinator", cohortId: mine.id, passwordHash: null });
    expect(getCoordinatedCohort({ cohort: mine.slug, userId: coordinator.id })?.id).toBe(mine.id);
    expect(getCoordinatedCohort({ cohort: theirs.slug, userId: coordinator.id })).toBeUndefined();
    expect(getCoordinatedCohort({ cohort: theirs.id, userId: coordinator.id })).toBeUndefined();
  });
});
