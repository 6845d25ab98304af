// Issue 11: each attempt draws its questions from the learner's bank and shuffles its choices on
// the server, and keeps both. The fixture course (tests/fixtures/content/basic): alpha's quiz has
// q1 (single, a/b), q2 (multiple, a/b/c) and q3 (true-false), no draw, unlimited attempts; beta
// draws 4 with at most 2 attempts, from q1 (LO3) for a standard learner and from q1 and the
// Uruguay edition's uy1–uy9 (uy1–uy6 LO3, uy7–uy9 LO1) for a Uruguay learner.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getPublicQuiz } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import { quizAnswers, quizAttempts } from "~/db/schema";
import { makeCohort, makeUser } from "./factories.server";
import { objectiveMastery } from "./mastery.server";
import { drawQuestions, objectiveQuotas, type BankQuestion } from "./quiz-draw.server";
import {
  attemptQuestions,
  findOpenAttempt,
  grantAttempt,
  keepPendingAnswers,
  openAttempt,
  reviewAttempt,
  submitAttempt,
  TamperedInput,
  type Attempt,
} from "./quiz.server";

const LO3_BANK = ["q1", "uy1", "uy2", "uy3", "uy4", "uy5", "uy6"];
const LO1_BANK = ["uy7", "uy8", "uy9"];
const RIGHT: Record<string, string[]> = {
  q1: ["a"],
  q2: ["a", "b"],
  q3: ["true"],
  ...Object.fromEntries(["uy1", "uy2", "uy4", "uy5", "uy6", "uy7", "uy8", "uy9"].map((id) => [id, [id === "uy4" ? "true" : "a"]])),
  uy3: ["a", "b"],
};

async function learner(edition: string | null = null) {
  return makeUser({ role: "learner", cohortId: makeCohort({ edition }).id, passwordHash: null });
}

/** What the learner's form shows: question ids and each one's choice ids, in order. */
function form(attempt: Attempt, slug = attempt.moduleSlug) {
  return attemptQuestions(attempt, getPublicQuiz(slug)!).map((q) => [q.id, q.choices.map((c) => c.id).join("")].join(":"));
}

function submit(userId: string, attempt: Attempt, answer: (id: string) => string[] = (id) => RIGHT[id]!) {
  return submitAttempt({
    userId,
    slug: attempt.moduleSlug,
    attemptId: attempt.id,
    answers: new Map(attempt.questionOrder.map((id) => [id, answer(id)])),
  });
}

const wrong = (id: string) => (id === "q3" || id === "uy4" ? ["false"] : id === "q2" || id === "uy3" ? ["c"] : ["b"]);

