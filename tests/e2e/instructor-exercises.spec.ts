// The staff side of the practical exercises on the fixture course: the instructor queue, a
// submission's page with its rubric, and a coordinator removing a peer review. Submissions and
// peer reviews are seeded with the app's own write model, as the other specs seed progress.
import { expect, test, type Page } from "@playwright/test";
import { completePeerReview, requestPeerReview, submissionOf, submitExercise } from "~/models/exercise.server";
import { apiAs, createCoordinatorWithCohort, createUser, expectNoAxeViolations, signIn, signOut } from "../support/e2e";

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");
const TEXTS = { note: `MARKER-LEARNER-NOTE ${words(60)}`, lines: words(25) };

/**
 * A cohort whose three learners submitted alpha (Ana first) and reviewed each other twice: every
 * submission has its two peer reviews, Cy's levels differing from the others'.
 */
async function reviewedCohort() {
  const { coordinator, cohort } = await createCoordinatorWithCohort();
  const names = ["Ana", "Ben", "Cy"].map((n) => `${n} ${cohort.slug}`);
  const learners = [];
  for (const name of names) learners.push(await createUser({ role: "learner", cohortId: cohort.id, name }));
  const start = Date.now() - 3 * 86_400_000;
  learners.forEach((l, i) => submitExercise({ userId: l.id, slug: "alpha", texts: TEXTS, now: new Date(start + i * 60_000) }));
  for (let round = 0; round < 2; round++) {
    learners.forEach((l, i) => {
      const given = requestPeerReview({ userId: l.id, slug: "alpha" });
      if (!("reviewId" in given)) throw new Error(given.none);
      const levels = i === 2 ? { analysis: "2", action: "0" } : { analysis: "1", action: "1" };
      completePeerReview({ userId: l.id, reviewId: given.reviewId, levels, comment: `MARKER-PEER-COMMENT-${i}` });
    });
  }
  const [ana] = learners;
  return { coordinator, cohort, learners, ana: ana!, anaSubmission: submissionOf(ana!.id, "alpha")!.id };
}

