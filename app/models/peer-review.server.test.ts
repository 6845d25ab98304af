import { spawn } from "node:child_process";
import { randomId } from "~/auth/tokens.server";
import { and, eq, isNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { exerciseResults, exerciseReviews, type User } from "~/db/schema";
import { REVIEW_HOLD_MS } from "~/lib/rules";
import { completePeerReview, peerReviewFor, requestPeerReview, selfAssess, submissionOf, submitExercise } from "./exercise.server";
import { makeCohort, makeUser } from "./factories.server";
import { peerReviewPage, reviewsAssignedTo } from "./peer-review.server";
import { refreshLearner } from "./progress.server";

// The fixture's alpha exercise: tasks note (50–300 words) and lines (20–120); criteria analysis
// (levels 0–2) and action (0–1); self-assessment, 2 peer reviews per submission, an instructor.
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");
const TEXTS = { note: words(60), lines: words(25) };
const T0 = Date.UTC(2030, 0, 6, 9);
const at = (hours: number) => new Date(T0 + hours * 3_600_000);

async function cohortOf(n: number) {
  const cohort = makeCohort();
  return Promise.all(Array.from({ length: n }, (_, i) => makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null, name: `Peer ${i} ${cohort.slug}` })));
}

/** Each submits in the order given, a minute apart, before T0. */
function submitInOrder(users: User[]) {
  users.forEach((u, i) => submitExercise({ userId: u.id, slug: "alpha", texts: TEXTS, now: new Date(T0 - 3_600_000 + i * 60_000) }));
}

/** Whose submission the reviewer was given, or why none. */
function ask(reviewer: User, now = at(0)): string {
  const given = requestPeerReview({ userId: reviewer.id, slug: "alpha", now });
  return "reviewId" in given ? peerReviewFor(reviewer.id, given.reviewId).submission.userId : given.none;
}

function reviewIdOf(reviewer: User, author: User): string {
  const submission = submissionOf(author.id, "alpha")!;
  return getDb()
    .select({ id: exerciseReviews.id })
    .from(exerciseReviews)
    .where(and(eq(exerciseReviews.submissionId, submission.id), eq(exerciseReviews.reviewerId, reviewer.id)))
    .get()!.id;
}

function send(reviewer: User, author: User, levels: { analysis: number; action: number }, now = at(1)) {
  completePeerReview({ userId: reviewer.id, reviewId: reviewIdOf(reviewer, author), levels, comment: "Useful.", now });
}

function resultsOf(author: User): Record<string, number> {
  const submission = submissionOf(author.id, "alpha")!;
  const rows = getDb().select().from(exerciseResults).where(eq(exerciseResults.submissionId, submission.id)).all();
  return Object.fromEntries(rows.map((r) => [r.criterionId, r.score]));
}

/** Peer reviews of the author's submission that count toward its required number (sent, or held). */
function countedReviews(author: User, now = at(0)): number {
  const submission = submissionOf(author.id, "alpha")!;
  return getDb().get<{ n: number }>(sql`select count(*) as n from exercise_reviews where submission_id = ${submission.id}
    and kind = 'peer' and removed_at is null and (completed_at is not null or assigned_at >= ${now.getTime() - REVIEW_HOLD_MS})`)!.n;
}

/** Fills each submission with two sent reviews by the fillers (written directly: no levels needed to count). */
function fillUp(authors: User[], fillers: User[]) {
  for (const author of authors) {
    const submissionId = submissionOf(author.id, "alpha")!.id;
    for (const f of fillers) {
      getDb().insert(exerciseReviews).values({ id: randomId(), submissionId, kind: "peer", reviewerId: f.id, assignedAt: at(-1), completedAt: at(-1) }).run();
    }
  }
}

