// Issue 12, "must show": three learners of one cohort draft, save, submit, self-assess and review
// each other; an instructor reviews; each learner sees their results; mastery and the cohort report
// change accordingly. Everything through the pages, with JavaScript and without.
import { expect, test, type Page } from "@playwright/test";
import { createCoordinatorWithCohort, createUser, expectNoAxeViolations, signIn, signOut, unique } from "../support/e2e";

const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(" ");
const task = (page: Page, id: string) => page.locator(`textarea[name="task.${id}"]`);
const level = (page: Page, criterion: string, score: number) => page.locator(`input[name="criterion.${criterion}"][value="${score}"]`);
const intent = (page: Page, value: string) => page.locator(`button[name="intent"][value="${value}"]`);

/** The peer levels each learner gives (the fixture's alpha: analysis 0–2 → LO1, action 0–1 → LO2). */
const GIVES: Record<string, { analysis: number; action: number }> = {
  Ana: { analysis: 2, action: 1 },
  Ben: { analysis: 1, action: 1 },
  Cy: { analysis: 2, action: 0 },
};

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });
    const audit = javaScriptEnabled ? expectNoAxeViolations : async () => undefined;

    test("three learners write, assess and review each other; an instructor reviews; results, mastery and the report follow", async ({ page }) => {
      test.setTimeout(180_000);
      const { coordinator, cohort } = await createCoordinatorWithCohort();
      const tag = unique("j");
      const learners = await Promise.all(
        ["Ana", "Ben", "Cy"].map(async (first) => ({ first, ...(await createUser({ role: "learner", cohortId: cohort.id, name: `${first} Journey ${tag}` })) })),
      );
      const instructor = await createUser({ role: "instructor" });

      // Each learner drafts, saves, comes back to the saved text, submits and assesses themselves.
      for (const l of learners) {
        await signIn(page, l.email);
        await page.goto("/modules/alpha/exercise");
        await task(page, "note").fill(words(30, `${l.first.toLowerCase()}note`));
        await intent(page, "save").click();
        await expect(page.getByRole("status")).toContainText("saved");
        await page.reload();
        await expect(task(page, "note")).toHaveValue(words(30, `${l.first.toLowerCase()}note`));
        await task(page, "note").fill(words(80, `${l.first.toLowerCase()}note`));
        await task(page, "lines").fill(words(30, `${l.first.toLowerCase()}line`));
        await intent(page, "submit").click();
        await expect(task(page, "note")).toHaveCount(0);
        await expect(page.getByText(`${l.first.toLowerCase()}note79`).first()).toBeVisible();
        await expect(page.getByText("MARKER-MODEL-ANSWER-ALPHA")).toHaveCount(0);
        await level(page, "analysis", 1).check();
        await level(page, "action", 1).check();
        await intent(page, "self-assess").click();
        await expect(page.getByText("MARKER-MODEL-ANSWER-ALPHA")).toBeVisible();
        await audit(page);
        await signOut(page);
      }

      // Two rounds of peer review: the fewest-reviews rule gives every submission two reviewers.
      for (let round = 0; round < 2; round++) {
        for (const l of learners) {
          await signIn(page, l.email);
          await page.goto("/modules/alpha/exercise/reviews");
          await page.getByRole("button", { name: "Review the next submission" }).click();
          await expect(page).toHaveURL(/\/modules\/alpha\/exercise\/reviews\/[^/]+$/);
          const html = await page.content();
          // The reviewer's own name is in the page's header; no other learner's is anywhere.
          for (const other of learners.filter((o) => o !== l)) {
            expect(html).not.toContain(other.name);
            expect(html).not.toContain(other.email);
          }
          expect(html).not.toContain(`${l.first.toLowerCase()}note79`);
          await audit(page);
          const gives = GIVES[l.first]!;
          await level(page, "analysis", gives.analysis).check();
          await level(page, "action", gives.action).check();
          await page.locator('textarea[name="comment"]').fill(`Round ${round + 1} comment from a peer.`);
          await page.getByRole("button", { name: "Send my review" }).click();
          await expect(page.locator('input[name="criterion.analysis"]')).toHaveCount(0);
          await signOut(page);
        }
      }

      // Ana's submission was reviewed by Ben (2 → median with Cy's) and Cy: analysis (1 + 2) / 2 = 1.5 of 2.
      const ana = learners[0]!;
      await signIn(page, ana.email);
      await page.goto("/modules/alpha/exercise");
      // Ben and Cy both reviewed Ana in the first round (the fewest reviews, then the oldest submission).
      await expect(page.getByText("Round 1 comment from a peer.")).toHaveCount(2);
      await expect(page.getByText("1.5 of 2 (median of the peers)")).toBeVisible();
      for (const other of learners.slice(1)) expect(await page.content()).not.toContain(other.name);
      await audit(page);
      await page.goto("/progress");
      const lo1 = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /^LO1:/ }) });
      await expect(lo1).toContainText("0.75 of 1 pieces of evidence (75%)");
      await expect(lo1).toContainText("Shown in a practical exercise");
      await signOut(page);

      // The coordinator sees Ana's exercise reviewed, and her mastery.
      await signIn(page, coordinator.email);
      await page.goto(`/coordinator/cohorts/${cohort.slug}`);
      const completionRow = page.getByRole("table", { name: /Completion matrix/ }).getByRole("row").filter({ hasText: ana.name });
      await expect(completionRow).toContainText("exercise: reviewed");
      const heatBefore = await page.getByRole("table", { name: /Mastery heatmap/ }).getByRole("row").filter({ hasText: ana.name }).getByRole("cell").nth(0).innerText();
      expect(heatBefore).toMatch(/75%/);
      await signOut(page);

      // An instructor reviews Ana's submission: the top levels replace the peers' median.
      await signIn(page, instructor.email);
      await page.goto(`/instructor/exercises?cohort=${cohort.slug}`);
      await page.getByRole("row").filter({ hasText: ana.name }).getByRole("link").first().click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText(ana.name);
      await level(page, "analysis", 2).check();
      await level(page, "action", 1).check();
      await page.locator('textarea[name="feedback"]').fill("A well-judged note: keep the lines shorter.");
      await page.getByRole("button", { name: /Save and release/ }).click();
      await expect(page.getByRole("status")).toBeVisible();
      await audit(page);
      await signOut(page);

      await signIn(page, ana.email);
      await page.goto("/modules/alpha/exercise");
      await expect(page.getByText("A well-judged note: keep the lines shorter.")).toBeVisible();
      await expect(page.getByText(/instructor's level/i).first()).toBeVisible();
      await signOut(page);

      await signIn(page, coordinator.email);
      await page.goto(`/coordinator/cohorts/${cohort.slug}`);
      const heatAfter = await page.getByRole("table", { name: /Mastery heatmap/ }).getByRole("row").filter({ hasText: ana.name }).getByRole("cell").nth(0).innerText();
      expect(heatAfter).toMatch(/100%/);
    });
  });
}
