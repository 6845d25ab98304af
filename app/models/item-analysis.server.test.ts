import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getPublicQuiz } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import { quizAnswers, quizAttempts, users, type User } from "~/db/schema";
import { makeCohort, makeUser } from "./factories.server";
import { MIN_FOR_FLAGS, MIN_RESPONDENTS, questionStatistics, type QuestionStatistic } from "./item-analysis.server";
import { markSectionRead, recordVisit } from "./progress.server";
import { openAttempt, submitAttempt } from "./quiz.server";
import { ensureCourseStructure } from "./structure.server";

// The fixture course (tests/fixtures/content/basic): alpha has 4 sections (introduction, threats
// "What is a threat", history, exercise) and a 3-question quiz (q1 single LO1, choices a (correct)
// and b; q2 multiple LO2, a+b correct, c wrong; q3 true-false, "true" correct; pass mark 0.5),
// beta 2 sections and 1 question (q1: a correct, b wrong; at most 2 attempts), gamma 1 section
// and no quiz.
const ALPHA = ["introduction", "threats", "history", "practice"];
const RIGHT = { q1: ["a"], q2: ["a", "b"], q3: ["true"] };

let seq = 0;
async function learner() {
  seq += 1;
  const cohort = makeCohort();
  return makeUser({
    role: "learner",
    cohortId: cohort.id,
    passwordHash: null,
    name: `Privacy Marker Learner ${seq}`,
    email: `privacy-marker-${seq}@example.test`,
  });
}

async function learners(n: number): Promise<User[]> {
  const out: User[] = [];
  for (let i = 0; i < n; i++) out.push(await learner());
  return out;
}

function answer(userId: string, slug: string, answers: Record<string, string[]>) {
  const attempt = openAttempt({ userId, slug });
  return submitAttempt({ userId, slug, attemptId: attempt.id, answers: new Map(Object.entries(answers)) });
}

/** An alpha attempt inserted directly, so that its id (the ranking's tie-break) is chosen. */
function insertAlphaAttempt(
  id: string,
  userId: string,
  submittedAt: Date,
  answers: { q1: string[]; q2: string[]; q3: string[] },
) {
  const version = getPublicQuiz("alpha")!.version;
  const key: Record<string, string[]> = { q1: ["a"], q2: ["a", "b"], q3: ["true"] };
  const objectives: Record<string, string[]> = { q1: ["LO1"], q2: ["LO2"], q3: ["LO1", "LO2"] };
  const graded = (["q1", "q2", "q3"] as const).map((q) => {
    const chosen = [...answers[q]].sort();
    return { questionId: q, choiceIds: chosen, correct: chosen.join() === key[q]!.join(), objectives: objectives[q]! };
  });
  const correctCount = graded.filter((g) => g.correct).length;
  const db = getDb();
  db.insert(quizAttempts)
    .values({
      id,
      userId,
      moduleSlug: "alpha",
      quizVersion: version,
      questionOrder: ["q1", "q2", "q3"],
      startedAt: new Date(submittedAt.getTime() - 60_000),
      submittedAt,
      correctCount,
      questionCount: 3,
      score: correctCount / 3,
      passed: correctCount / 3 >= 0.5,
    })
    .run();
  db.insert(quizAnswers)
    .values(graded.map((g) => ({ ...g, attemptId: id, userId, moduleSlug: "alpha", quizVersion: version, answeredAt: submittedAt })))
    .run();
}

const moduleOf = (slug: string) => questionStatistics().modules.find((m) => m.slug === slug)!;
const question = (slug: string, id: string): QuestionStatistic => moduleOf(slug).questions.find((q) => q.questionId === id)!;
const choiceCounts = (q: QuestionStatistic) => Object.fromEntries(q.statistics!.choices.map((c) => [c.choiceId, c.count]));

beforeAll(() => {
  ensureCourseStructure();
});

beforeEach(() => {
  // Every test starts without learners: their attempts, answers, reads and roll-ups cascade.
  getDb().delete(users).run();
});