describe("peer review allocation", () => {
  it("gives the submission with the fewest counted reviews, then the oldest; a held review counts; never the reviewer's own or one reviewed already", async () => {
    const [s1, s2, s3, s4] = await cohortOf(4);
    submitInOrder([s1!, s2!, s3!, s4!]);
    expect(ask(s4!)).toBe(s1!.id); // none has a review: the oldest
    expect(ask(s3!)).toBe(s2!.id); // s1 is held by s4, so it counts one
    expect(ask(s2!)).toBe(s3!.id); // not their own
    expect(ask(s1!)).toBe(s4!.id);
    // s4 sends theirs and asks again: all have one; s1, the oldest, s4 reviewed already.
    send(s4!, s1!, { analysis: 2, action: 1 });
    expect(ask(s4!, at(2))).toBe(s2!.id);
    expect(countedReviews(s2!, at(2))).toBe(2);
    // s3 sends theirs: s2 is full, s1 (one) is older than s4 (one).
    send(s3!, s2!, { analysis: 1, action: 1 });
    expect(ask(s3!, at(2))).toBe(s1!.id);
    // s2 sends theirs: s1 and s3 are full now, s4 has one.
    send(s2!, s3!, { analysis: 1, action: 0 });
    expect(ask(s2!, at(2))).toBe(s4!.id);
    // s1 sends theirs on s4: s2 is full, s4 they reviewed, so s3, which has one.
    send(s1!, s4!, { analysis: 1, action: 0 });
    expect(ask(s1!, at(2))).toBe(s3!.id);
    expect([s1, s2, s3, s4].map((s) => countedReviews(s!, at(2)))).toEqual([2, 2, 2, 2]);
  });

  it("returns the open review again instead of giving a second one", async () => {
    const [a, b, c] = await cohortOf(3);
    submitInOrder([a!, b!, c!]);
    const first = requestPeerReview({ userId: c!.id, slug: "alpha", now: at(0) });
    const again = requestPeerReview({ userId: c!.id, slug: "alpha", now: at(1) });
    expect(again).toEqual(first);
    expect(reviewsAssignedTo({ userId: c!.id, slug: "alpha", now: at(1) })).toHaveLength(1);
  });

  it("never gives another cohort's submission, and says why there is none", async () => {
    const [lone] = await cohortOf(1);
    const [other1, other2] = await cohortOf(2);
    submitInOrder([other1!, other2!, lone!]);
    expect(ask(lone!)).toBe("none-waiting");

    const [drafting] = await cohortOf(1);
    expect(ask(drafting!)).toBe("not-submitted");
    const loner = await makeUser({ role: "learner", passwordHash: null });
    submitExercise({ userId: loner.id, slug: "alpha", texts: TEXTS, now: at(-1) });
    expect(ask(loner)).toBe("no-cohort");
  });

  it("returns a review not sent within 48 hours to the pool, where someone else takes it", async () => {
    const [a, b, c] = await cohortOf(3);
    submitInOrder([a!, b!, c!]);
    expect([ask(b!), ask(c!), ask(a!)]).toEqual([a!.id, b!.id, c!.id]);
    expect(reviewsAssignedTo({ userId: b!.id, slug: "alpha", now: at(47) })).toMatchObject([{ status: "to-do" }]);
    expect(countedReviews(a!, at(47))).toBe(1);

    // Nobody sent theirs: 49 hours on, the holds no longer count and show as returned.
    const later = at(49);
    expect(countedReviews(a!, later)).toBe(0);
    expect(reviewsAssignedTo({ userId: b!.id, slug: "alpha", now: later })).toMatchObject([{ status: "returned" }]);
    // c is not handed back their stale review of b: a, the oldest with none, goes to c.
    expect(ask(c!, later)).toBe(a!.id);
    // b may still send theirs late, and it counts beside c's.
    completePeerReview({ userId: b!.id, reviewId: reviewIdOf(b!, a!), levels: { analysis: 1, action: 1 }, now: at(50) });
    expect(countedReviews(a!, at(50))).toBe(2);
    expect(reviewsAssignedTo({ userId: b!.id, slug: "alpha", now: at(50) })).toMatchObject([{ status: "sent" }]);
  });

  it("gives the last place to exactly one of several processes asking at once", { timeout: 90_000 }, async () => {
    const [author, holder, x, y, ...askers] = await cohortOf(8);
    submitInOrder([author!, holder!, ...askers]);
    // One of the author's two places is held; every other submission has its two reviews.
    expect(ask(holder!, new Date())).toBe(author!.id);
    fillUp([holder!, ...askers], [x!, y!]);

    const children = askers.map((u) => askFromAnotherProcess(u.id));
    await Promise.all(children.map((c) => c.ready));
    children.forEach((c) => c.go());
    const answers = await Promise.all(children.map((c) => c.answer));

    const given = answers.filter((a): a is { reviewId: string } => "reviewId" in a);
    expect(given).toHaveLength(1);
    expect(answers.filter((a) => "none" in a && a.none === "none-waiting")).toHaveLength(askers.length - 1);
    const peerRows = getDb()
      .select({ id: exerciseReviews.id })
      .from(exerciseReviews)
      .where(and(eq(exerciseReviews.submissionId, submissionOf(author!.id, "alpha")!.id), eq(exerciseReviews.kind, "peer"), isNull(exerciseReviews.removedAt)))
      .all();
    expect(peerRows.map((r) => r.id).sort()).toEqual([reviewIdOf(holder!, author!), given[0]!.reviewId].sort());
  });
});

