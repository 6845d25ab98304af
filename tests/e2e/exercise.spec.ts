// Issue 12 §2: the learner's practical exercise page, with JavaScript and without.
import { expect, test, type Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { sessions } from "~/db/schema";
import { completePeerReview, requestPeerReview, saveInstructorReview, selfAssess, submissionOf, submitExercise } from "~/models/exercise.server";
import { makeCohort } from "~/models/factories.server";
import { apiAs, createUser, expectNoAxeViolations, signIn } from "../support/e2e";

const MODEL = "MARKER-MODEL-ANSWER-ALPHA";
const words = (n: number, w = "word") => Array.from({ length: n }, (_, i) => `${w}${i}`).join(" ");
const note = (page: Page) => page.getByLabel(/Write a briefing note for your minister/);
const lines = (page: Page) => page.getByLabel(/Draft three lines to take/);
const criterion = (page: Page, name: string) => page.getByRole("group", { name });

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });
    const audit = javaScriptEnabled ? expectNoAxeViolations : async () => undefined;

    test("a learner drafts, reloads, submits too short, submits, assesses themselves and then sees the model answer", async ({ page }) => {
      const learner = await createUser({ role: "learner", cohortId: makeCohort().id });
      await signIn(page, learner.email);
      // The lesson's outline leads to the exercise, with its status.
      await page.goto("/modules/alpha/practice");
      await expect(page.getByRole("navigation", { name: "Module outline" }).getByRole("listitem").last()).toHaveText("Practical exercise (Not started)");
      await page.goto("/");
      await expect(page.getByText(/practical exercise of Alpha: threats\s*: not started/)).toBeVisible();
      await page.getByRole("link", { name: "practical exercise of Alpha: threats" }).click();
      await expect(page).toHaveURL(/\/modules\/alpha\/exercise$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Practical exercise: Brief your minister on a ransomware attack");
      await expect(page.getByText("MARKER-BRIEF-ALPHA")).toBeVisible();
      await expect(page.getByText("Status: Not started")).toBeVisible();
      await audit(page);

      await note(page).fill(words(10));
      await lines(page).fill(words(25, "line"));
      if (javaScriptEnabled) await expect(page.getByText("10 words (too short; 50–300 asked)")).toBeVisible();
      await page.getByRole("button", { name: "Save draft" }).click();
      await expect(page.getByRole("status")).toHaveText(/Your draft is saved\./);
      await expect(page.getByText(/Status: Draft · Saved at/)).toBeVisible();
      // The server counts too: without JavaScript the count is that of the saved text.
      await expect(page.getByText("10 words (too short; 50–300 asked)")).toBeVisible();
      await page.reload();
      await expect(note(page)).toHaveValue(words(10));
      await expect(lines(page)).toHaveValue(words(25, "line"));
      await audit(page);

      await page.getByRole("button", { name: "Submit my answers" }).click();
      await expect(page.getByRole("alert")).toHaveText(/outside their word limits: nothing was submitted/);
      await expect(note(page)).toHaveAccessibleDescription(/Write at least 50 words \(you have 10\)\./);
      await expect(page.getByText("Write at least 50 words (you have 10).")).toBeVisible();
      await expect(note(page)).toHaveValue(words(10));
      await expect(lines(page)).not.toHaveAttribute("aria-invalid", "true");
      expect(await page.content()).not.toContain(MODEL);
      await audit(page);

      await page.goto("/");
      await expect(page.getByRole("link", { name: "A draft to finish: Alpha: threats" })).toBeVisible();
      await page.getByRole("link", { name: "A draft to finish: Alpha: threats" }).click();
      await note(page).fill(words(60));
      await page.getByRole("button", { name: "Submit my answers" }).click();
      await expect(page.getByRole("status")).toHaveText(/Your answers are submitted\./);
      await expect(page.getByRole("textbox")).toHaveCount(0);
      await expect(page.getByText(words(60))).toBeVisible();
      await expect(page.getByText(/Status: Submitted/)).toBeVisible();
      expect(await page.content()).not.toContain(MODEL);
      await expect(page.getByRole("link", { name: "Review your peers' submissions" })).toBeVisible();
      await audit(page);

      // The self-assessment: every criterion needs a level; the choice made is kept.
      await criterion(page, "Identifies the threat and its consequences").getByRole("radio", { name: "2 of 2 · Full" }).check();
      await expect(criterion(page, "Identifies the threat and its consequences").getByRole("radio", { name: "2 of 2 · Full" })).toHaveAccessibleDescription(
        "The threat and its consequences are set out.",
      );
      await page.getByRole("button", { name: "Send my self-assessment" }).click();
      await expect(page.getByText("Choose a level for \"Recommends a proportionate response\".")).toBeVisible();
      await expect(criterion(page, "Identifies the threat and its consequences").getByRole("radio", { name: "2 of 2 · Full" })).toBeChecked();
      expect(await page.content()).not.toContain(MODEL);
      await audit(page);
      await criterion(page, "Recommends a proportionate response").getByRole("radio", { name: "1 of 1 · Present" }).check();
      await page.getByRole("button", { name: "Send my self-assessment" }).click();
      await expect(page.getByRole("status")).toHaveText(/Your self-assessment is saved\./);
      await expect(page.getByRole("heading", { name: "A model answer" })).toBeVisible();
      await expect(page.getByText(MODEL)).toBeVisible();
      await expect(page.getByRole("group")).toHaveCount(0);
      await audit(page);
    });

    test("texts written when the session had ended come back after signing in", async ({ page, context }) => {
      const learner = await createUser({ role: "learner", cohortId: makeCohort().id });
      await signIn(page, learner.email);
      await page.goto("/modules/alpha/exercise");
      await note(page).fill("Written after the session ended.");
      getDb().delete(sessions).where(eq(sessions.userId, learner.id)).run();
      await page.getByRole("button", { name: "Save draft" }).click();

      await expect(page).toHaveURL(/\/login\?redirectTo=%2Fmodules%2Falpha%2Fexercise&kept=drafts$/);
      await expect(page.getByRole("status")).toHaveText(/Your session ended\. Sign in again: your text is kept\./);
      expect((await context.cookies()).find((c) => c.name === "cda_drafts")?.httpOnly).toBe(true);
      await signIn(page, learner.email, undefined, { goto: false });
      await expect(page).toHaveURL(/\/modules\/alpha\/exercise$/);
      await expect(page.getByRole("status")).toHaveText(/Your text from before you were signed out is back below: save it to keep it\./);
      await expect(note(page)).toHaveValue("Written after the session ended.");
      expect((await context.cookies()).find((c) => c.name === "cda_drafts")).toBeUndefined();
      await audit(page);
      await page.getByRole("button", { name: "Save draft" }).click();
      // Reload only once the save's round trip is over (without JavaScript it is a page load).
      await expect(page.getByRole("status")).toHaveText(/Your draft is saved\./);
      await page.reload();
      await expect(note(page)).toHaveValue("Written after the session ended.");
    });
  });
}

