// The coordinator's view of practical exercises: the review backlog and a learner's submissions.
// The fixture's alpha exercise: criteria analysis (LO1, 0–2) and action (LO2, 0–1); self, 2 peers
// and an instructor.
import { describe, expect, it } from "vitest";
import { completePeerReview, requestPeerReview, saveDraft, saveInstructorReview, selfAssess, submitExercise } from "./exercise.server";
import { learnerExercises, reviewBacklog } from "./exercise-report.server";
import { makeCohort, makeUser, makeUserSync, words } from "./factories.server";
import { cohortPrintReport, cohortReport, moduleCells } from "./report.server";

const TEXTS = { note: words(60), lines: words(25) };

function review(userId: string, levels: Record<string, number>) {
  const given = requestPeerReview({ userId, slug: "alpha" });
  if (!("reviewId" in given)) throw new Error(`no review to give: ${given.none}`);
  completePeerReview({ userId, reviewId: given.reviewId, levels, comment: "Clear." });
}

describe("the cohort's exercises", () => {
  it("counts the review backlog per module, and shows a learner's submissions with each criterion's levels and result", async () => {
    const cohort = makeCohort();
    const make = (name: string, cohortId = cohort.id) => makeUser({ name, role: "learner", cohortId, passwordHash: null });
    const [ana, ben, cy, dee, zed] = await Promise.all([make("Ana"), make("Ben"), make("Cy"), make("Dee"), make("Zed", makeCohort().id)]);
    const t0 = Date.now();
    [ana!, ben!, cy!].forEach((u, i) => submitExercise({ userId: u.id, slug: "alpha", texts: TEXTS, now: new Date(t0 + i * 1000) }));
    saveDraft({ userId: dee!.id, slug: "alpha", texts: { note: "a start" } });
    submitExercise({ userId: zed!.id, slug: "alpha", texts: TEXTS });
    selfAssess({ userId: ana!.id, slug: "alpha", levels: { analysis: 2, action: 1 } });
    // Round one: Ben → Ana, Cy → Ben, Ana → Cy; round two: Ben → Cy, Cy → Ana. Ana has two reviews.
    for (const u of [ben!, cy!, ana!, ben!, cy!]) review(u.id, u === cy ? { analysis: 2, action: 0 } : { analysis: 1, action: 1 });
    const staff = makeUserSync({ role: "instructor", passwordHash: null });
    const bens = learnerExercises(ben!.id).exercises[0]!;
    saveInstructorReview({ staffId: staff.id, submissionId: bens.submissionId, levels: { analysis: 1, action: 1 }, feedback: "Fine" });

    // Submitted 3 (Dee's draft and the other cohort's Zed not counted); Ben's has one peer review of
    // two; Ana's and Cy's wait for an instructor; all three have results (Ana's and Cy's the peers'
    // median, Ben's the instructor's levels).
    expect(reviewBacklog(cohort.id)).toEqual([{ slug: "alpha", submitted: 3, waitingForPeers: 1, waitingForInstructor: 2, reviewed: 3 }]);
    expect(cohortReport(cohort.id, { filter: "all", sort: "name", dir: "asc", page: 1 }).backlog).toEqual(reviewBacklog(cohort.id));
    expect(cohortPrintReport(cohort.id).backlog).toEqual(reviewBacklog(cohort.id));

    const mine = learnerExercises(ana!.id);
    expect(mine.reviewsGiven).toBe(1);
    expect(mine.exercises).toHaveLength(1);
    expect(mine.exercises[0]).toMatchObject({ slug: "alpha", status: "reviewed", peerReviewsReceived: 2, peersRequired: 2 });
    expect(mine.exercises[0]!.criteria.map((c) => [c.criterionId, c.objectives, c.self, c.peers, c.instructor, c.result, c.maxScore, c.source])).toEqual([
      ["analysis", ["LO1"], 2, [1, 2], null, 1.5, 2, "peers"],
      ["action", ["LO2"], 1, [1, 0], null, 0.5, 1, "peers"],
    ]);
    expect(learnerExercises(ben!.id).exercises[0]!.criteria.map((c) => [c.peers, c.instructor, c.result, c.source])).toEqual([
      [[2], 1, 1, "instructor"],
      [[0], 1, 1, "instructor"],
    ]);
    expect(learnerExercises(ben!.id).reviewsGiven).toBe(2);
    // A draft is listed without levels.
    expect(learnerExercises(dee!.id).exercises).toMatchObject([{ status: "draft", submittedAt: null, criteria: [] }]);
    // The report's cells say the same statuses.
    for (const u of [ana!, ben!, cy!, dee!]) {
      const cell = moduleCells({ userIds: [u.id] }).find((c) => c.slug === "alpha")!;
      expect(cell.exercise!.status).toBe(learnerExercises(u.id).exercises[0]!.status);
    }
  });
});
