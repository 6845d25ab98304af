import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { moduleCompletions, quizAnswers, quizAttempts, sectionReads, sectionVisits } from "~/db/schema";
import { revokeCertificate, verifyCertificate, certificateFor } from "./certificate.server";
import { makeCohort, makeExerciseResult, makeUser } from "./factories.server";
import { objectiveMastery } from "./mastery.server";
import { courseProgress, learnerEdition, markSectionRead, recordVisit, refreshLearner, timeOnTaskMs } from "./progress.server";
import { VISIT_CAP_MS } from "~/lib/rules";
import { rebuildRollups } from "./rollups.server";
import { queuedVisits, VISIT_FLUSH_MS } from "./visits.server";
import { AlreadySubmitted, openAttempt, reviewAttempt, submitAttempt, TamperedInput } from "./quiz.server";

// The fixture course (tests/fixtures/content/basic): alpha has 4 sections and a 3-question quiz
// (q1 single LO1 = a; q2 multiple LO2 = a+b; q3 true-false LO1+LO2 = true; pass mark 0.5),
// beta 2 sections and 1 question (LO3, at most 2 attempts), gamma 1 section and no quiz.
const ALPHA = ["introduction", "threats", "history", "practice"];

async function learner(edition: string | null = null) {
  const cohort = makeCohort({ edition });
  return makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null });
}

function answer(userId: string, slug: string, answers: Record<string, string[]>) {
  const attempt = openAttempt({ userId, slug });
  return submitAttempt({ userId, slug, attemptId: attempt.id, answers: new Map(Object.entries(answers)) });
}

const module = (userId: string, slug: string, edition: string | null = null) =>
  courseProgress({ userId, edition }).modules.find((m) => m.slug === slug)!;