test("the model answer is in no response before the learner has submitted and assessed themselves", async ({ baseURL }) => {
  const learner = await createUser({ role: "learner", cohortId: makeCohort().id });
  const api = await apiAs(baseURL!, learner.email);
  const bodies = async () =>
    // The page, and its loader data as the browser fetches it (single fetch: `.data`, not `?_data=`).
    Promise.all(
      ["/modules/alpha/exercise", "/modules/alpha/exercise.data"].map(async (url) => {
        const res = await api.get(url);
        expect(res.status(), url).toBe(200);
        const body = await res.text();
        expect(body, url).toContain("MARKER-BRIEF-ALPHA");
        return body;
      }),
    );
  for (const body of await bodies()) expect(body).not.toContain(MODEL);
  const form = { learner: learner.id, "task.note": words(60), "task.lines": words(20) };
  expect((await api.post("/modules/alpha/exercise", { form: { ...form, intent: "save" }, maxRedirects: 0 })).status()).toBe(303);
  for (const body of await bodies()) expect(body).not.toContain(MODEL);
  // A double submission: both land on the page, the text submitted once.
  const [first, second] = await Promise.all([1, 2].map(() => api.post("/modules/alpha/exercise", { form: { ...form, intent: "submit" }, maxRedirects: 0 })));
  expect([first!.status(), second!.status()]).toEqual([303, 303]);
  for (const body of await bodies()) expect(body).not.toContain(MODEL);
  const later = await api.post("/modules/alpha/exercise", { form: { ...form, "task.note": words(70), intent: "save" }, maxRedirects: 0 });
  expect(later.status()).toBe(409);
  expect(await later.text()).toContain("You have already submitted this exercise");
  expect((await api.post("/modules/alpha/exercise", { form: { intent: "self-assess", "criterion.analysis": "1", "criterion.action": "0" }, maxRedirects: 0 })).status()).toBe(303);
  for (const body of await bodies()) expect(body).toContain(MODEL);
  // A module without an exercise has no exercise page.
  expect((await api.get("/modules/gamma/exercise")).status()).toBe(404);
});

