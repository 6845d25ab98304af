// Issue 12 §4: criterion results count toward mastery beside quiz answers, and a required exercise
// toward completion. The fixture course: alpha's quiz (q1 LO1 = a; q2 LO2 = a+b; q3 LO1+LO2 =
// true) and its exercise (criteria analysis → LO1, levels 0–2, and action → LO2, levels 0–1; self,
// 2 peers, instructor; not required). A Uruguay cohort's learners do editions/uruguay.exercise.yml
// instead: the same criteria, self and instructor, no peers, required. Mastery threshold 0.75.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { certificates, moduleCompletions } from "~/db/schema";
import { certificateFor } from "./certificate.server";
import { completePeerReview, requestPeerReview, saveInstructorReview, selfAssess, submissionOf, submitExercise } from "./exercise.server";
import { makeCohort, makeExerciseResult, makeUser, makeUserSync, words } from "./factories.server";
import { objectiveMastery } from "./mastery.server";
import { courseProgress, markSectionRead, refreshLearner } from "./progress.server";
import { openAttempt, submitAttempt } from "./quiz.server";
import { cohortMastery, learnerRows, masteryCells, moduleCells } from "./report.server";
import { rebuildRollups } from "./rollups.server";

const ALPHA = ["introduction", "threats", "history", "practice"];
const TEXTS = { note: words(60), lines: words(25) };

function answer(userId: string, slug: string, answers: Record<string, string[]>) {
  const attempt = openAttempt({ userId, slug });
  return submitAttempt({ userId, slug, attemptId: attempt.id, answers: new Map(Object.entries(answers)) });
}

async function learnersOf(cohortId: number, n: number) {
  return Promise.all(Array.from({ length: n }, (_, i) => makeUser({ name: `Learner ${i}`, role: "learner", cohortId, passwordHash: null })));
}

/** The learner's own peer review: ask for the next submission and send the levels. */
function review(userId: string, levels: Record<string, number>) {
  const given = requestPeerReview({ userId, slug: "alpha" });
  if (!("reviewId" in given)) throw new Error(`no review to give: ${given.none}`);
  completePeerReview({ userId, reviewId: given.reviewId, levels, comment: null });
}

const alphaCell = (userId: string) => moduleCells({ userIds: [userId] }).find((c) => c.slug === "alpha")!;