describe("progress", () => {
  it("records a section as read once, however often it is posted", async () => {
    const user = await learner();
    for (let i = 0; i < 3; i++) markSectionRead({ userId: user.id, slug: "alpha", sectionId: "threats" });
    expect(module(user.id, "alpha")).toMatchObject({ sectionsRead: 1, status: "in-progress", resume: "introduction" });
  });

  it("completes a module without a quiz by reading, and one with a quiz only once it is passed", async () => {
    const user = await learner();
    markSectionRead({ userId: user.id, slug: "gamma", sectionId: "only-section" });
    expect(module(user.id, "gamma").status).toBe("completed");
    for (const id of ALPHA) markSectionRead({ userId: user.id, slug: "alpha", sectionId: id });
    expect(module(user.id, "alpha")).toMatchObject({ status: "in-progress", resume: "quiz" });
    answer(user.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    expect(module(user.id, "alpha").status).toBe("completed");
  });

  it("computes progress as (sections read + quizzes passed) / (sections + quizzes)", async () => {
    const user = await learner();
    // 4 + 1 (alpha) + 2 + 1 (beta) + 1 (gamma) = 9 units.
    markSectionRead({ userId: user.id, slug: "alpha", sectionId: "threats" });
    markSectionRead({ userId: user.id, slug: "gamma", sectionId: "only-section" });
    expect(courseProgress({ userId: user.id }).fraction).toBeCloseTo(2 / 9);
    answer(user.id, "beta", { q1: ["a"] });
    expect(courseProgress({ userId: user.id }).fraction).toBeCloseTo(3 / 9);
  });

  it("uses the cohort's edition for the sections a learner must read", async () => {
    const user = await learner("uruguay");
    expect(learnerEdition(user.id)).toBe("uruguay");
    const beta = module(user.id, "beta", "uruguay");
    expect(beta.sections.map((s) => s.id)).toEqual(["uruguay-fixtures-agencies", "coordination"]);
  });

  it("keeps a stored completion when the content later changes", async () => {
    const user = await learner();
    // A completion earned before the module gained sections the learner has not read.
    getDb().insert(moduleCompletions).values({ userId: user.id, moduleSlug: "alpha", completedAt: new Date(2026, 0, 1) }).run();
    const alpha = module(user.id, "alpha");
    expect(alpha.status).toBe("completed");
    expect(alpha.sectionsRead).toBe(0);
    expect(alpha.minutesLeft).toBe(0);
  });

  it("estimates time on task from visits, each counting until the next event and at most 10 minutes", async () => {
    const user = await learner();
    const t0 = Date.UTC(2026, 10, 1, 9, 0);
    const visits = [0, 4 * 60_000, 60 * 60_000, 61 * 60_000].map((ms) => new Date(t0 + ms));
    // 4 min + 10 min (capped 56) + 1 min; the last visit has nothing after it yet and counts nothing.
    const expected = 4 * 60_000 + VISIT_CAP_MS + 60_000;
    for (const at of visits) recordVisit({ userId: user.id, slug: "alpha", sectionId: "threats", at });
    expect(timeOnTaskMs(user.id)).toBe(expected);
    // The roll-up kept visit by visit equals the one rebuilt from the raw records.
    rebuildRollups(getDb(), [user.id]);
    expect(timeOnTaskMs(user.id)).toBe(expected);
  });

  it("ends a visit at the next read or submission, and the hot path agrees with the rebuild", async () => {
    const user = await learner();
    const t0 = Date.UTC(2026, 10, 1, 9, 0);
    const at = (minutes: number) => new Date(t0 + minutes * 60_000);
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "introduction", at: at(0) });
    getDb().insert(sectionReads).values({ userId: user.id, moduleSlug: "alpha", sectionId: "introduction", readAt: at(3) }).run();
    refreshLearner(getDb(), user.id);
    // The read ended the visit after 3 minutes; the next visit, 20 minutes on, adds nothing for it.
    expect(timeOnTaskMs(user.id)).toBe(3 * 60_000);
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "threats", at: at(20) });
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "history", at: at(22) });
    const attempt = openAttempt({ userId: user.id, slug: "alpha" });
    getDb().update(quizAttempts).set({ submittedAt: at(27) }).where(eq(quizAttempts.id, attempt.id)).run();
    refreshLearner(getDb(), user.id);
    // 3 + 2 (threats until history) + 5 (history until the submission).
    expect(timeOnTaskMs(user.id)).toBe(10 * 60_000);
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "practice", at: at(40) });
    expect(timeOnTaskMs(user.id)).toBe(10 * 60_000);
    rebuildRollups(getDb(), [user.id]);
    expect(timeOnTaskMs(user.id)).toBe(10 * 60_000);
  });

  it("records a visit each time a section is opened", async () => {
    const user = await learner();
    const at = new Date(Date.UTC(2026, 10, 2, 10, 0));
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "history", at });
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "practice", at: new Date(at.getTime() + 3 * 60_000) });
    // Visits are committed in batches (ADR 010): within VISIT_FLUSH_MS, or before any report reads them.
    const raw = () => getDb().select().from(sectionVisits).where(eq(sectionVisits.userId, user.id)).all();
    expect(queuedVisits()).toBe(2);
    expect(raw()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, VISIT_FLUSH_MS + 50));
    expect(queuedVisits()).toBe(0);
    const visits = raw();
    expect(visits.map((v) => [v.sectionId, v.at.toISOString()])).toEqual([
      ["history", "2026-11-02T10:00:00.000Z"],
      ["practice", "2026-11-02T10:03:00.000Z"],
    ]);
    expect(module(user.id, "alpha").status).toBe("in-progress");
  });

  it("commits queued visits before any figure is read, in the order they were served", async () => {
    const user = await learner();
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 3, 9, minutes));
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "introduction", at: at(0) });
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "threats", at: at(4) });
    markSectionRead({ userId: user.id, slug: "alpha", sectionId: "introduction" });
    expect(queuedVisits()).toBe(0);
    // The first visit lasted until the second (4 minutes), the second until the read (now: capped at
    // 10 minutes); the roll-up and a full rebuild agree.
    expect(timeOnTaskMs(user.id)).toBe(14 * 60_000);
    rebuildRollups(getDb(), [user.id]);
    expect(timeOnTaskMs(user.id)).toBe(14 * 60_000);
  });
});

