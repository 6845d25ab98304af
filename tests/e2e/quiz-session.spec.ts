// Issue 10 §5: a learner whose session ends while answering a quiz keeps their answers.
import { expect, test, type Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { sessions } from "~/db/schema";
import { makeCohort } from "~/models/factories.server";
import { createUser, expectNoAxeViolations, signIn, signOut } from "../support/e2e";

const q = (page: Page, n: number) => page.getByRole("group", { name: new RegExp(`^Question ${n}`) });

async function answerAlphaRight(page: Page) {
  await q(page, 1).getByLabel("Encrypts data and demands payment").check();
  await q(page, 2).getByLabel("States").check();
  await q(page, 2).getByLabel("Criminals").check();
  await q(page, 3).getByLabel("True").check();
}

async function expectAlphaAnswersChecked(page: Page) {
  await expect(q(page, 1).getByLabel("Encrypts data and demands payment")).toBeChecked();
  await expect(q(page, 2).getByLabel("States")).toBeChecked();
  await expect(q(page, 2).getByLabel("Criminals")).toBeChecked();
  await expect(q(page, 2).getByLabel("Weather")).not.toBeChecked();
  await expect(q(page, 3).getByLabel("True")).toBeChecked();
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });

    for (const ending of ["the session row is deleted", "the session cookie is gone"] as const) {
      test(`when ${ending} mid-quiz, the answers come back after sign-in`, async ({ page, context }) => {
        const learner = await createUser({ role: "learner", cohortId: makeCohort().id });
        await signIn(page, learner.email);
        await page.goto("/modules/alpha/quiz");
        await answerAlphaRight(page);

        if (ending === "the session row is deleted") getDb().delete(sessions).where(eq(sessions.userId, learner.id)).run();
        else await context.clearCookies();
        await page.getByRole("button", { name: "Submit my answers" }).click();

        await expect(page).toHaveURL(/\/login\?redirectTo=%2Fmodules%2Falpha%2Fquiz&kept=answers$/);
        await expect(page.getByRole("status")).toHaveText(/Your session ended\. Sign in again: your quiz answers are kept\./);
        const kept = (await context.cookies()).find((c) => c.name === "cda_answers");
        expect(kept?.httpOnly).toBe(true);

        await signIn(page, learner.email, undefined, { goto: false });
        await expect(page).toHaveURL(/\/modules\/alpha\/quiz$/);
        await expect(page.getByRole("status")).toHaveText(/Your answers were restored; check them and submit\./);
        await expectAlphaAnswersChecked(page);
        if (javaScriptEnabled) await expectNoAxeViolations(page);
        expect((await context.cookies()).find((c) => c.name === "cda_answers")).toBeUndefined();

        await page.getByRole("button", { name: "Submit my answers" }).click();
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quiz result: 100%, passed");
      });
    }
  });
}

test("answers kept in a browser are restored to their learner only, and only once", async ({ page }) => {
  const cohort = makeCohort();
  const owner = await createUser({ role: "learner", cohortId: cohort.id });
  const other = await createUser({ role: "learner", cohortId: cohort.id });
  await signIn(page, owner.email);
  await page.goto("/modules/alpha/quiz");
  await answerAlphaRight(page);
  getDb().delete(sessions).where(eq(sessions.userId, owner.id)).run();
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await expect(page).toHaveURL(/kept=answers/);

  // Someone else signs in on the same browser: their quiz is blank, nothing is said.
  await signIn(page, other.email, undefined, { goto: false });
  await expect(page).toHaveURL(/\/modules\/alpha\/quiz$/);
  await expect(page.getByRole("status")).toHaveCount(0);
  await expect(page.getByRole("checkbox", { checked: true })).toHaveCount(0);
  await expect(page.getByRole("radio", { checked: true })).toHaveCount(0);
  await signOut(page);

  // The owner still finds them, once.
  await signIn(page, owner.email);
  await page.goto("/modules/alpha/quiz");
  await expect(page.getByRole("status")).toHaveText(/Your answers were restored/);
  await expectAlphaAnswersChecked(page);
  await page.reload();
  await expect(page.getByRole("status")).toHaveCount(0);
  await expect(q(page, 1).getByLabel("Encrypts data and demands payment")).not.toBeChecked();
});
