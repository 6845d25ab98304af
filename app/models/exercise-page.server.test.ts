import { describe, expect, it } from "vitest";
import { makeCohort, makeUser } from "./factories.server";
import { keepPendingDrafts, takePendingDrafts } from "./exercise-drafts.server";
import { exercisePage, exercisesWaiting } from "./exercise-page.server";
import { AlreadySubmitted, completePeerReview, requestPeerReview, saveDraft, saveInstructorReview, selfAssess, submissionOf, submitExercise } from "./exercise.server";

// The fixture's alpha exercise: tasks note (50–300 words) and lines (20–120); criteria analysis
// (levels 0–2) and action (0–1); self, 2 peers and an instructor. Its model answer holds the marker.
const words = (n: number, w = "word") => Array.from({ length: n }, (_, i) => `${w}${i}`).join(" ");
const TEXTS = { note: words(60), lines: words(25) };
const MODEL = "MARKER-MODEL-ANSWER-ALPHA";

async function cohortOf(n: number) {
  const cohort = makeCohort();
  return Promise.all(Array.from({ length: n }, () => makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null })));
}

describe("the exercise page's data", () => {
  it("holds no model answer before submission nor before the self-assessment, then shows it", async () => {
    const [ana] = await cohortOf(1);
    expect(exercisePage(ana!.id, "alpha")).toMatchObject({ status: "not-started", savedAt: null, modelAnswerHtml: null, feedback: null });
    saveDraft({ userId: ana!.id, slug: "alpha", texts: { note: "a start" } });
    const draft = exercisePage(ana!.id, "alpha");
    expect(draft).toMatchObject({ status: "draft", texts: { note: "a start", lines: "" }, canReviewPeers: false });
    expect(JSON.stringify(draft)).not.toContain(MODEL);
    submitExercise({ userId: ana!.id, slug: "alpha", texts: TEXTS });
    const submitted = exercisePage(ana!.id, "alpha");
    expect(submitted).toMatchObject({ status: "submitted", selfAssessmentDue: true, canReviewPeers: true });
    expect(JSON.stringify(submitted)).not.toContain(MODEL);
    selfAssess({ userId: ana!.id, slug: "alpha", levels: { analysis: "1", action: "1" } });
    expect(exercisePage(ana!.id, "alpha")).toMatchObject({ selfAssessmentDue: false, modelAnswerHtml: expect.stringContaining(MODEL) });
  });

  it("a module without an exercise is not found", async () => {
    const [ana] = await cohortOf(1);
    expect(() => exercisePage(ana!.id, "gamma")).toThrow(/no practical exercise/);
  });

  it("shows peers by number only, beside the learner's own and the instructor's levels and the result", async () => {
    const [ana, ben, cy] = await cohortOf(3);
    for (const u of [ana!, ben!, cy!]) submitExercise({ userId: u.id, slug: "alpha", texts: TEXTS });
    selfAssess({ userId: ana!.id, slug: "alpha", levels: { analysis: "2", action: "0" } });
    for (const [u, levels] of [
      [ben!, { analysis: "1", action: "1" }],
      [cy!, { analysis: "2", action: "0" }],
    ] as const) {
      let given = requestPeerReview({ userId: u.id, slug: "alpha" });
      // Each asks until they are given Ana's submission.
      while ("reviewId" in given && given.reviewId) {
        const mine = completePeerReview({ userId: u.id, reviewId: given.reviewId, levels, comment: "Clear and useful." });
        if (submissionOf(ana!.id, "alpha")!.id === mine.submissionId) break;
        given = requestPeerReview({ userId: u.id, slug: "alpha" });
      }
    }
    const page = exercisePage(ana!.id, "alpha");
    const json = JSON.stringify(page);
    expect(json).not.toContain(ben!.name);
    expect(json).not.toContain(ben!.id);
    expect(json).not.toContain(cy!.id);
    expect(page.status).toBe("reviewed");
    const analysis = page.feedback!.criteria.find((c) => c.id === "analysis")!;
    expect(analysis).toMatchObject({ self: 2, peers: [1, 2], instructor: null, result: { score: 1.5, source: "peers" }, maxScore: 2 });
    expect(page.feedback!.peerComments.map((c) => c.peer)).toEqual([1, 2]);

    saveInstructorReview({ staffId: cy!.id, submissionId: submissionOf(ana!.id, "alpha")!.id, levels: { analysis: 2, action: 1 }, feedback: "Well argued." });
    const after = exercisePage(ana!.id, "alpha").feedback!;
    expect(after.criteria.find((c) => c.id === "action")).toMatchObject({ instructor: 1, result: { score: 1, source: "instructor" } });
    expect(after.instructorFeedback).toBe("Well argued.");
  });

  it("tells the dashboard of a draft, of reviews to give and of feedback received", async () => {
    const [ana, ben, cy] = await cohortOf(3);
    saveDraft({ userId: ana!.id, slug: "alpha", texts: { note: "begun" } });
    expect(exercisesWaiting(ana!.id)).toEqual([{ slug: "alpha", title: "Alpha: threats", kind: "draft", count: 1 }]);
    submitExercise({ userId: ana!.id, slug: "alpha", texts: TEXTS });
    expect(exercisesWaiting(ana!.id)).toEqual([]);
    submitExercise({ userId: ben!.id, slug: "alpha", texts: TEXTS });
    submitExercise({ userId: cy!.id, slug: "alpha", texts: TEXTS });
    expect(exercisesWaiting(ana!.id)).toEqual([{ slug: "alpha", title: "Alpha: threats", kind: "reviews", count: 2 }]);
    // A review being given still waits; once sent, one fewer.
    const given = requestPeerReview({ userId: ana!.id, slug: "alpha" });
    expect(exercisesWaiting(ana!.id)[0]!.count).toBe(2);
    completePeerReview({ userId: ana!.id, reviewId: (given as { reviewId: string }).reviewId, levels: { analysis: 1, action: 1 } });
    expect(exercisesWaiting(ana!.id)[0]!.count).toBe(1);
    saveInstructorReview({ staffId: cy!.id, submissionId: submissionOf(ana!.id, "alpha")!.id, levels: { analysis: 2, action: 1 } });
    expect(exercisesWaiting(ana!.id).map((w) => w.kind)).toEqual(["reviews", "feedback"]);
  });
});

