// Peer review on the fixture course (tests/fixtures/content/basic): module alpha's exercise needs
// 2 peer reviews per submission; beta has no exercise.
import { expect, test } from "@playwright/test";
import { submitExercise, submissionOf } from "~/models/exercise.server";
import { makeCohort } from "~/models/factories.server";
import { apiAs, createUser, expectNoAxeViolations, signIn, unique } from "../support/e2e";

const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(" ");
const REVIEWS = "/modules/alpha/exercise/reviews";
const ANALYSIS = "Identifies the threat and its consequences";
const ACTION = "Recommends a proportionate response";

/** Three learners of one cohort who have submitted alpha's exercise, Ada first (the exercise page is another part's: through the model). */
async function cohortWithSubmissions() {
  const cohort = makeCohort();
  const tag = unique("x").slice(2);
  const [ada, bo, cy] = await Promise.all(
    ["Ada", "Bo", "Cy"].map((first) => createUser({ role: "learner", cohortId: cohort.id, name: `${first} Peerauthor ${tag}` })),
  );
  [ada!, bo!, cy!].forEach((u, i) => {
    const mark = u.name.split(" ")[0]!.toUpperCase();
    submitExercise({
      userId: u.id,
      slug: "alpha",
      texts: { note: `${mark}-NOTE-START\n\n${words(60, "w")}`, lines: `${mark}-LINES-START ${words(25, "l")}` },
      now: new Date(Date.now() - (3 - i) * 60_000),
    });
  });
  return { cohort, ada: ada!, bo: bo!, cy: cy! };
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("a learner asks for a review, reads a peer's answers without their name, and sends levels and a comment", async ({ page, baseURL }) => {
      const { ada, cy } = await cohortWithSubmissions();
      const audit = javaScriptEnabled ? expectNoAxeViolations : async () => undefined;
      await signIn(page, cy.email);
      await page.goto(REVIEWS);
      await expect(page.getByRole("heading", { level: 1, name: "Peer reviews: Brief your minister on a ransomware attack" })).toBeVisible();
      await expect(page.getByText("None yet.")).toBeVisible();
      await audit(page);

      // Ada's submission is the oldest with no review.
      await page.getByRole("button", { name: "Review the next submission" }).click();
      await expect(page).toHaveURL(/\/modules\/alpha\/exercise\/reviews\/[^/]+$/);
      const reviewPath = new URL(page.url()).pathname;
      await expect(page.getByRole("heading", { level: 1, name: "Peer review: Brief your minister on a ransomware attack" })).toBeVisible();
      await expect(page.getByText("MARKER-BRIEF-ALPHA")).toBeVisible();
      await expect(page.getByText("ADA-NOTE-START")).toBeVisible();
      await expect(page.getByText(/^ADA-LINES-START/)).toBeVisible();
      await audit(page);

      // No name, e-mail or id of the author: not in the HTML, not in the loader data.
      const secrets = [ada.name, ada.email, ada.id, submissionOf(ada.id, "alpha")!.id];
      const html = await page.content();
      const api = await apiAs(baseURL!, cy.email);
      const loaderData = await api.get(`${reviewPath}.data`);
      expect(loaderData.status()).toBe(200);
      const data = await loaderData.text();
      expect(data).toContain("ADA-NOTE-START");
      for (const secret of secrets) {
        expect(html).not.toContain(secret);
        expect(data).not.toContain(secret);
      }

      // Sent without levels: nothing is sent, each group says what is missing, the comment is kept.
      await page.getByLabel("Comment for the author (optional)").fill("Clear facts; the recommendation needs its reasons.");
      await page.getByRole("button", { name: "Send my review" }).click();
      await expect(page.getByRole("alert")).toContainText("nothing was sent yet");
      await expect(page.getByRole("group", { name: ANALYSIS })).toContainText(`Choose a level for "${ANALYSIS}".`);
      await expect(page.getByRole("group", { name: ACTION })).toContainText(`Choose a level for "${ACTION}".`);
      await expect(page.getByLabel("Comment for the author (optional)")).toHaveValue("Clear facts; the recommendation needs its reasons.");
      await audit(page);

      await page.getByRole("group", { name: ANALYSIS }).getByRole("radio", { name: "2 of 2 · Full" }).check();
      await expect(page.getByRole("group", { name: ANALYSIS }).getByText("The threat and its consequences are set out.")).toBeVisible();
      await page.getByRole("group", { name: ACTION }).getByRole("radio", { name: "1 of 1 · Present" }).check();
      await page.getByRole("button", { name: "Send my review" }).click();

      // Read-only from now on, with what was sent.
      await expect(page.getByRole("status")).toContainText("You sent this review on");
      await expect(page.getByRole("heading", { name: "What you sent" })).toBeVisible();
      await expect(page.getByRole("definition").filter({ hasText: "2 of 2 · Full" })).toBeVisible();
      await expect(page.getByRole("definition").filter({ hasText: "1 of 1 · Present" })).toBeVisible();
      await expect(page.getByText("Clear facts; the recommendation needs its reasons.")).toBeVisible();
      await expect(page.getByRole("button", { name: "Send my review" })).toHaveCount(0);
      await audit(page);

      await page.getByRole("link", { name: "Peer reviews" }).click();
      const item = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: "Review 1" }) });
      await expect(item).toContainText("Sent");
      await expect(item).toContainText("Sent on");
      await audit(page);
      await api.dispose();
    });
  });
}