async function navCount(page: Page): Promise<number> {
  const text = await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Exercises to review \(\d+\)$/ }).textContent();
  return Number(/\((\d+)\)/.exec(text ?? "")![1]);
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("an instructor filters the queue, opens a submission, saves levels and feedback, and the count drops", async ({ page }) => {
      const f = await reviewedCohort();
      const other = await reviewedCohort();
      const instructor = await createUser({ role: "instructor" });
      await signIn(page, instructor.email);
      await page.goto("/instructor/exercises");
      const before = await navCount(page);
      expect(before).toBeGreaterThanOrEqual(6);

      await page.getByLabel("Module").selectOption("alpha");
      await page.getByLabel("Cohort").selectOption({ label: f.cohort.name });
      await page.getByRole("button", { name: "Filter" }).click();
      await expect(page).toHaveURL(new RegExp(`module=alpha&cohort=${f.cohort.slug}`));
      await expect(page.getByRole("heading", { level: 2, name: "Waiting for review: 3 submissions" })).toBeVisible();
      const rows = page.getByRole("table").getByRole("row");
      // Oldest first; each row says the peer reviews in and the self-assessment.
      await expect(page.getByRole("table").getByRole("rowheader")).toHaveText(f.learners.map((l) => l.name));
      await expect(rows.nth(1)).toContainText(f.cohort.name);
      await expect(rows.nth(1)).toContainText("Alpha: threats");
      await expect(rows.nth(1)).toContainText("2 of 2");
      await expect(rows.nth(1)).toContainText("Not yet");
      await expect(page.getByRole("table")).not.toContainText(other.cohort.name);
      if (javaScriptEnabled) await expectNoAxeViolations(page);

      await page.getByRole("link", { name: f.ana.name }).click();
      await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^${f.ana.name}`) })).toBeVisible();
      const main = page.getByRole("main");
      await expect(main).toContainText("MARKER-BRIEF-ALPHA");
      await expect(main).toContainText("MARKER-LEARNER-NOTE");
      await expect(main).toContainText("MARKER-MODEL-ANSWER-ALPHA");
      await expect(main).toContainText("MARKER-PEER-COMMENT");
      await expect(page.getByRole("heading", { level: 2, name: "Peer reviews (2 of 2)" })).toBeVisible();
      // Ben and Cy reviewed Ana: median of 1 and 2 is 1.5; of 1 and 0 is 0.5.
      await expect(main).toContainText("1.5 of 2 (median of the peers)");
      await expect(main).toContainText("Saving releases the result to the learner");
      if (javaScriptEnabled) await expectNoAxeViolations(page);

      // Without levels: the errors are shown beside the groups and the feedback is kept.
      await page.getByLabel("Feedback to the learner").fill("Well structured; name the consequences.");
      await page.getByRole("button", { name: "Save and release the result" }).click();
      const analysis = page.getByRole("group", { name: /Identifies the threat/ });
      const action = page.getByRole("group", { name: /Recommends a proportionate response/ });
      await expect(analysis).toContainText('Choose a level for "Identifies the threat and its consequences".');
      await expect(page.getByLabel("Feedback to the learner")).toHaveValue("Well structured; name the consequences.");
      if (javaScriptEnabled) await expectNoAxeViolations(page);

      await analysis.getByRole("radio", { name: "2 of 2 · Full" }).check();
      await action.getByRole("radio", { name: "0 of 1 · Missing" }).check();
      await page.getByRole("button", { name: "Save and release the result" }).click();
      await expect(page.getByRole("status")).toContainText("the result is released to the learner");
      await expect(main).toContainText("2 of 2 · Full (instructor's level)");
      await expect(main).toContainText("0 of 1 · Missing (instructor's level)");
      await expect(analysis.getByRole("radio", { name: "2 of 2 · Full" })).toBeChecked();
      await expect(navCount(page)).resolves.toBe(before - 1);

      // A later save replaces the review.
      await action.getByRole("radio", { name: "1 of 1 · Present" }).check();
      await page.getByRole("button", { name: "Save and release the new result" }).click();
      await expect(main).toContainText("1 of 1 · Present (instructor's level)");

      await page.goto(`/instructor/exercises?module=alpha&cohort=${f.cohort.slug}`);
      await expect(page.getByRole("heading", { level: 2, name: "Waiting for review: 2 submissions" })).toBeVisible();
      await page.getByRole("link", { name: "Reviewed", exact: true }).click();
      await expect(page.getByRole("table").getByRole("rowheader")).toHaveText([f.ana.name]);
    });
  });
}

test("staff outside the learner's cohort, learners and drafts get no submission page", async ({ baseURL }) => {
  const f = await reviewedCohort();
  const other = await createCoordinatorWithCohort();
  const drafter = await createUser({ role: "learner", cohortId: f.cohort.id });
  // A draft (too short to submit) is never in the queue.
  expect(() => submitExercise({ userId: drafter.id, slug: "alpha", texts: { note: "short" } })).toThrow();
  const draft = submissionOf(drafter.id, "alpha")!.id;

  const stranger = await apiAs(baseURL!, other.coordinator.email);
  expect((await stranger.get(`/instructor/exercises/${f.anaSubmission}`)).status()).toBe(404);
  const post = await stranger.post(`/instructor/exercises/${f.anaSubmission}`, { form: { intent: "review", "criterion.analysis": "2", "criterion.action": "1" } });
  expect(post.status()).toBe(404);
  const queue = await (await stranger.get(`/instructor/exercises?cohort=${f.cohort.slug}`)).text();
  expect(queue).not.toContain(f.ana.name);

  const own = await apiAs(baseURL!, f.coordinator.email);
  expect((await own.get(`/instructor/exercises/${f.anaSubmission}`)).status()).toBe(200);
  expect((await own.get(`/instructor/exercises/${draft}`)).status()).toBe(404);
  const learner = await apiAs(baseURL!, f.ana.email);
  expect((await learner.get(`/instructor/exercises/${f.anaSubmission}`)).status()).toBe(403);
  // An instructor sees the page but does not moderate peer reviews.
  const instructor = await apiAs(baseURL!, (await createUser({ role: "instructor" })).email);
  const page = await (await instructor.get(`/instructor/exercises/${f.anaSubmission}`)).text();
  expect(page).not.toContain('name="reason"');
});

test("a coordinator removes an inappropriate peer review: audited, the result recomputed, shown as removed", async ({ page }) => {
  const f = await reviewedCohort();
  await signIn(page, f.coordinator.email);
  const before = await navCount(page);
  expect(before).toBe(3);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Exercises to review/ }).click();
  await expect(page.getByRole("table").getByRole("rowheader")).toHaveText(f.learners.map((l) => l.name));
  await page.getByRole("link", { name: f.ana.name }).click();
  const main = page.getByRole("main");
  await expect(main).toContainText("1.5 of 2 (median of the peers)");

  // A reason is required.
  await page.getByRole("button", { name: "Remove review 1" }).click();
  await expect(page.getByRole("main")).toContainText("Say why this review is removed.");
  await expectNoAxeViolations(page);
  await page.getByLabel("Reason for removing review 1").fill("Insulting language.");
  await page.getByRole("button", { name: "Remove review 1" }).click();
  await expect(page.getByRole("status")).toContainText("The review is removed");
  await expect(page.getByRole("heading", { level: 2, name: "Peer reviews (1 of 2)" })).toBeVisible();
  await expect(page.getByRole("article").first()).toContainText("Removed");
  await expect(page.getByRole("article").first()).toContainText("it no longer counts");
  await expect(main).toContainText("No result yet");
  await expect(page.getByRole("button", { name: "Remove review 1" })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.goto(`/coordinator/cohorts/${f.cohort.slug}/audit`);
  const entry = page.getByRole("row").filter({ hasText: "Removed a peer review" });
  await expect(entry).toContainText("Insulting language.");
  await signOut(page);
});
