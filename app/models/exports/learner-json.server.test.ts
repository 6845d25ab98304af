import { beforeAll, describe, expect, it } from "vitest";
import { audit } from "~/models/audit.server";
import { completePeerReview, requestPeerReview, selfAssess, submitExercise } from "~/models/exercise.server";
import { makeCohort, makeUser, words } from "~/models/factories.server";
import { markSectionRead } from "~/models/progress.server";
import { ensureCourseStructure } from "~/models/structure.server";
import { learnerExport } from "./learner-json.server";
import { answer, learnerIn } from "./test-support.server";

beforeAll(() => ensureCourseStructure());

describe("learner export", () => {
  it("contains the learner's records, their attempts with answers, and no password hash", async () => {
    const cohort = makeCohort();
    const user = await makeUser({ role: "learner", cohortId: cohort.id, name: "Lea Export", passwordHash: "$argon2id$v=19$MARKER-PASSWORD-HASH" });
    const other = await learnerIn(cohort.id, "Someone Else");
    markSectionRead({ userId: user.id, slug: "alpha", sectionId: "threats" });
    const attempt = await answer(user.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["false"] });
    await answer(other.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    const actor = { id: "coordinator-id", name: "Coordinator Name" };
    audit({ actor, cohortId: cohort.id, action: "view-learner", subject: { id: user.id, name: user.name } });
    audit({ actor, cohortId: cohort.id, action: "view-learner", subject: { id: other.id, name: other.name } });

    const data = learnerExport({ userId: user.id })!;
    const json = JSON.stringify(data);
    expect(json).not.toContain("MARKER-PASSWORD-HASH");
    expect(json).not.toMatch(/password_?hash/i);
    expect(json).not.toContain(other.id);
    expect(JSON.parse(json)).toEqual(data);

    expect(data.account).toMatchObject({ id: user.id, email: user.email, name: "Lea Export", role: "learner", hasPassword: true });
    expect(data.memberships).toEqual([expect.objectContaining({ cohortId: cohort.id, role: "learner" })]);
    expect(data.sectionReads).toEqual([expect.objectContaining({ moduleSlug: "alpha", sectionId: "threats" })]);
    expect(data.attempts).toHaveLength(1);
    expect(data.attempts[0]).toMatchObject({ id: attempt.id, score: attempt.score, correctCount: 2, passed: true, submittedAt: attempt.submittedAt!.toISOString() });
    expect(data.attempts[0]!.answers.map((a) => [a.questionId, a.choiceIds, a.correct])).toEqual(
      expect.arrayContaining([
        ["q1", ["a"], true],
        ["q2", ["a", "b"], true],
        ["q3", ["false"], false],
      ]),
    );
    expect(data.attempts[0]!.answers).toHaveLength(3);
    expect(data.auditEntries).toEqual([expect.objectContaining({ action: "view-learner", actorName: "Coordinator Name", subjectName: user.name })]);
    expect(data.certificate).toBeNull();
    expect(learnerExport({ userId: "nobody" })).toBeUndefined();
  });
});

describe("learner export of practical exercises", () => {
  it("contains their submissions with texts, levels and results, the feedback received and the reviews given, without any peer's name", async () => {
    const cohort = makeCohort();
    const [lea, ben, cy] = await Promise.all(["Lea Exercise", "Ben Exercise", "Cy Exercise"].map((name) => learnerIn(cohort.id, name)));
    const texts = { note: words(60), lines: words(25) };
    [lea!, ben!, cy!].forEach((u, i) => submitExercise({ userId: u.id, slug: "alpha", texts, now: new Date(Date.now() + i * 1000) }));
    selfAssess({ userId: lea!.id, slug: "alpha", levels: { analysis: 2, action: 1 } });
    // Two rounds: Lea's submission gets Ben's review, then Cy's; Lea reviews Cy's.
    for (const u of [ben!, cy!, lea!, ben!, cy!]) {
      const given = requestPeerReview({ userId: u.id, slug: "alpha" });
      if (!("reviewId" in given)) throw new Error(given.none);
      completePeerReview({ userId: u.id, reviewId: given.reviewId, levels: { analysis: 1, action: u === lea ? 0 : 1 }, comment: u === lea ? "Lea's comment" : "A peer's comment" });
    }

    const data = learnerExport({ userId: lea!.id })!;
    expect(data.exercises).toHaveLength(1);
    expect(data.exercises[0]).toMatchObject({ moduleSlug: "alpha", edition: "", texts, status: "reviewed", peerReviewsReceived: 2 });
    expect(data.exercises[0]!.criteria).toEqual([
      { criterionId: "analysis", objectives: ["LO1"], self: 2, peers: [1, 1], instructor: null, result: 1, maxScore: 2, source: "peers" },
      { criterionId: "action", objectives: ["LO2"], self: 1, peers: [1, 1], instructor: null, result: 1, maxScore: 1, source: "peers" },
    ]);
    expect(data.exercises[0]!.reviewsReceived.map((r) => [r.kind, r.comment])).toEqual([
      ["peer", "A peer's comment"],
      ["peer", "A peer's comment"],
    ]);
    expect(data.peerReviewsGiven).toEqual([expect.objectContaining({ moduleSlug: "alpha", levels: { analysis: 1, action: 0 }, comment: "Lea's comment" })]);
    // Comments are kept as written; nothing names the peers or points at their submissions.
    const json = JSON.stringify(data);
    for (const peer of [ben!, cy!]) {
      expect(json).not.toContain(peer.id);
      expect(json).not.toContain(peer.name);
    }
  });
});
