// Issue 10 §5: what a learner is shown on the way through the course (the fixture course:
// alpha 4 sections + quiz, beta with a Uruguay edition, gamma without a quiz).
import { expect, test } from "@playwright/test";
import { makeCohort } from "~/models/factories.server";
import { createInvitations } from "~/models/invitation.server";
import { markSectionRead } from "~/models/progress.server";
import { openAttempt, submitAttempt } from "~/models/quiz.server";
import { answerShownQuestions, createUser, expectNoAxeViolations, signIn, unique } from "../support/e2e";

const URUGUAY_BETA = "Beta in Uruguay-fixture";
const ALPHA = ["introduction", "threats", "history", "practice"];

test("a Uruguay-edition learner sees the edition's module names, Start before anything is done, and one edition in the cohort name", async ({
  page,
}) => {
  const name = `Wayfinders ${unique("c")}`;
  const cohort = makeCohort({ name, edition: "uruguay" });
  const [code] = createInvitations({ cohortId: cohort.id, role: "learner", createdBy: null }).codes;
  await page.goto(`/join/${code}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Join ${name} (Uruguay edition)`);

  const learner = await createUser({ role: "learner", cohortId: cohort.id });
  await signIn(page, learner.email);
  await expect(page.getByText(`Fixture course · ${name} (Uruguay edition)`, { exact: true })).toBeVisible();

  // Nothing done yet: every way in says Start.
  await expect(page.getByRole("link", { name: "Start: Alpha: threats" })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Continue/ })).toHaveCount(0);
  const beta = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: `2. ${URUGUAY_BETA}` }) });
  await expect(beta).toContainText("The Uruguay-fixture edition.");
  await expect(page.getByText(/Beta the national picture|The second fixture module/)).toHaveCount(0);

  // Opening a section without reading it is still 0 %: Start.
  await beta.getByRole("link", { name: `Start ${URUGUAY_BETA}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Uruguay-fixture's agencies" })).toBeVisible();
  await expect(page.locator(".breadcrumb")).toHaveText(`My course › ${URUGUAY_BETA}`);
  await expect(page).toHaveTitle(new RegExp(URUGUAY_BETA));
  await page.goto("/");
  await expect(beta.getByRole("link", { name: `Start ${URUGUAY_BETA}` })).toBeVisible();

  await page.goto("/modules/beta/quiz");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Quiz: ${URUGUAY_BETA}`);
  // The Uruguay edition's own questions are drawn for this cohort, always at least one (LO1).
  await expect(page.getByText(/EDITION-QUIZ/).first()).toBeVisible();
  await answerShownQuestions(page, "beta");
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/passed/);
  await expect(page.locator(".breadcrumb")).toHaveText(`My course › ${URUGUAY_BETA}`);
  await page.goto("/progress");
  await expect(page.getByRole("listitem").filter({ hasText: "LO3" }).getByRole("link", { name: URUGUAY_BETA })).toBeVisible();

  // Something of beta is done now: Continue.
  await page.goto("/");
  await expect(beta.getByRole("link", { name: `Continue ${URUGUAY_BETA}` })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("the demo cohort names its edition once", async ({ page }) => {
  await signIn(page, "learner@example.org", "Demo-Learner-2026");
  await expect(page.getByText("Fixture course · Demo cohort (Uruguay edition)", { exact: true })).toBeVisible();
});

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("a passed module leads to its result and on to the next module; a retake is a deliberate choice", async ({ page }) => {
      const learner = await createUser({ role: "learner", cohortId: makeCohort({ edition: "uruguay" }).id });
      for (const sectionId of ALPHA) markSectionRead({ userId: learner.id, slug: "alpha", sectionId });
      const attempt = openAttempt({ userId: learner.id, slug: "alpha" });
      submitAttempt({
        userId: learner.id,
        slug: "alpha",
        attemptId: attempt.id,
        answers: new Map(Object.entries({ q1: ["a"], q2: ["a", "b"], q3: ["true"] })),
      });
      await signIn(page, learner.email);

      // Finishing the reading again leads to the result, not to a blank attempt.
      await page.goto("/modules/alpha/practice");
      await page.getByRole("button", { name: "Finish reading and see your quiz result →" }).click();
      await expect(page).toHaveURL(new RegExp(`/modules/alpha/quiz/attempts/${attempt.id}$`));
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quiz result: 100%, passed");
      if (javaScriptEnabled) await expectNoAxeViolations(page);

      // The quiz page of a passed module offers the result, and a retake only on request.
      await page.goto("/modules/alpha/quiz");
      await expect(page.getByText("You have passed this quiz.")).toBeVisible();
      await expect(page.getByRole("button", { name: "Submit my answers" })).toHaveCount(0);
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      await page.getByRole("link", { name: "See your result" }).click();
      await expect(page).toHaveURL(new RegExp(`/modules/alpha/quiz/attempts/${attempt.id}$`));

      // On to the next module, named as the learner's edition names it.
      await page.getByRole("link", { name: `Next module: ${URUGUAY_BETA}` }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Uruguay-fixture's agencies" })).toBeVisible();

      await page.goto("/modules/alpha/quiz");
      await page.getByRole("link", { name: "Retake the quiz" }).click();
      await expect(page.getByRole("button", { name: "Submit my answers" })).toBeVisible();
      // The retake stays open until it is submitted, with or without ?retake.
      await page.goto("/modules/alpha/quiz");
      await expect(page.getByRole("button", { name: "Submit my answers" })).toBeVisible();
    });
  });
}
