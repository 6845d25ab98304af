import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { auditLog, exerciseResults, exerciseReviews } from "~/db/schema";
import { removePeerReview } from "./coordinator-actions.server";
import { DomainError, NotFound } from "./errors.server";
import { completePeerReview, requestPeerReview, saveDraft, selfAssess, submissionOf, submitExercise } from "./exercise.server";
import { reviewAsStaff, reviewQueue, reviewQueueCount, staffSubmission, type Staff } from "./exercise-queue.server";
import { PAGE_SIZE } from "./cohort.server";
import { makeCohort, makeUser } from "./factories.server";
import { objectiveMastery } from "./mastery.server";

// The fixture's alpha exercise: tasks note (50–300 words) and lines (20–120); criteria analysis
// (LO1, levels 0–2) and action (LO2, levels 0–1); self, 2 peers and an instructor.
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");
const TEXTS = { note: words(60), lines: words(25) };
const T0 = Date.parse("2026-03-01T09:00:00Z");

/** A cohort with its coordinator and n learners who submitted alpha one minute apart, the last first. */
async function cohortWithSubmissions(n: number, { start = T0 } = {}) {
  const coordinator = await makeUser({ role: "coordinator", passwordHash: null });
  const cohort = makeCohort({ coordinatorId: coordinator.id });
  const learners = [];
  for (let i = 0; i < n; i++) {
    const learner = await makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null, name: `Learner ${i} ${cohort.slug}` });
    learners.push(learner);
  }
  // Submitted in reverse order of creation, so that the queue's order is not the insertion order.
  learners.forEach((l, i) => submitExercise({ userId: l.id, slug: "alpha", texts: TEXTS, now: new Date(start + (n - i) * 60_000) }));
  const staff: Staff = { id: coordinator.id, role: "coordinator" };
  return { coordinator, staff, cohort, learners };
}

/** Every learner asks for a review and sends it, `rounds` times; Cy's levels differ from the others'. */
function peerRounds(learners: { id: string }[], rounds: number, levelsOf: (i: number) => Record<string, string>) {
  for (let round = 0; round < rounds; round++) {
    learners.forEach((u, i) => {
      const given = requestPeerReview({ userId: u.id, slug: "alpha" });
      if (!("reviewId" in given)) throw new Error(given.none);
      completePeerReview({ userId: u.id, reviewId: given.reviewId, levels: levelsOf(i), comment: `From ${i}` });
    });
  }
}

describe("the instructor queue", () => {
  it("lists submitted exercises waiting for an instructor, oldest first, filtered by module and cohort, in the staff member's scope", async () => {
    const instructor = await makeUser({ role: "instructor", passwordHash: null });
    const staff: Staff = { id: instructor.id, role: "instructor" };
    const before = reviewQueueCount(staff);
    const a = await cohortWithSubmissions(3);
    const b = await cohortWithSubmissions(1);
    // A draft is not waiting.
    const drafter = await makeUser({ role: "learner", cohortId: a.cohort.id, passwordHash: null });
    saveDraft({ userId: drafter.id, slug: "alpha", texts: { note: "not yet" } });
    selfAssess({ userId: a.learners[2]!.id, slug: "alpha", levels: { analysis: "1", action: "1" } });

    expect(reviewQueueCount(staff)).toBe(before + 4);
    const own = reviewQueue({ staff, filters: { cohort: a.cohort.slug } });
    expect(own.total).toBe(3);
    // Oldest first: the last learner submitted first.
    expect(own.rows.map((r) => r.learnerName)).toEqual([2, 1, 0].map((i) => `Learner ${i} ${a.cohort.slug}`));
    expect(own.rows[0]).toMatchObject({ cohortName: a.cohort.name, moduleSlug: "alpha", moduleTitle: "Alpha: threats", peersIn: 0, peersNeeded: 2, selfAssessed: true });
    expect(own.rows[1]!.selfAssessed).toBe(false);
    expect(reviewQueue({ staff, filters: { cohort: a.cohort.slug, module: "beta" } }).total).toBe(0);
    expect(reviewQueue({ staff, filters: { cohort: b.cohort.slug, module: "alpha" } }).total).toBe(1);

    // A coordinator sees their cohort only, whatever the filter asks for.
    expect(reviewQueueCount(a.staff)).toBe(3);
    expect(reviewQueue({ staff: a.staff }).rows.map((r) => r.cohortName)).toEqual([a.cohort.name, a.cohort.name, a.cohort.name]);
    expect(reviewQueue({ staff: a.staff, filters: { cohort: b.cohort.slug } }).total).toBe(0);
    const theirs = submissionOf(b.learners[0]!.id, "alpha")!.id;
    expect(() => staffSubmission(a.staff, theirs)).toThrow(NotFound);
    expect(() => reviewAsStaff({ staff: a.staff, submissionId: theirs, levels: { analysis: 1, action: 1 } })).toThrow(NotFound);
    expect(() => staffSubmission(staff, submissionOf(drafter.id, "alpha")!.id)).toThrow(NotFound);

    // Reviewing takes a submission out of the waiting list and into the reviewed one.
    reviewAsStaff({ staff: a.staff, submissionId: own.rows[0]!.submissionId, levels: { analysis: "2", action: "1" }, feedback: "Good." });
    expect(reviewQueueCount(a.staff)).toBe(2);
    expect(reviewQueueCount(staff)).toBe(before + 3);
    expect(reviewQueue({ staff: a.staff, view: "reviewed" }).rows.map((r) => r.submissionId)).toEqual([own.rows[0]!.submissionId]);
    expect(reviewQueue({ staff: a.staff, view: "all" }).total).toBe(3);
  });

  it("pages the queue, PAGE_SIZE rows a page, the most recent submissions last", async () => {
    const { staff, learners } = await cohortWithSubmissions(PAGE_SIZE + 2);
    const first = reviewQueue({ staff, page: 1 });
    expect(first).toMatchObject({ total: PAGE_SIZE + 2, page: 1, pages: 2 });
    expect(first.rows).toHaveLength(PAGE_SIZE);
    const second = reviewQueue({ staff, page: 2 });
    // cohortWithSubmissions submits the last-created learner first: learners 1 and 0 came last.
    expect(second.rows.map((r) => r.learnerName)).toEqual([learners[1]!.name, learners[0]!.name]);
    // A page beyond the last shows the last.
    expect(reviewQueue({ staff, page: 9 }).page).toBe(2);
  });
});

