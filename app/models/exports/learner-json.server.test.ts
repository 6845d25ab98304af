import { beforeAll, describe, expect, it } from "vitest";
import { audit } from "~/models/audit.server";
import { makeCohort, makeUser } from "~/models/factories.server";
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
