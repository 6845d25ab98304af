// Issue 10 §5: what the learner is told on the way through the course (the fixture course,
// tests/fixtures/content/basic: alpha 4 sections + quiz, beta 2 sections + quiz with a Uruguay
// edition, gamma 1 section, no quiz).
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getModule, listModules } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import { pendingAnswers } from "~/db/schema";
import { cohortLabel, listUserCohorts } from "./cohort.server";
import { DEMO_ACCOUNTS, seedDemoIfEmpty } from "./demo.server";
import { makeCohort, makeUser } from "./factories.server";
import { learnerLesson, nextModule } from "./learner.server";
import { objectiveMastery } from "./mastery.server";
import { courseProgress, markSectionRead, moduleReadState, recordVisit } from "./progress.server";
import { keepPendingAnswers, openAttempt, submitAttempt, takePendingAnswers } from "./quiz.server";
import { findUserByEmail } from "./user.server";

const BASE_BETA = "Beta the national picture";
const URUGUAY_BETA = "Beta in Uruguay-fixture";

async function learner(edition: string | null = null) {
  const cohort = makeCohort({ edition });
  return makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null });
}

describe("cohort names", () => {
  // First in the file: the demo seed needs an empty database.
  it("name the demo cohort's edition once", async () => {
    expect(await seedDemoIfEmpty()).toBe(true);
    const demoLearner = findUserByEmail(DEMO_ACCOUNTS.find((a) => a.role === "learner")!.email)!;
    expect(listUserCohorts(demoLearner.id).map(cohortLabel)).toEqual(["Demo cohort (Uruguay edition)"]);
  });

  it("add the edition to a name that does not say it, and leave one that does", () => {
    expect(cohortLabel({ name: "Montevideo 2026", edition: "uruguay" })).toBe("Montevideo 2026 (Uruguay edition)");
    expect(cohortLabel({ name: "Demo cohort (Uruguay edition)", edition: "uruguay" })).toBe("Demo cohort (Uruguay edition)");
    expect(cohortLabel({ name: "Geneva 2027", edition: null })).toBe("Geneva 2027");
  });
});

describe("a module is named by the learner's edition", () => {
  it("in the course content itself", () => {
    expect(getModule("beta")?.title).toBe(BASE_BETA);
    expect(getModule("beta", "uruguay")).toMatchObject({ title: URUGUAY_BETA, summary: "The Uruguay-fixture edition." });
    // A module without an edition keeps its own name in every edition.
    expect(getModule("alpha", "uruguay")?.title).toBe(getModule("alpha")?.title);
    expect(listModules("uruguay").map((m) => m.title)).toContain(URUGUAY_BETA);
  });

  it("on the dashboard, the reader, the quiz and result pages, the next-module link and the mastery page", async () => {
    const uy = await learner("uruguay");
    const beta = courseProgress({ userId: uy.id }).modules.find((m) => m.slug === "beta")!;
    expect(beta).toMatchObject({ title: URUGUAY_BETA, summary: "The Uruguay-fixture edition." });
    expect(learnerLesson({ userId: uy.id, slug: "beta" })?.module.title).toBe(URUGUAY_BETA);
    expect(nextModule({ slug: "alpha", edition: "uruguay" })).toEqual({ slug: "beta", title: URUGUAY_BETA });
    const lo3 = objectiveMastery({ userId: uy.id }).find((o) => o.id === "LO3")!;
    expect(lo3.modules).toEqual([{ slug: "beta", title: URUGUAY_BETA }]);

    const standard = await learner();
    expect(courseProgress({ userId: standard.id }).modules.find((m) => m.slug === "beta")?.title).toBe(BASE_BETA);
    expect(objectiveMastery({ userId: standard.id }).find((o) => o.id === "LO3")?.modules[0]?.title).toBe(BASE_BETA);
  });

  it("and the last module has no next one", () => {
    expect(nextModule({ slug: "gamma", edition: null })).toBeUndefined();
    expect(nextModule({ slug: "nope", edition: null })).toBeUndefined();
  });
});

describe("Start or Continue", () => {
  it("is Start until part of the module is done, even after a visit", async () => {
    const user = await learner();
    const alpha = () => courseProgress({ userId: user.id }).modules.find((m) => m.slug === "alpha")!;
    expect(alpha().started).toBe(false);
    recordVisit({ userId: user.id, slug: "alpha", sectionId: "introduction" });
    expect(alpha()).toMatchObject({ status: "in-progress", sectionsRead: 0, started: false });
    markSectionRead({ userId: user.id, slug: "alpha", sectionId: "introduction" });
    expect(alpha().started).toBe(true);
  });
});