describe("drafts are never lost", () => {
  it("a double submission of the same texts submits once; a second tab's later save wins; a save after submitting is refused", async () => {
    const [ana] = await cohortOf(1);
    saveDraft({ userId: ana!.id, slug: "alpha", texts: { note: "tab one" } });
    saveDraft({ userId: ana!.id, slug: "alpha", texts: { note: "tab two", lines: "lines" } });
    expect(exercisePage(ana!.id, "alpha").texts).toEqual({ note: "tab two", lines: "lines" });
    const first = submitExercise({ userId: ana!.id, slug: "alpha", texts: TEXTS });
    const second = submitExercise({ userId: ana!.id, slug: "alpha", texts: TEXTS });
    expect(second.submittedAt).toEqual(first.submittedAt);
    expect(() => saveDraft({ userId: ana!.id, slug: "alpha", texts: { note: "changed" } })).toThrow(AlreadySubmitted);
    expect(exercisePage(ana!.id, "alpha").texts).toEqual(TEXTS);
  });

  it("texts posted after the session ended are kept for their learner and module, given back once, and expire after a day", async () => {
    const [ana, ben] = await cohortOf(2);
    const texts = { note: "written while signed out", lines: "", "not-a-task": "x" };
    const token = keepPendingDrafts({ slug: "alpha", learnerId: ana!.id, texts })!;
    expect(token).toBeTruthy();
    expect(takePendingDrafts({ token, userId: ben!.id, slug: "alpha" })).toBeNull();
    expect(takePendingDrafts({ token, userId: ana!.id, slug: "beta" })).toBeNull();
    expect(takePendingDrafts({ token, userId: ana!.id, slug: "alpha" })).toEqual({ note: "written while signed out" });
    expect(takePendingDrafts({ token, userId: ana!.id, slug: "alpha" })).toBeNull();

    const later = keepPendingDrafts({ slug: "alpha", learnerId: ana!.id, texts })!;
    expect(takePendingDrafts({ token: later, userId: ana!.id, slug: "alpha", now: new Date(Date.now() + 25 * 3600_000) })).toBeNull();
    // Nothing is kept for a module without an exercise, or for an empty form.
    expect(keepPendingDrafts({ slug: "gamma", learnerId: ana!.id, texts })).toBeNull();
    expect(keepPendingDrafts({ slug: "alpha", learnerId: ana!.id, texts: { note: "  " } })).toBeNull();
  });
});