describe("drawing an attempt", () => {
  it("stores the draw and the choice orders: a reload or a resumed attempt shows exactly the same form", async () => {
    const user = await learner("uruguay");
    const first = openAttempt({ userId: user.id, slug: "beta" });
    expect(first.questionOrder).toHaveLength(4);
    expect(Object.keys(first.choiceOrder!).sort()).toEqual([...first.questionOrder].sort());
    // The page opened again, and the attempt found after signing in again.
    expect(openAttempt({ userId: user.id, slug: "beta" })).toEqual(first);
    expect(findOpenAttempt({ userId: user.id, slug: "beta" })).toEqual(first);
    const stored = getDb().select().from(quizAttempts).where(eq(quizAttempts.id, first.id)).get()!;
    expect(form(stored)).toEqual(form(first));
    // The form shows each question's choices in the stored order, every choice once.
    const quiz = getPublicQuiz("beta")!;
    for (const q of attemptQuestions(first, quiz)) {
      expect(q.choices.map((c) => c.id)).toEqual(first.choiceOrder![q.id]);
      expect([...q.choices.map((c) => c.id)].sort()).toEqual(quiz.questions.find((b) => b.id === q.id)!.choices.map((c) => c.id).sort());
    }
  });

  it("gives two attempts of one learner different choice orders, and a true-false question True before False", async () => {
    const user = await learner();
    const forms = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const attempt = openAttempt({ userId: user.id, slug: "alpha" });
      expect(attempt.questionOrder).toEqual(["q1", "q2", "q3"]);
      expect(attempt.choiceOrder!.q3).toEqual(["true", "false"]);
      forms.add(form(attempt).join(" "));
      submit(user.id, attempt, wrong);
    }
    // 12 equally likely forms (2 orders of q1 × 6 of q2): six identical ones would be (1/12)^5.
    expect(forms.size).toBeGreaterThan(1);
  });

  it("shuffles every choice into every place over many attempts", async () => {
    const firsts = new Map<string, Set<string>>([
      ["q1", new Set()],
      ["q2", new Set()],
    ]);
    for (let i = 0; i < 40; i++) {
      const user = await learner();
      const attempt = openAttempt({ userId: user.id, slug: "alpha" });
      for (const [id, seen] of firsts) seen.add(attempt.choiceOrder![id]![0]!);
    }
    expect([...firsts.get("q1")!].sort()).toEqual(["a", "b"]);
    expect([...firsts.get("q2")!].sort()).toEqual(["a", "b", "c"]);
  });

  it("gives two learners different draws and choice orders", async () => {
    const draws = new Set<string>();
    const forms = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const user = await learner("uruguay");
      const attempt = openAttempt({ userId: user.id, slug: "beta" });
      draws.add([...attempt.questionOrder].sort().join(" "));
      forms.add(form(attempt).join(" "));
    }
    // 60 possible draws (3 of 7 LO3 questions × 1 of 3 LO1), each with its choices shuffled.
    expect(draws.size).toBeGreaterThan(1);
    expect(forms.size).toBe(6);
  });

  it("draws edition questions only for that edition's cohorts, never for a standard cohort", async () => {
    for (let i = 0; i < 5; i++) {
      const standard = await learner();
      const attempt = openAttempt({ userId: standard.id, slug: "beta" });
      // The standard bank is q1 alone: the draw of 4 takes what there is.
      expect(attempt.questionOrder).toEqual(["q1"]);
      expect(form(attempt).join(" ")).not.toMatch(/uy/);
      const uruguayan = await learner("uruguay");
      expect(openAttempt({ userId: uruguayan.id, slug: "beta" }).questionOrder.some((id) => id.startsWith("uy"))).toBe(true);
    }
    // A standard learner's post naming an edition question is tampering: nothing is stored.
    const standard = await learner();
    const attempt = openAttempt({ userId: standard.id, slug: "beta" });
    expect(() =>
      submitAttempt({ userId: standard.id, slug: "beta", attemptId: attempt.id, answers: new Map([["q1", ["a"]], ["uy1", ["a"]]]) }),
    ).toThrow(TamperedInput);
    expect(getDb().select().from(quizAnswers).where(eq(quizAnswers.attemptId, attempt.id)).all()).toEqual([]);
  });

  it("represents each objective in proportion to its share of the learner's bank", async () => {
    // 7 LO3 and 3 LO1 questions, 4 drawn: 2.8 and 1.2, so 3 and 1 by largest remainder.
    for (let i = 0; i < 12; i++) {
      const user = await learner("uruguay");
      const drawn = openAttempt({ userId: user.id, slug: "beta" }).questionOrder;
      expect(drawn.filter((id) => LO3_BANK.includes(id))).toHaveLength(3);
      expect(drawn.filter((id) => LO1_BANK.includes(id))).toHaveLength(1);
    }
  });

  it("draws a retake from the questions the learner has not met, where the bank allows", async () => {
    const user = await learner("uruguay");
    const first = openAttempt({ userId: user.id, slug: "beta" });
    submit(user.id, first, wrong);
    const second = openAttempt({ userId: user.id, slug: "beta" });
    expect(second.questionOrder.filter((id) => first.questionOrder.includes(id))).toEqual([]);
    submit(user.id, second, wrong);
    // All but one LO3 question and one LO1 question met: the third attempt takes both, then met ones.
    grantAttempt({ userId: user.id, slug: "beta" });
    const third = openAttempt({ userId: user.id, slug: "beta" });
    const met = new Set([...first.questionOrder, ...second.questionOrder]);
    const unmet = [...LO3_BANK, ...LO1_BANK].filter((id) => !met.has(id));
    expect(unmet).toHaveLength(2);
    expect(third.questionOrder).toEqual(expect.arrayContaining(unmet));
    expect(third.questionOrder.filter((id) => LO3_BANK.includes(id))).toHaveLength(3);
  });

  it("refuses an answer to a question of the bank that is not in the attempt's draw", async () => {
    const user = await learner("uruguay");
    const attempt = openAttempt({ userId: user.id, slug: "beta" });
    const outside = [...LO3_BANK, ...LO1_BANK].find((id) => !attempt.questionOrder.includes(id))!;
    const answers = new Map([...attempt.questionOrder.map((id): [string, string[]] => [id, RIGHT[id]!]), [outside, RIGHT[outside]!]]);
    expect(() => submitAttempt({ userId: user.id, slug: "beta", attemptId: attempt.id, answers })).toThrow(
      new TamperedInput(`The answers name a question that is not in this attempt ("${outside}").`),
    );
    expect(getDb().select().from(quizAttempts).where(eq(quizAttempts.id, attempt.id)).get()!.submittedAt).toBeNull();
    // Answers kept after a session ended hold only the attempt's own questions.
    keepPendingAnswers({ slug: "beta", attemptId: attempt.id, answers });
    // …and the honest form is graded on the draw alone.
    const { attempt: graded } = submit(user.id, attempt);
    expect(graded).toMatchObject({ questionCount: 4, correctCount: 4, passed: true });
  });

  it("points a wrong answer to the section of the learner's own lesson to review", async () => {
    const standard = await learner();
    const a = openAttempt({ userId: standard.id, slug: "beta" });
    submit(standard.id, a, wrong);
    expect(reviewAttempt({ userId: standard.id, slug: "beta", attemptId: a.id })!.questions[0]!.section).toEqual({
      id: "mapping-your-country",
      title: "Mapping your country",
    });

    const uruguayan = await learner("uruguay");
    const b = openAttempt({ userId: uruguayan.id, slug: "beta" });
    submit(uruguayan.id, b, wrong);
    const titles = { "uruguay-fixtures-agencies": "Uruguay-fixture's agencies", coordination: "Coordination" } as Record<string, string>;
    for (const q of reviewAttempt({ userId: uruguayan.id, slug: "beta", attemptId: b.id })!.questions) {
      const section = getPublicQuiz("beta")!.questions.find((x) => x.id === q.id)!.section!;
      // q1 assesses a section of the standard lesson, which a Uruguay learner does not read.
      expect(q.section).toEqual(titles[section] ? { id: section, title: titles[section] } : null);
    }
  });

  it("counts edition answers toward mastery, against the questions the learner's edition has", async () => {
    const uruguayan = await learner("uruguay");
    const attempt = openAttempt({ userId: uruguayan.id, slug: "beta" });
    submit(uruguayan.id, attempt);
    const lo = new Map(objectiveMastery({ userId: uruguayan.id }).map((o) => [o.id, o]));
    expect(lo.get("LO3")).toMatchObject({ correct: 3, answered: 3, aligned: 7 });
    // LO1's aligned evidence: alpha's two questions, the edition's three, and the analysis
    // criterion of the exercise Uruguay's learners do (editions/uruguay.exercise.yml).
    expect(lo.get("LO1")).toMatchObject({ correct: 1, answered: 1, aligned: 2 + 3 + 1 });
    const standard = await learner();
    const mine = new Map(objectiveMastery({ userId: standard.id }).map((o) => [o.id, o]));
    expect(mine.get("LO3")!.aligned).toBe(1);
    // Alpha's two questions and the base exercise's analysis criterion.
    expect(mine.get("LO1")!.aligned).toBe(2 + 1);
  });
});

