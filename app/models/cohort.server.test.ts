import { describe, expect, it } from "vitest";
import { DomainError } from "./errors.server";
import { makeCohort, makeUser, makeUserSync } from "./factories.server";
import { createInvitations } from "./invitation.server";
import {
  addCoordinator,
  createCohort,
  getCoordinatedCohort,
  listCoordinatedCohorts,
  listMembers,
  PAGE_SIZE,
} from "./cohort.server";

describe("cohorts", () => {
  it("the creator coordinates the new cohort; slugs are unique", async () => {
    const coordinator = await makeUser({ role: "coordinator", passwordHash: null });
    const cohort = createCohort({ slug: "geneva-2027", name: "Geneva 2027", edition: null, coordinatorId: coordinator.id });
    expect(getCoordinatedCohort({ cohort: "geneva-2027", userId: coordinator.id })?.id).toBe(cohort.id);
    expect(getCoordinatedCohort({ cohort: cohort.id, userId: coordinator.id })?.slug).toBe("geneva-2027");
    expect(() => createCohort({ slug: "geneva-2027", name: "Again", edition: null, coordinatorId: coordinator.id })).toThrow(
      /slug already exists/,
    );
  });

  it("a coordinator sees only their cohorts, with learner and open-invitation counts", async () => {
    const mine = await makeUser({ role: "coordinator", passwordHash: null });
    const theirs = await makeUser({ role: "coordinator", passwordHash: null });
    const a = makeCohort({ coordinatorId: mine.id, name: "A cohort" });
    const b = makeCohort({ coordinatorId: theirs.id });
    await makeUser({ role: "learner", cohortId: a.id, passwordHash: null });
    await makeUser({ role: "instructor", cohortId: a.id, passwordHash: null });
    createInvitations({ cohortId: a.id, role: "learner", count: 2, createdBy: null });
    createInvitations({ cohortId: a.id, role: "learner", count: 1, expiresDays: -1, createdBy: null });
    expect(listCoordinatedCohorts(mine.id)).toEqual([expect.objectContaining({ id: a.id, learners: 1, pendingInvitations: 2 })]);
    expect(getCoordinatedCohort({ cohort: b.id, userId: mine.id })).toBeUndefined();
    expect(getCoordinatedCohort({ cohort: b.slug, userId: mine.id })).toBeUndefined();
  });

  it("lists members a page at a time, coordinators first", async () => {
    const coordinator = await makeUser({ role: "coordinator", passwordHash: null, name: "Zed Coordinator" });
    const cohort = makeCohort({ coordinatorId: coordinator.id });
    for (let i = 0; i < PAGE_SIZE + 5; i++) {
      makeUserSync({ role: "learner", cohortId: cohort.id, passwordHash: null, name: `Learner ${String(i).padStart(3, "0")}` });
    }
    const first = listMembers({ cohortId: cohort.id });
    expect(first.total).toBe(PAGE_SIZE + 6);
    expect(first.rows).toHaveLength(PAGE_SIZE);
    expect(first.rows[0]?.name).toBe("Zed Coordinator");
    expect(first.rows[1]?.name).toBe("Learner 000");
    const second = listMembers({ cohortId: cohort.id, page: 2 });
    expect(second.rows.map((m) => m.name)).toEqual([49, 50, 51, 52, 53, 54].map((i) => `Learner 0${i}`));
  });

  it("adds existing coordinators only", async () => {
    const cohort = makeCohort();
    const learner = await makeUser({ role: "learner", passwordHash: null });
    const colleague = await makeUser({ role: "coordinator", passwordHash: null });
    const refusal = (email: string) => {
      try {
        addCoordinator({ cohortId: cohort.id, email });
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        return (error as DomainError).message;
      }
      throw new Error(`${email} was added`);
    };
    // No account and an account that is not a coordinator's get one answer: nothing is revealed.
    expect(refusal("ghost@example.test")).toMatch(/No active coordinator account/);
    expect(refusal(learner.email)).toBe(refusal("ghost@example.test"));
    addCoordinator({ cohortId: cohort.id, email: colleague.email.toUpperCase() });
    expect(() => addCoordinator({ cohortId: cohort.id, email: colleague.email })).toThrow(/already coordinates/);
    expect(getCoordinatedCohort({ cohort: cohort.id, userId: colleague.id })?.id).toBe(cohort.id);
  });
});