test("the list says why there is nothing to review, in a sentence", async ({ page }) => {
  const lone = await createUser({ role: "learner", cohortId: makeCohort().id, name: "Lena Alone" });
  await signIn(page, lone.email);
  await page.goto(REVIEWS);
  await page.getByRole("button", { name: "Review the next submission" }).click();
  await expect(page.getByRole("status")).toHaveText(/once you have submitted your own answers/);
  submitExercise({ userId: lone.id, slug: "alpha", texts: { note: words(60, "w"), lines: words(25, "l") } });
  await page.getByRole("button", { name: "Review the next submission" }).click();
  await expect(page.getByRole("status")).toHaveText(/No submission is waiting for a review right now/);
  await expectNoAxeViolations(page);
});

test("only the reviewer opens a review: another learner of the cohort or of another cohort gets 404, as do other modules", async ({ baseURL }) => {
  const { bo, cy } = await cohortWithSubmissions();
  const outsider = await createUser({ role: "learner", cohortId: makeCohort().id });
  const instructor = await createUser({ role: "instructor" });
  const asCy = await apiAs(baseURL!, cy.email);
  const asked = await asCy.post(REVIEWS, { form: {}, maxRedirects: 0 });
  expect(asked.status()).toBe(303);
  const reviewPath = asked.headers()["location"]!;
  expect((await asCy.get(reviewPath)).status()).toBe(200);
  expect((await asCy.get(reviewPath.replace("/alpha/", "/beta/"))).status()).toBe(404);
  expect((await asCy.get("/modules/beta/exercise/reviews")).status()).toBe(404);
  expect((await asCy.post("/modules/beta/exercise/reviews", { form: {} })).status()).toBe(404);
  expect((await asCy.get(`${REVIEWS}/no-such-review`)).status()).toBe(404);

  for (const other of [bo, outsider]) {
    const api = await apiAs(baseURL!, other.email);
    expect((await api.get(reviewPath)).status()).toBe(404);
    expect((await api.get(`${reviewPath}.data`)).status()).toBe(404);
    expect((await api.post(reviewPath, { form: { "criterion.analysis": "2", "criterion.action": "1" } })).status()).toBe(404);
    await api.dispose();
  }
  const staff = await apiAs(baseURL!, instructor.email);
  expect((await staff.get(reviewPath)).status()).toBe(403);
  await staff.dispose();
  await asCy.dispose();
});