describe("question statistics", () => {
  it("computes first-attempt shares, choice distributions, the 27% discrimination index and flags by hand", async () => {
    const people = await learners(12);
    // ✓ / ✗ per question (q1, q2, q3) and score (correct answers out of 3):
    const design: [string, { q1: string[]; q2: string[]; q3: string[] }][] = [
      ["att-01", { q1: ["a"], q2: ["a", "b"], q3: ["false"] }], //      ✓ ✓ ✗  2
      ["att-02", { q1: ["a"], q2: ["a"], q3: ["false"] }], //           ✓ ✗ ✗  1
      ["att-03", { q1: ["a"], q2: ["a", "c"], q3: ["false"] }], //      ✓ ✗ ✗  1
      ["att-04", { q1: ["a"], q2: ["a", "b"], q3: ["false"] }], //      ✓ ✓ ✗  2
      ["att-05", { q1: ["a"], q2: ["b"], q3: ["true"] }], //            ✓ ✗ ✓  2
      ["att-06", { q1: ["a"], q2: ["a", "b", "c"], q3: ["false"] }], // ✓ ✗ ✗  1
      ["att-07", { q1: ["b"], q2: ["a", "b"], q3: ["false"] }], //      ✗ ✓ ✗  1
      ["att-08", { q1: ["a"], q2: ["a", "b"], q3: ["true"] }], //       ✓ ✓ ✓  3
      ["att-09", { q1: ["b"], q2: ["c"], q3: ["true"] }], //            ✗ ✗ ✓  1
      ["att-10", { q1: ["a"], q2: ["a", "b"], q3: ["false"] }], //      ✓ ✓ ✗  2
      ["att-11", { q1: ["b"], q2: ["a"], q3: ["true"] }], //            ✗ ✗ ✓  1
      ["att-12", { q1: ["a"], q2: ["b", "c"], q3: ["true"] }], //       ✓ ✗ ✓  2
    ];
    const t0 = Date.UTC(2026, 2, 1, 9, 0);
    design.forEach(([id, answers], i) => insertAlphaAttempt(id, people[i]!.id, new Date(t0 + i * 60_000), answers));

    // Ranking by score (desc), ties by attempt id (asc):
    //   1 att-08 (3) | 2 att-01, 3 att-04 (2) ‖ 4 att-05, 5 att-10, 6 att-12 (2), 7 att-02, 8 att-03,
    //   9 att-06 (1) ‖ 10 att-07, 11 att-09, 12 att-11 (1).
    // N = 12, g = round(0.27 × 12) = round(3.24) = 3.
    // Upper group {08, 01, 04}: q1 3/3, q2 3/3, q3 1/3.  Lower group {07, 09, 11}: q1 0/3, q2 1/3, q3 2/3.
    // q1: correct 9/12 = 0.75;     D = 3/3 − 0/3 = 1.
    // q2: correct 5/12 ≈ 0.4167;   D = 3/3 − 1/3 ≈ 0.6667.
    // q3: correct 5/12 ≈ 0.4167;   D = 1/3 − 2/3 ≈ −0.3333 → negative discrimination.
    // (Ties broken the other way would put att-05 in the upper group and att-06 in the lower one.)
    const alpha = moduleOf("alpha");
    expect(alpha.firstAttempts).toBe(12);
    expect(alpha.groupSize).toBe(3);
    expect(alpha.questions.map((q) => q.questionId)).toEqual(["q1", "q2", "q3"]);

    const [q1, q2, q3] = alpha.questions as [QuestionStatistic, QuestionStatistic, QuestionStatistic];
    expect(q1).toMatchObject({ position: 1, type: "single", prompt: "What does ransomware do?", attempts: 12, firstAttempts: 12 });
    expect(q1.statistics!.shareCorrect).toBeCloseTo(0.75, 10);
    expect(q1.statistics!.discrimination).toBeCloseTo(1, 10);
    expect(q1.statistics!.flags).toEqual([]);
    expect(q1.statistics!.choices).toEqual([
      { choiceId: "a", position: 1, label: "Encrypts data and demands payment", correct: true, count: 9, share: 0.75 },
      { choiceId: "b", position: 2, label: "Speeds up computers", correct: false, count: 3, share: 0.25 },
    ]);

    expect(q2.statistics!.shareCorrect).toBeCloseTo(5 / 12, 10);
    expect(q2.statistics!.discrimination).toBeCloseTo(2 / 3, 10);
    expect(q2.statistics!.flags).toEqual([]);
    // a: 5 right answers + att-02, 03, 06, 11 = 9; b: 5 + att-05, 06, 12 = 8; c: att-03, 06, 09, 12 = 4.
    expect(choiceCounts(q2)).toEqual({ a: 9, b: 8, c: 4 });
    expect(q2.statistics!.choices.filter((c) => c.correct).map((c) => c.choiceId)).toEqual(["a", "b"]);
    expect(q2.statistics!.choices.find((c) => c.choiceId === "c")!.share).toBeCloseTo(4 / 12, 10);

    expect(q3.type).toBe("true-false");
    expect(q3.statistics!.shareCorrect).toBeCloseTo(5 / 12, 10);
    expect(q3.statistics!.discrimination).toBeCloseTo(-1 / 3, 10);
    expect(q3.statistics!.flags).toEqual(["negative-discrimination"]);
    expect(q3.statistics!.choices.map((c) => [c.choiceId, c.count, c.correct])).toEqual([
      ["true", 5, true],
      ["false", 7, false],
    ]);
  });

  it("counts only first attempts, while attempts counts every answer", async () => {
    const people = await learners(12);
    const t0 = Date.UTC(2026, 2, 1, 9, 0);
    // Everyone answers q1 wrongly and q2, q3 rightly at first (score 2/3).
    people.forEach((p, i) =>
      insertAlphaAttempt(`first-${String(i).padStart(2, "0")}`, p.id, new Date(t0 + i * 1000), { q1: ["b"], q2: ["a", "b"], q3: ["true"] }),
    );
    const before = question("alpha", "q1");
    expect(before).toMatchObject({ attempts: 12, firstAttempts: 12 });
    expect(before.statistics).toMatchObject({ shareCorrect: 0, flags: ["too-hard"] });

    // Three learners retake and get everything right. The retakes' ids sort first and would rank
    // top, but they are later submissions, so nothing changes among first attempts.
    for (const [i, p] of people.slice(0, 3).entries()) {
      insertAlphaAttempt(`aaa-retake-${i}`, p.id, new Date(t0 + 3_600_000 + i * 1000), RIGHT);
    }
    // An open (unsubmitted) attempt counts for nothing.
    getDb()
      .insert(quizAttempts)
      .values({
        id: "000-open",
        userId: people[3]!.id,
        moduleSlug: "alpha",
        quizVersion: getPublicQuiz("alpha")!.version,
        questionOrder: ["q1", "q2", "q3"],
        startedAt: new Date(t0 - 1000),
      })
      .run();

    const alpha = moduleOf("alpha");
    expect(alpha.firstAttempts).toBe(12);
    const after = alpha.questions[0]!;
    expect(after).toMatchObject({ attempts: 15, firstAttempts: 12 });
    expect(after.statistics).toEqual(before.statistics);
    expect(choiceCounts(after)).toEqual({ a: 0, b: 12 });
    expect(alpha.questions.map((q) => q.attempts)).toEqual([15, 15, 15]);
  });

  it("uses a learner's earliest submitted attempt through the real quiz flow (beta, 2 attempts allowed)", async () => {
    const people = await learners(6);
    for (const p of people) answer(p.id, "beta", { q1: ["b"] });
    for (const p of people.slice(0, 4)) answer(p.id, "beta", { q1: ["a"] });
    const q = question("beta", "q1");
    // 10 answers in all, 6 first attempts, all wrong: 0% correct; 6 < 10 so no flags yet.
    expect(q).toMatchObject({ attempts: 10, firstAttempts: 6 });
    expect(q.statistics).toMatchObject({ shareCorrect: 0, flags: null });
    expect(choiceCounts(q)).toEqual({ a: 0, b: 6 });
  });

  it(`shows no statistic with fewer than ${MIN_RESPONDENTS} respondents, and statistics from ${MIN_RESPONDENTS}`, async () => {
    const people = await learners(5);
    for (const p of people.slice(0, 4)) answer(p.id, "alpha", RIGHT);
    const alpha = moduleOf("alpha");
    expect(alpha.firstAttempts).toBe(4);
    for (const q of alpha.questions) {
      expect(q).toMatchObject({ attempts: 4, firstAttempts: 4, statistics: null });
    }
    // Nothing about correctness or choices is in the result at all.
    const text = JSON.stringify(alpha);
    expect(text).not.toMatch(/share|discrimination|Encrypts data/);

    answer(people[4]!.id, "alpha", RIGHT);
    const q1 = question("alpha", "q1");
    expect(q1.firstAttempts).toBe(5);
    expect(q1.statistics).toMatchObject({ shareCorrect: 1, flags: null });
  });

  it(`gives statistics but no flags between ${MIN_RESPONDENTS} and ${MIN_FOR_FLAGS - 1} respondents`, async () => {
    const people = await learners(7);
    // 7 learners: all right on q1 (100%, would be "too easy"); q2 right for 2 (29%, would be
    // "too hard"); q3 right for all.
    people.forEach((p, i) => answer(p.id, "alpha", { q1: ["a"], q2: i < 2 ? ["a", "b"] : ["a"], q3: ["true"] }));
    const alpha = moduleOf("alpha");
    expect(alpha.firstAttempts).toBe(7);
    // g = round(0.27 × 7) = round(1.89) = 2.
    expect(alpha.groupSize).toBe(2);
    const [q1, q2] = alpha.questions as [QuestionStatistic, QuestionStatistic];
    expect(q1.statistics).toMatchObject({ shareCorrect: 1, discrimination: 0, flags: null });
    expect(q2.statistics!.shareCorrect).toBeCloseTo(2 / 7, 10);
    expect(q2.statistics!.flags).toBeNull();
    // The two learners right on q2 are the only ones scoring 3/3: the upper group (2/2); the lower
    // group has 0/2. D = 1 − 0 = 1.
    expect(q2.statistics!.discrimination).toBeCloseTo(1, 10);
    expect(choiceCounts(q2)).toEqual({ a: 7, b: 2, c: 0 });
  });

  it(`flags too easy and too hard questions from ${MIN_FOR_FLAGS} respondents`, async () => {
    const people = await learners(10);
    // q1 right for all 10 → 100% > 90%: too easy, D = 1 − 1 = 0.
    // q2 right for learners 0–1 only → 20% < 30%: too hard.
    // q3 right for learners 0–5 → 60%: no flag.
    // Scores: learners 0–1 3/3; 2–5 2/3 (identical answers); 6–9 1/3 (identical answers).
    // g = round(0.27 × 10) = round(2.7) = 3: upper = 0, 1 and one of 2–5; lower = three of 6–9.
    // q2: D = 2/3 − 0/3 ≈ 0.6667; q3: D = 3/3 − 0/3 = 1.
    people.forEach((p, i) => answer(p.id, "alpha", { q1: ["a"], q2: i < 2 ? ["a", "b"] : ["c"], q3: i < 6 ? ["true"] : ["false"] }));
    const [q1, q2, q3] = moduleOf("alpha").questions as [QuestionStatistic, QuestionStatistic, QuestionStatistic];
    expect(q1.statistics).toMatchObject({ shareCorrect: 1, discrimination: 0, flags: ["too-easy"] });
    expect(q2.statistics!.shareCorrect).toBeCloseTo(0.2, 10);
    expect(q2.statistics!.discrimination).toBeCloseTo(2 / 3, 10);
    expect(q2.statistics!.flags).toEqual(["too-hard"]);
    expect(q3.statistics!.shareCorrect).toBeCloseTo(0.6, 10);
    expect(q3.statistics!.discrimination).toBeCloseTo(1, 10);
    expect(q3.statistics!.flags).toEqual([]);
  });

  it("finds the section where learners who started but did not complete a module most often stop", async () => {
    const people = await learners(7);
    const t0 = Date.UTC(2026, 2, 1, 9, 0);
    const visit = (userId: string, sectionId: string, minute: number) =>
      recordVisit({ userId, slug: "alpha", sectionId, at: new Date(t0 + minute * 60_000) });
    // Learners 0–2 read the first two sections and stop at "threats".
    for (const p of people.slice(0, 3)) {
      for (const [i, s] of ALPHA.slice(0, 2).entries()) {
        visit(p.id, s, i);
        markSectionRead({ userId: p.id, slug: "alpha", sectionId: s });
      }
    }
    // Learner 3 opens the introduction only.
    visit(people[3]!.id, "introduction", 0);
    // Learner 4 reads every section but has not passed the quiz.
    for (const [i, s] of ALPHA.entries()) {
      visit(people[4]!.id, s, i);
      markSectionRead({ userId: people[4]!.id, slug: "alpha", sectionId: s });
    }
    // Learners 5–6 complete the module, then go back to "threats": completed, so not counted.
    for (const p of people.slice(5)) {
      for (const [i, s] of ALPHA.entries()) {
        visit(p.id, s, i);
        markSectionRead({ userId: p.id, slug: "alpha", sectionId: s });
      }
      answer(p.id, "alpha", RIGHT);
      visit(p.id, "threats", 10);
    }

    const stats = questionStatistics();
    const alpha = stats.modules.find((m) => m.slug === "alpha")!;
    // 5 started without completing: 3 stopped at "threats", 1 at "introduction", 1 at "practice".
    expect(alpha.stoppingPoint).toEqual({ sectionId: "threats", title: "What is a threat", learners: 3, of: 5 });
    expect(stats.modules.find((m) => m.slug === "beta")!.stoppingPoint).toBeNull();
    expect(stats.modules.find((m) => m.slug === "gamma")).toMatchObject({ hasQuiz: false, questions: [], stoppingPoint: null });
  });

  it("returns aggregates only: no learner's name, email or id", async () => {
    const people = await learners(12);
    people.forEach((p, i) => answer(p.id, "alpha", { q1: [i % 2 ? "a" : "b"], q2: ["a", "b"], q3: ["true"] }));
    for (const p of people) recordVisit({ userId: p.id, slug: "beta", sectionId: "coordination" });
    const text = JSON.stringify(questionStatistics());
    expect(text).toContain("shareCorrect");
    for (const p of people) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.email);
      expect(text).not.toContain(p.id);
    }
    expect(text).not.toMatch(/Privacy Marker|privacy-marker|@example/i);
  });
});