/** A learner asking from a process of their own (tests/support/request-peer-review.ts) on this database file. */
function askFromAnotherProcess(userId: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/request-peer-review.ts", userId, "alpha"], {
    env: process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += String(d);
      if (out.startsWith("ready\n")) resolve();
    });
    void exited.then((code) => reject(new Error(`the child exited (${code}) before it was ready: ${err}`)));
  });
  const answer = exited.then((code) => {
    if (code !== 0) throw new Error(`the child failed (${code}): ${err}`);
    return JSON.parse(out.slice("ready\n".length)) as ReturnType<typeof requestPeerReview>;
  });
  return { ready, answer, go: () => child.stdin.end("go\n") };
}

describe("the result rule, end to end", () => {
  it("is the peers' median once the required number is in: of 2, then of 3; removed reviews and the self-assessment never count", async () => {
    const [a, b, c, d, x, y] = await cohortOf(6);
    submitInOrder([a!, b!, c!, d!]);
    fillUp([b!, c!, d!], [x!, y!]);
    selfAssess({ userId: a!.id, slug: "alpha", levels: { analysis: 0, action: 0 }, now: at(0) });
    expect(ask(b!)).toBe(a!.id);
    expect(ask(c!)).toBe(a!.id);
    expect(ask(d!)).toBe("none-waiting"); // two held reviews fill a's places

    send(b!, a!, { analysis: 2, action: 1 }, at(1));
    expect(resultsOf(a!)).toEqual({}); // one of two: no result yet, and the self-assessment is no stand-in

    // c's hold runs out: d is given a in c's place and sends first; the median of 2.
    expect(ask(d!, at(49))).toBe(a!.id);
    send(d!, a!, { analysis: 1, action: 1 }, at(50));
    expect(resultsOf(a!)).toEqual({ analysis: 1.5, action: 1 });
    // c sends late, and it counts: the median of 3.
    send(c!, a!, { analysis: 0, action: 0 }, at(51));
    expect(resultsOf(a!)).toEqual({ analysis: 1, action: 1 });

    // A coordinator removes c's review (the removal itself is another part's): it no longer counts.
    const remove = (reviewer: User) => {
      getDb().update(exerciseReviews).set({ removedAt: at(52) }).where(eq(exerciseReviews.id, reviewIdOf(reviewer, a!))).run();
      getDb().transaction((tx) => refreshLearner(tx, a!.id), { behavior: "immediate" });
    };
    remove(c!);
    expect(resultsOf(a!)).toEqual({ analysis: 1.5, action: 1 });
    remove(d!);
    expect(resultsOf(a!)).toEqual({});
    // The removed review is no longer the reviewer's to open.
    expect(() => peerReviewPage({ userId: d!.id, slug: "alpha", reviewId: reviewIdOf(d!, a!) })).toThrow(/no such review/);
  });
});