test("results show the learner's own level beside each numbered peer's and the instructor's, without names", async ({ page }) => {
  const cohort = makeCohort();
  const [ana, ben, cy] = await Promise.all(["Ana Author", "Ben Reviewer", "Cy Reviewer"].map((name) => createUser({ role: "learner", cohortId: cohort.id, name })));
  const instructor = await createUser({ role: "instructor" });
  const texts = { note: words(60), lines: words(20) };
  for (const u of [ana!, ben!, cy!]) submitExercise({ userId: u.id, slug: "alpha", texts });
  selfAssess({ userId: ana!.id, slug: "alpha", levels: { analysis: 2, action: 1 } });
  const anaSubmission = submissionOf(ana!.id, "alpha")!;
  for (const [u, levels, comment] of [
    [ben!, { analysis: 1, action: 1 }, "Name the hospital's losses."],
    [cy!, { analysis: 2, action: 0 }, "Say what the minister should do."],
  ] as const) {
    for (;;) {
      const given = requestPeerReview({ userId: u.id, slug: "alpha" });
      if (!("reviewId" in given)) throw new Error(given.none);
      const review = completePeerReview({ userId: u.id, reviewId: given.reviewId, levels, comment });
      if (review.submissionId === anaSubmission.id) break;
    }
  }
  saveInstructorReview({ staffId: instructor.id, submissionId: anaSubmission.id, levels: { analysis: 2, action: 1 }, feedback: "A sound note." });

  await signIn(page, ana!.email);
  await expect(page.getByRole("link", { name: "Feedback received: Alpha: threats" })).toBeVisible();
  await page.getByRole("link", { name: "Feedback received: Alpha: threats" }).click();
  const table = page.getByRole("table", { name: "Levels given for each criterion" });
  await expect(table.getByRole("columnheader")).toHaveText(["Criterion", "You", "Peer 1", "Peer 2", "Instructor", "Result"]);
  await expect(table.getByRole("row", { name: /Identifies the threat/ }).getByRole("cell")).toHaveText([
    "2 of 2 · Full",
    "1 of 2 · Partial",
    "2 of 2 · Full",
    "2 of 2 · Full",
    "2 of 2 · Full (instructor's level)",
  ]);
  await expect(page.getByText("A sound note.")).toBeVisible();
  await expect(page.getByText("Name the hospital's losses.")).toBeVisible();
  const html = await page.content();
  for (const name of ["Ben Reviewer", "Cy Reviewer", ben!.id, cy!.id]) expect(html).not.toContain(name);
  await expectNoAxeViolations(page);
});