describe("quizzes", () => {
  it("grades a multiple question as right only with exactly the correct choices", async () => {
    const user = await learner();
    const half = answer(user.id, "alpha", { q1: ["a"], q2: ["a"], q3: ["true"] });
    expect(half.attempt).toMatchObject({ correctCount: 2, questionCount: 3, passed: true });
    const extra = answer(user.id, "alpha", { q1: ["a"], q2: ["a", "b", "c"], q3: ["true"] });
    expect(extra.attempt.correctCount).toBe(2);
    const stored = getDb().select().from(quizAnswers).where(eq(quizAnswers.attemptId, half.attempt.id)).all();
    expect(stored.find((a) => a.questionId === "q2")).toMatchObject({ correct: false, objectives: ["LO2"] });
    expect(stored.find((a) => a.questionId === "q3")).toMatchObject({ objectives: ["LO1", "LO2"] });
    expect(stored.every((a) => a.quizVersion === half.attempt.quizVersion)).toBe(true);
  });

  it("reuses the open attempt and grades each attempt only once", async () => {
    const user = await learner();
    const first = openAttempt({ userId: user.id, slug: "alpha" });
    expect(openAttempt({ userId: user.id, slug: "alpha" }).id).toBe(first.id);
    const answers = new Map(Object.entries({ q1: ["b"], q2: ["c"], q3: ["false"] }));
    submitAttempt({ userId: user.id, slug: "alpha", attemptId: first.id, answers });
    expect(() => submitAttempt({ userId: user.id, slug: "alpha", attemptId: first.id, answers })).toThrow(AlreadySubmitted);
    expect(getDb().select().from(quizAnswers).where(eq(quizAnswers.attemptId, first.id)).all()).toHaveLength(3);
    expect(openAttempt({ userId: user.id, slug: "alpha" }).id).not.toBe(first.id);
  });

  it("rejects tampered or incomplete answers and stores nothing", async () => {
    const user = await learner();
    const other = await learner();
    const attempt = openAttempt({ userId: user.id, slug: "alpha" });
    const submit = (answers: Record<string, string[]>, userId = user.id) =>
      submitAttempt({ userId, slug: "alpha", attemptId: attempt.id, answers: new Map(Object.entries(answers)) });
    expect(() => submit({ q1: ["a"], q2: ["a"], q3: ["true"], q9: ["a"] })).toThrow(TamperedInput);
    expect(() => submit({ q1: ["zzz"], q2: ["a"], q3: ["true"] })).toThrow(TamperedInput);
    expect(() => submit({ q1: ["a", "b"], q2: ["a"], q3: ["true"] })).toThrow(/exactly one answer/);
    expect(() => submit({ q1: ["a"], q2: ["a"], q3: ["true"] }, other.id)).toThrow(/not yours/);
    expect(submit({ q1: ["a"] }).unanswered).toEqual(["q2", "q3"]);
    const row = getDb().select().from(quizAttempts).where(eq(quizAttempts.id, attempt.id)).get();
    expect(row?.submittedAt).toBeNull();
    expect(getDb().select().from(quizAnswers).where(eq(quizAnswers.userId, user.id)).all()).toEqual([]);
  });

  it("refuses to grade an attempt opened on an earlier version of the quiz", async () => {
    const user = await learner();
    const stale = openAttempt({ userId: user.id, slug: "alpha" });
    getDb().update(quizAttempts).set({ quizVersion: "edited-since" }).where(eq(quizAttempts.id, stale.id)).run();
    const answers = new Map(Object.entries({ q1: ["a"], q2: ["a", "b"], q3: ["true"] }));
    expect(() => submitAttempt({ userId: user.id, slug: "alpha", attemptId: stale.id, answers })).toThrow(/quiz was updated/);
    expect(getDb().select().from(quizAnswers).where(eq(quizAnswers.userId, user.id)).all()).toEqual([]);
    // Opening the quiz again starts an attempt at the current version.
    expect(openAttempt({ userId: user.id, slug: "alpha" }).id).not.toBe(stale.id);
  });

  it("enforces maxAttempts", async () => {
    const user = await learner();
    answer(user.id, "beta", { q1: ["b"] });
    answer(user.id, "beta", { q1: ["b"] });
    expect(() => openAttempt({ userId: user.id, slug: "beta" })).toThrow(/used all 2 attempts/);
  });

  it("reveals correct answers and explanations only once passed or out of attempts", async () => {
    const user = await learner();
    const failed = answer(user.id, "alpha", { q1: ["b"], q2: ["a"], q3: ["false"] });
    const review = reviewAttempt({ userId: user.id, slug: "alpha", attemptId: failed.attempt.id })!;
    expect(review.revealed).toBe(false);
    expect(JSON.stringify(review)).not.toMatch(/MARKER-EXPLANATION|MARKER-FEEDBACK-ALPHA-A/);
    expect(review.questions[0]!.choices.find((c) => c.id === "b")!.feedbackHtml).toContain("MARKER-FEEDBACK-ALPHA-B");
    expect(review.questions.flatMap((q) => q.choices).every((c) => c.correct === null)).toBe(true);

    answer(user.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    const after = reviewAttempt({ userId: user.id, slug: "alpha", attemptId: failed.attempt.id })!;
    expect(after.revealed).toBe(true);
    expect(after.questions[0]!.explanationHtml).toContain("MARKER-EXPLANATION-ALPHA-Q1");
    expect(after.questions[0]!.choices.find((c) => c.id === "a")!.correct).toBe(true);
  });
});

describe("mastery", () => {
  it("is not assessed before any answer", async () => {
    const user = await learner();
    expect(objectiveMastery({ userId: user.id }).map((o) => o.state)).toEqual(["not-assessed", "not-assessed", "not-assessed"]);
  });

  it("counts the latest answer to each question toward the objectives the question assesses", async () => {
    const user = await learner();
    answer(user.id, "alpha", { q1: ["b"], q2: ["a"], q3: ["true"] });
    let [lo1, lo2] = objectiveMastery({ userId: user.id });
    // LO1: q1 wrong, q3 right; LO2: q2 wrong, q3 right. Aligned: two questions and one criterion
    // of alpha's exercise (analysis for LO1, action for LO2).
    expect(lo1).toMatchObject({ correct: 1, answered: 2, value: 0.5, state: "not-yet", aligned: 3 });
    expect(lo2).toMatchObject({ correct: 1, answered: 2, state: "not-yet", aligned: 3 });
    answer(user.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    [lo1, lo2] = objectiveMastery({ userId: user.id });
    // Latest answers only: all right, but two answers are short of min(3, aligned) = 3 pieces of evidence.
    expect(lo1).toMatchObject({ correct: 2, answered: 2, value: 1, state: "not-yet" });
    expect(lo2).toMatchObject({ correct: 2, answered: 2, state: "not-yet" });
    // The exercise's criteria are aligned evidence: their results are the third piece.
    makeExerciseResult({ userId: user.id, slug: "alpha", instructor: { analysis: 2, action: 1 } });
    [lo1, lo2] = objectiveMastery({ userId: user.id });
    expect(lo1).toMatchObject({ correct: 3, answered: 3, value: 1, state: "mastered" });
    expect(lo2).toMatchObject({ correct: 3, answered: 3, state: "mastered" });
  });

  it("ignores answers to questions removed from the current quiz", async () => {
    const user = await learner();
    answer(user.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    const attempt = getDb().select().from(quizAttempts).where(eq(quizAttempts.userId, user.id)).get()!;
    getDb()
      .insert(quizAnswers)
      .values({ attemptId: attempt.id, userId: user.id, moduleSlug: "alpha", questionId: "q-removed", choiceIds: ["x"], correct: false, objectives: ["LO1"], quizVersion: "old", answeredAt: new Date() })
      .run();
    // The exercise's criteria are aligned evidence: with its result LO1 has the 3 pieces it needs.
    makeExerciseResult({ userId: user.id, slug: "alpha", instructor: { analysis: 2, action: 1 } });
    rebuildRollups(getDb(), [user.id]);
    expect(objectiveMastery({ userId: user.id })[0]).toMatchObject({ correct: 3, answered: 3, state: "mastered" });
  });
});

describe("certificates", () => {
  it("is issued when the course is completed, verifiable, and revocable", async () => {
    const user = await learner();
    for (const id of ALPHA) markSectionRead({ userId: user.id, slug: "alpha", sectionId: id });
    for (const id of ["mapping-your-country", "coordination"]) markSectionRead({ userId: user.id, slug: "beta", sectionId: id });
    answer(user.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    // Alpha's exercise is not required, but its criteria are aligned evidence for LO1 and LO2: with
    // its result, the quiz's two answers per objective make the three that mastery needs.
    makeExerciseResult({ userId: user.id, slug: "alpha", instructor: { analysis: 2, action: 1 } });
    expect(certificateFor(user.id)).toBeUndefined();
    answer(user.id, "beta", { q1: ["a"] });
    expect(certificateFor(user.id)).toBeUndefined();
    markSectionRead({ userId: user.id, slug: "gamma", sectionId: "only-section" });
    const certificate = certificateFor(user.id)!;
    expect(certificate.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
    expect(certificate.objectivesMastered).toEqual(["LO1", "LO2", "LO3"]);
    expect(courseProgress({ userId: user.id })).toMatchObject({ fraction: 1 });
    expect(verifyCertificate(certificate.code.toLowerCase())).toMatchObject({ status: "valid", learnerName: user.name });
    expect(verifyCertificate("AAAAA-BBBBB-CCCCC-DDDDD")).toEqual({ status: "unknown" });
    expect(revokeCertificate({ userId: user.id })).toBe(true);
    expect(verifyCertificate(certificate.code)).toEqual({ status: "revoked" });
  });
});