describe("a passed module", () => {
  it("knows its latest passed attempt, whose result it leads to", async () => {
    const user = await learner();
    const submit = (answers: Record<string, string[]>) => {
      const attempt = openAttempt({ userId: user.id, slug: "alpha" });
      submitAttempt({ userId: user.id, slug: "alpha", attemptId: attempt.id, answers: new Map(Object.entries(answers)) });
      return attempt.id;
    };
    expect(moduleReadState({ userId: user.id, slug: "alpha" }).passedAttemptId).toBeNull();
    submit({ q1: ["b"], q2: ["c"], q3: ["false"] });
    expect(moduleReadState({ userId: user.id, slug: "alpha" }).passedAttemptId).toBeNull();
    const pass = submit({ q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    expect(moduleReadState({ userId: user.id, slug: "alpha" })).toMatchObject({ quizPassed: true, passedAttemptId: pass });
    // A failed retake does not hide the pass.
    submit({ q1: ["b"], q2: ["c"], q3: ["false"] });
    expect(moduleReadState({ userId: user.id, slug: "alpha" }).passedAttemptId).toBe(pass);
  });
});

describe("answers posted after the session ended", () => {
  const posted = () => new Map(Object.entries({ q1: ["a"], q2: ["a", "b", "zzz"], q9: ["a"], q3: ["true"] }));

  it("are kept for the open attempt and given back once, to its learner only", async () => {
    const user = await learner();
    const attempt = openAttempt({ userId: user.id, slug: "alpha" });
    const token = keepPendingAnswers({ slug: "alpha", attemptId: attempt.id, answers: posted() })!;
    expect(token).toMatch(/^[\w-]{40,}$/);
    const other = await learner();
    expect(takePendingAnswers({ token, userId: other.id, attemptId: attempt.id })).toBeNull();
    expect(takePendingAnswers({ token: "forged", userId: user.id, attemptId: attempt.id })).toBeNull();
    // Only the quiz's own questions and choices are kept.
    expect(takePendingAnswers({ token, userId: user.id, attemptId: attempt.id })).toEqual({ q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    expect(takePendingAnswers({ token, userId: user.id, attemptId: attempt.id })).toBeNull();
  });

  it("are not kept for an unknown, submitted or other module's attempt", async () => {
    const user = await learner();
    expect(keepPendingAnswers({ slug: "alpha", attemptId: "no-such-attempt", answers: posted() })).toBeNull();
    const attempt = openAttempt({ userId: user.id, slug: "alpha" });
    expect(keepPendingAnswers({ slug: "beta", attemptId: attempt.id, answers: posted() })).toBeNull();
    submitAttempt({
      userId: user.id,
      slug: "alpha",
      attemptId: attempt.id,
      answers: new Map(Object.entries({ q1: ["a"], q2: ["a", "b"], q3: ["true"] })),
    });
    expect(keepPendingAnswers({ slug: "alpha", attemptId: attempt.id, answers: posted() })).toBeNull();
  });

  it("restore nothing once expired or once the attempt is submitted, and one row per attempt", async () => {
    const user = await learner();
    const attempt = openAttempt({ userId: user.id, slug: "alpha" });
    const first = keepPendingAnswers({ slug: "alpha", attemptId: attempt.id, answers: posted() })!;
    const second = keepPendingAnswers({ slug: "alpha", attemptId: attempt.id, answers: new Map([["q1", ["b"]]]) })!;
    expect(getDb().select().from(pendingAnswers).where(eq(pendingAnswers.attemptId, attempt.id)).all()).toHaveLength(1);
    expect(takePendingAnswers({ token: first, userId: user.id, attemptId: attempt.id })).toBeNull();

    getDb()
      .update(pendingAnswers)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(pendingAnswers.attemptId, attempt.id))
      .run();
    expect(takePendingAnswers({ token: second, userId: user.id, attemptId: attempt.id })).toBeNull();

    const third = keepPendingAnswers({ slug: "alpha", attemptId: attempt.id, answers: posted() })!;
    submitAttempt({
      userId: user.id,
      slug: "alpha",
      attemptId: attempt.id,
      answers: new Map(Object.entries({ q1: ["a"], q2: ["a", "b"], q3: ["true"] })),
    });
    expect(takePendingAnswers({ token: third, userId: user.id, attemptId: attempt.id })).toBeNull();
  });
});
