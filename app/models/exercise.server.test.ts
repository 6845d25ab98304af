import { describe, expect, it } from "vitest";
import { makeCohort, makeUser } from "./factories.server";
import { objectiveMastery } from "./mastery.server";
import { completePeerReview, requestPeerReview, saveDraft, saveInstructorReview, selfAssess, submissionOf, submitExercise, WordLimits } from "./exercise.server";
import { moduleCells } from "./report.server";

// The fixture's alpha exercise: tasks note (50–300 words) and lines (20–120); criteria analysis
// (LO1, levels 0–2) and action (LO2, levels 0–1); self, 2 peers and an instructor; not required.
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");
const TEXTS = { note: words(60), lines: words(25) };

async function cohortOf(n: number) {
  const cohort = makeCohort();
  return Promise.all(Array.from({ length: n }, () => makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null })));
}

describe("exercise smoke", () => {
  it("drafts, submits, self-assesses, is reviewed by peers and an instructor, and counts", async () => {
    const [ana, ben, cy] = await cohortOf(3);
    saveDraft({ userId: ana!.id, slug: "alpha", texts: { note: "first" } });
    saveDraft({ userId: ana!.id, slug: "alpha", texts: { note: "second" } });
    expect(submissionOf(ana!.id, "alpha")!.texts).toEqual({ note: "second", lines: "" });
    expect(() => submitExercise({ userId: ana!.id, slug: "alpha", texts: { note: words(10) } })).toThrow(WordLimits);
    expect(submissionOf(ana!.id, "alpha")!.texts.note).toBe(words(10));
    [ana!, ben!, cy!].forEach((u, i) => submitExercise({ userId: u.id, slug: "alpha", texts: TEXTS, now: new Date(Date.now() + i * 1000) }));
    submitExercise({ userId: ana!.id, slug: "alpha", texts: TEXTS });
    selfAssess({ userId: ana!.id, slug: "alpha", levels: { analysis: "2", action: "1" } });
    expect(moduleCells({ userIds: [ana!.id] }).find((c) => c.slug === "alpha")!.exercise).toEqual({ required: false, status: "submitted", done: true });

    // Two rounds: each learner asks for a review and sends it; the fewest-reviews rule gives every
    // submission two reviewers, Ben and Cy for Ana.
    for (let round = 0; round < 2; round++) {
      for (const u of [ben!, cy!, ana!]) {
        const given = requestPeerReview({ userId: u.id, slug: "alpha" });
        if (!("reviewId" in given)) throw new Error(`no review for ${u.name}: ${given.none}`);
        const levels = u === cy ? { analysis: "2", action: "0" } : { analysis: "1", action: "1" };
        completePeerReview({ userId: u.id, reviewId: given.reviewId, levels, comment: "Clear." });
      }
    }
    const [lo1, lo2] = objectiveMastery({ userId: ana!.id });
    expect(lo1).toMatchObject({ answered: 1, correct: 0.75 });
    expect(lo2).toMatchObject({ answered: 1, correct: 0.5 });
    saveInstructorReview({ staffId: cy!.id, submissionId: submissionOf(ana!.id, "alpha")!.id, levels: { analysis: 2, action: 1 }, feedback: "Good" });
    const [i1, i2] = objectiveMastery({ userId: ana!.id });
    expect(i1).toMatchObject({ answered: 1, correct: 1 });
    expect(i2).toMatchObject({ answered: 1, correct: 1 });
    expect(moduleCells({ userIds: [ana!.id] }).find((c) => c.slug === "alpha")!.exercise!.status).toBe("reviewed");
  });
});