describe("the stratification rule", () => {
  const bank = (spec: Record<string, number>, pairs = 0): BankQuestion[] => {
    const out: BankQuestion[] = [];
    for (const [objective, n] of Object.entries(spec)) {
      for (let i = 0; i < n; i++) out.push({ id: `${objective}-${i}`, objectives: [objective] } as BankQuestion);
    }
    for (let i = 0; i < pairs; i++) out.push({ id: `pair-${i}`, objectives: ["A", "B"] } as BankQuestion);
    return out;
  };
  const quotas = (b: BankQuestion[], n: number) => Object.fromEntries([...objectiveQuotas(b, n)].sort(([x], [y]) => x.localeCompare(y)));

  it("splits a draw in proportion, by largest remainder", () => {
    expect(quotas(bank({ A: 12, B: 8, C: 4 }), 10)).toEqual({ A: 5, B: 3, C: 2 });
    expect(quotas(bank({ A: 10, B: 10, C: 4 }), 10)).toEqual({ A: 4, B: 4, C: 2 });
  });

  it("gives every objective at least one question when the draw allows", () => {
    expect(quotas(bank({ A: 30, B: 1 }), 4)).toEqual({ A: 3, B: 1 });
    expect(Object.values(quotas(bank({ A: 5, B: 1, C: 1 }), 2)).reduce((a, b) => a + b)).toBe(2);
  });

  it("counts a question aligned with two objectives half for each", () => {
    expect(quotas(bank({ A: 4, B: 4 }, 4), 6)).toEqual({ A: 3, B: 3 });
    const drawn = drawQuestions({ bank: bank({ A: 6, B: 6, C: 6 }), n: 9, seen: new Set() });
    expect(["A", "B", "C"].map((o) => drawn.filter((id) => id.startsWith(o)).length)).toEqual([3, 3, 3]);
  });

  it("prefers unmet questions within an objective, and takes met ones when none is left", () => {
    const b = bank({ A: 4, B: 4 });
    const seen = new Set(["A-0", "A-1", "A-2", "B-0"]);
    const drawn = drawQuestions({ bank: b, n: 4, seen });
    expect(drawn.filter((id) => id.startsWith("B")).every((id) => !seen.has(id))).toBe(true);
    expect(drawn).toContain("A-3");
    expect(drawn.filter((id) => id.startsWith("A"))).toHaveLength(2);
  });
});