describe("an instructor's review", () => {
  it("releases the result to the learner and overrides the peers' median; a later save replaces it", async () => {
    const { staff, learners } = await cohortWithSubmissions(3);
    const [ana] = learners;
    peerRounds(learners, 2, (i) => (i === 2 ? { analysis: "2", action: "0" } : { analysis: "1", action: "1" }));
    const id = submissionOf(ana!.id, "alpha")!.id;
    const peers = staffSubmission(staff, id);
    expect(peers.peers).toHaveLength(2);
    expect(peers.peers.every((p) => p.reviewerName?.startsWith("Learner"))).toBe(true);
    expect(Object.values(peers.results).map((r) => r.source)).toEqual(["peers", "peers"]);

    reviewAsStaff({ staff, submissionId: id, levels: { analysis: "0", action: "0" }, feedback: "Start again from the brief." });
    const reviewed = staffSubmission(staff, id);
    expect(reviewed.results).toEqual({ analysis: { score: 0, maxScore: 2, source: "instructor" }, action: { score: 0, maxScore: 1, source: "instructor" } });
    expect(reviewed.instructor).toMatchObject({ levels: { analysis: 0, action: 0 }, comment: "Start again from the brief." });
    expect(objectiveMastery({ userId: ana!.id })[0]).toMatchObject({ answered: 1, correct: 0 });

    reviewAsStaff({ staff, submissionId: id, levels: { analysis: "2", action: "1" }, feedback: "On reflection, well done." });
    expect(staffSubmission(staff, id).results.analysis).toEqual({ score: 2, maxScore: 2, source: "instructor" });
    expect(getDb().select().from(exerciseReviews).where(and(eq(exerciseReviews.submissionId, id), eq(exerciseReviews.kind, "instructor"))).all()).toHaveLength(1);
    expect(objectiveMastery({ userId: ana!.id })[0]).toMatchObject({ answered: 1, correct: 1 });
  });
});

describe("removing a peer review", () => {
  it("is audited, recomputes the result, and is refused to another cohort's coordinator", async () => {
    const { coordinator, cohort, staff, learners } = await cohortWithSubmissions(3);
    const other = await cohortWithSubmissions(1);
    const [ana] = learners;
    peerRounds(learners, 2, (i) => (i === 2 ? { analysis: "2", action: "0" } : { analysis: "1", action: "1" }));
    const id = submissionOf(ana!.id, "alpha")!.id;
    const before = staffSubmission(staff, id);
    expect(before.canModerate).toBe(true);
    expect(getDb().select().from(exerciseResults).where(eq(exerciseResults.submissionId, id)).all()).toHaveLength(2);
    const target = before.peers[0]!;

    const scope = { actor: { id: coordinator.id, name: coordinator.name }, cohort };
    const otherScope = { actor: { id: other.coordinator.id, name: other.coordinator.name }, cohort: other.cohort };
    expect(() => removePeerReview(otherScope, { submissionId: id, reviewId: target.id, reason: "Rude." })).toThrow(NotFound);
    expect(getDb().select().from(auditLog).where(eq(auditLog.cohortId, other.cohort.id)).all()).toHaveLength(0);

    const { message } = removePeerReview(scope, { submissionId: id, reviewId: target.id, reason: "Insulting language." });
    expect(message).toContain(ana!.name);
    const after = staffSubmission(staff, id);
    expect(after.peers.find((p) => p.id === target.id)).toMatchObject({ removedByName: coordinator.name });
    expect(after.peers.find((p) => p.id === target.id)!.removedAt).toBeInstanceOf(Date);
    // One counted peer review of the two needed: no result any more, and no mastery evidence.
    expect(after.results).toEqual({});
    expect(getDb().select().from(exerciseResults).where(eq(exerciseResults.submissionId, id)).all()).toHaveLength(0);
    expect(objectiveMastery({ userId: ana!.id })[0]).toMatchObject({ answered: 0 });
    const entries = getDb().select().from(auditLog).where(and(eq(auditLog.cohortId, cohort.id), eq(auditLog.action, "remove-review"))).all();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: coordinator.id, subjectName: target.reviewerName });
    expect(entries[0]!.detail).toContain("Insulting language.");

    expect(() => removePeerReview(scope, { submissionId: id, reviewId: target.id, reason: "Again." })).toThrow(DomainError);
    // The freed place goes back to the pool: a new reviewer can give the second review.
    expect(reviewQueue({ staff, filters: { cohort: cohort.slug } }).rows.find((r) => r.submissionId === id)!.peersIn).toBe(1);
  });
});