describe("mastery with quiz answers and criterion results", () => {
  it("is the mean of the evidence, each result worth level ÷ highest; the peers' median counts until an instructor's level replaces it", async () => {
    const cohort = makeCohort();
    const [ana, ben, cy] = await learnersOf(cohort.id, 3);
    // Ana's quiz: q1 and q3 right (LO1 2 of 2), q2 wrong (LO2 1 of 2).
    answer(ana!.id, "alpha", { q1: ["a"], q2: ["a"], q3: ["true"] });
    const lo = () => new Map(objectiveMastery({ userId: ana!.id }).map((o) => [o.id, o]));
    // Two answers of the three that min(3, 2 questions + 1 criterion) asks for.
    expect(lo().get("LO1")).toMatchObject({ correct: 2, answered: 2, practical: 0, aligned: 3, state: "not-yet" });

    // Her own levels are formative: self-assessment adds no evidence.
    submitExercise({ userId: ana!.id, slug: "alpha", texts: TEXTS });
    selfAssess({ userId: ana!.id, slug: "alpha", levels: { analysis: 2, action: 1 } });
    expect(lo().get("LO1")).toMatchObject({ correct: 2, answered: 2, practical: 0 });

    // Two rounds of reviews, Ben always giving analysis 1 and action 1, Cy 2 and 0: the fewest-
    // reviews-then-oldest rule gives Ana's submission Ben's review in the first round, Cy's in the
    // second. One peer review of the two required is not a result yet.
    submitExercise({ userId: ben!.id, slug: "alpha", texts: TEXTS, now: new Date(Date.now() + 1000) });
    submitExercise({ userId: cy!.id, slug: "alpha", texts: TEXTS, now: new Date(Date.now() + 2000) });
    const levels = (u: { id: string }) => (u === cy ? { analysis: 2, action: 0 } : { analysis: 1, action: 1 });
    for (const u of [ben!, cy!, ana!]) review(u.id, levels(u));
    expect(lo().get("LO1")).toMatchObject({ answered: 2, practical: 0 });
    for (const u of [ben!, cy!]) review(u.id, levels(u));
    // The peers' median: analysis (1 + 2) / 2 = 1.5 of 2 → 0.75; action (1 + 0) / 2 = 0.5 of 1.
    // LO1 (1 + 1 + 0.75) / 3 = 0.9167 ≥ 0.75; LO2 (0 + 1 + 0.5) / 3 = 0.5.
    expect(lo().get("LO1")).toMatchObject({ correct: 2.75, answered: 3, practical: 1, state: "mastered" });
    expect(lo().get("LO2")).toMatchObject({ correct: 1.5, answered: 3, practical: 1, state: "not-yet" });
    expect(lo().get("LO3")).toMatchObject({ answered: 0, practical: 0, state: "not-assessed" });
    expect(alphaCell(ana!.id).exercise).toEqual({ required: false, status: "reviewed", done: true });

    // The instructor's level overrides the peers' median: analysis 0, action 1.
    const staff = makeUserSync({ role: "instructor", passwordHash: null });
    saveInstructorReview({ staffId: staff.id, submissionId: submissionOf(ana!.id, "alpha")!.id, levels: { analysis: 0, action: 1 } });
    expect(lo().get("LO1")).toMatchObject({ correct: 2, answered: 3, practical: 1, state: "not-yet" });
    expect(lo().get("LO2")).toMatchObject({ correct: 2, answered: 3, practical: 1, state: "not-yet" });
  });

  it("counts an exercise alone as practical evidence, and the roll-up, the learner's /progress data and the cohort report agree", async () => {
    const cohort = makeCohort();
    const [ana, ben, cleo] = await learnersOf(cohort.id, 3);
    // Ana: the quiz all right and a full exercise result (3 of 3 for LO1 and LO2).
    answer(ana!.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    makeExerciseResult({ userId: ana!.id, slug: "alpha", instructor: { analysis: 2, action: 1 } });
    // Ben: the exercise only, analysis 1 of 2: one piece of evidence of the three needed.
    makeExerciseResult({ userId: ben!.id, slug: "alpha", instructor: { analysis: 1, action: 1 } });
    // Cleo submits without a result yet.
    makeExerciseResult({ userId: cleo!.id, slug: "alpha" });

    const cells = masteryCells({ cohortId: cohort.id });
    const of = (userId: string) => cells.filter((c) => c.userId === userId).map((c) => [c.objectiveId, c.correct, c.answered, c.practical, c.state]);
    expect(of(ana!.id)).toEqual([["LO1", 3, 3, 1, "mastered"], ["LO2", 3, 3, 1, "mastered"], ["LO3", 0, 0, 0, "not-assessed"]]);
    expect(of(ben!.id)).toEqual([["LO1", 0.5, 1, 1, "not-yet"], ["LO2", 1, 1, 1, "not-yet"], ["LO3", 0, 0, 0, "not-assessed"]]);
    expect(of(cleo!.id).map((c) => c[4])).toEqual(["not-assessed", "not-assessed", "not-assessed"]);
    expect(cells.filter((c) => c.userId === cleo!.id).every((c) => c.practical === 0)).toBe(true);

    for (const learner of [ana!, ben!, cleo!]) {
      expect(objectiveMastery({ userId: learner.id }).map((o) => [o.id, o.correct, o.answered, o.practical, o.state])).toEqual(of(learner.id));
    }
    expect(cohortMastery(cohort.id).map((o) => [o.objectiveId, o.mastered, o.notYet, o.notAssessed, o.practical])).toEqual([
      ["LO1", 1, 1, 1, 2],
      ["LO2", 1, 1, 1, 2],
      ["LO3", 0, 0, 3, 0],
    ]);
    // A rebuild from the raw records gives the same figures.
    const before = { cells, cohort: cohortMastery(cohort.id) };
    rebuildRollups(getDb(), "all");
    expect(masteryCells({ cohortId: cohort.id })).toEqual(before.cells);
    expect(cohortMastery(cohort.id)).toEqual(before.cohort);
  });
});

describe("completion with a required exercise", () => {
  it("waits for the exercise submitted and self-assessed, not for its reviews, and counts it as a unit", async () => {
    const [user] = await learnersOf(makeCohort({ edition: "uruguay" }).id, 1);
    const userId = user!.id;
    // A Uruguay learner's units: alpha 4 sections + quiz + the required exercise, beta 2 + quiz, gamma 1.
    const UNITS = 10;
    for (const sectionId of ALPHA) markSectionRead({ userId, slug: "alpha", sectionId });
    answer(userId, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    expect(alphaCell(userId)).toMatchObject({ status: "in-progress", exercise: { required: true, status: "not-started", done: false } });
    expect(courseProgress({ userId }).fraction).toBeCloseTo(5 / UNITS);

    // Submitted: the exercise asks for a self-assessment, so not done yet.
    submitExercise({ userId, slug: "alpha", texts: TEXTS });
    expect(alphaCell(userId)).toMatchObject({ status: "in-progress", exercise: { required: true, status: "submitted", done: false } });
    expect(courseProgress({ userId }).fraction).toBeCloseTo(5 / UNITS);

    // Self-assessed: done, and alpha is completed without any review.
    selfAssess({ userId, slug: "alpha", levels: { analysis: 1, action: 1 } });
    expect(alphaCell(userId)).toMatchObject({ status: "completed", exercise: { required: true, status: "submitted", done: true } });
    expect(courseProgress({ userId }).fraction).toBeCloseTo(6 / UNITS);
    expect(learnerRows({ set: { userIds: [userId] } }).rows[0]!.progress).toBeCloseTo(6 / UNITS);
    expect(courseProgress({ userId }).modules.find((m) => m.slug === "alpha")!.status).toBe("completed");
  });

  it("issues a certificate that says which mastered objectives were shown in practice, as they were at issue", async () => {
    const [user] = await learnersOf(makeCohort().id, 1);
    const userId = user!.id;
    for (const sectionId of ALPHA) markSectionRead({ userId, slug: "alpha", sectionId });
    answer(userId, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    const submission = makeExerciseResult({ userId, slug: "alpha", instructor: { analysis: 2, action: 1 } });
    for (const sectionId of ["mapping-your-country", "coordination"]) markSectionRead({ userId, slug: "beta", sectionId });
    answer(userId, "beta", { q1: ["a"] });
    markSectionRead({ userId, slug: "gamma", sectionId: "only-section" });
    // LO3 is mastered from beta's quiz alone; LO1 and LO2 with the exercise's results.
    expect(certificateFor(userId)).toMatchObject({ objectivesMastered: ["LO1", "LO2", "LO3"], objectivesPractical: ["LO1", "LO2"] });
    // The /progress page's modules carry the exercise's status.
    expect(courseProgress({ userId }).modules.map((m) => [m.slug, m.exercise?.status ?? null])).toEqual([["alpha", "reviewed"], ["beta", null], ["gamma", null]]);
    // A later, lower result changes mastery, never the certificate issued.
    const staff = makeUserSync({ role: "instructor", passwordHash: null });
    saveInstructorReview({ staffId: staff.id, submissionId: submission.id, levels: { analysis: 0, action: 0 } });
    expect(objectiveMastery({ userId }).find((o) => o.id === "LO1")!.state).toBe("not-yet");
    expect(certificateFor(userId)).toMatchObject({ objectivesMastered: ["LO1", "LO2", "LO3"], objectivesPractical: ["LO1", "LO2"] });
  });

  it("does not hold back a standard learner, whose exercise is optional", async () => {
    const [user] = await learnersOf(makeCohort().id, 1);
    for (const sectionId of ALPHA) markSectionRead({ userId: user!.id, slug: "alpha", sectionId });
    answer(user!.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    expect(alphaCell(user!.id)).toMatchObject({ status: "completed", exercise: { required: false, status: "not-started", done: false } });
    // 4 sections + 1 quiz of 9 units: the optional exercise is no unit.
    expect(courseProgress({ userId: user!.id }).fraction).toBeCloseTo(5 / 9);
  });

  it("keeps a completion and a certificate earned before the exercise was required", async () => {
    const [user] = await learnersOf(makeCohort({ edition: "uruguay" }).id, 1);
    const userId = user!.id;
    const earned = new Date(2026, 0, 1);
    getDb()
      .insert(moduleCompletions)
      .values(["alpha", "beta", "gamma"].map((moduleSlug) => ({ userId, moduleSlug, completedAt: earned })))
      .run();
    getDb()
      .insert(certificates)
      .values({ userId, code: "AAAAA-BBBBB-CCCCC-DDDDD", learnerName: user!.name, courseTitle: "Fixture course", completedAt: earned, objectivesMastered: [] })
      .run();
    rebuildRollups(getDb(), "all");
    refreshLearner(getDb(), userId);
    // Completed modules count whole, their required exercise included: nothing was taken back.
    expect(alphaCell(userId)).toMatchObject({ status: "completed", completedAt: earned, exercise: { required: true, status: "not-started" } });
    expect(courseProgress({ userId })).toMatchObject({ fraction: 1, completedAt: earned });
    expect(certificateFor(userId)).toMatchObject({ code: "AAAAA-BBBBB-CCCCC-DDDDD", revokedAt: null });
    expect(getDb().select().from(moduleCompletions).where(eq(moduleCompletions.userId, userId)).all()).toHaveLength(3);
  });
});
