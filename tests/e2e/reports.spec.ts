// Coordinators' and instructors' reports on the fixture course (tests/fixtures/content/basic).
import { expect, test, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import xapiValidation from "xapi-validation";
import { makeExerciseResult } from "~/models/factories.server";
import { markSectionRead } from "~/models/progress.server";
import { openAttempt, submitAttempt } from "~/models/quiz.server";
import { apiAs, createCoordinatorWithCohort, createUser, expectNoAxeViolations, signIn, signOut } from "../support/e2e";

// A CommonJS module with an __esModule default: Node's ESM loader hands over the whole exports object.
const validateStatement = (xapiValidation as unknown as { default?: typeof xapiValidation }).default ?? xapiValidation;
const ALPHA = ["introduction", "threats", "history", "practice"];

function answer(userId: string, slug: string, answers: Record<string, string[]>) {
  const attempt = openAttempt({ userId, slug });
  submitAttempt({ userId, slug, attemptId: attempt.id, answers: new Map(Object.entries(answers)) });
}

/**
 * Ada completes alpha with q2 wrong on her first try, and its (optional) exercise is reviewed by an
 * instructor: analysis 2 of 2 (LO1), action 0 of 1 (LO2); Bo reads two sections; Cy does nothing.
 */
async function cohortWithProgress() {
  const { coordinator, cohort } = await createCoordinatorWithCohort();
  const ada = await createUser({ role: "learner", cohortId: cohort.id, name: "Ada Report" });
  const bo = await createUser({ role: "learner", cohortId: cohort.id, name: "Bo Report" });
  const cy = await createUser({ role: "learner", cohortId: cohort.id, name: "=Cy Report" });
  for (const sectionId of ALPHA) markSectionRead({ userId: ada.id, slug: "alpha", sectionId });
  answer(ada.id, "alpha", { q1: ["a"], q2: ["a"], q3: ["true"] });
  makeExerciseResult({ userId: ada.id, slug: "alpha", instructor: { analysis: 2, action: 0 } });
  for (const sectionId of ALPHA.slice(0, 2)) markSectionRead({ userId: bo.id, slug: "alpha", sectionId });
  answer(ada.id, "beta", { q1: ["b"] });
  return { coordinator, cohort, ada, bo, cy };
}

async function row(page: Page, table: RegExp, name: string) {
  return page.getByRole("table", { name: table }).getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(name) }) });
}

test("a coordinator reads the cohort report, sorts and filters it by keyboard, and the learner sees the same numbers", async ({ page }) => {
  const f = await cohortWithProgress();
  await signIn(page, f.coordinator.email);
  await page.goto(`/coordinator/cohorts/${f.cohort.slug}`);

  // Ada: 4 sections + alpha's quiz = 5 of 9 units; Bo 2 of 9; Cy 0: median 2/9 = 22%.
  const summary = page.getByRole("region", { name: "Summary" });
  await expect(summary.getByText("Enrolled learners")).toBeVisible();
  await expect(summary.locator("dd").nth(0)).toHaveText("3");
  await expect(summary.locator("dd").nth(1)).toHaveText("2");
  await expect(summary.locator("dd").nth(4)).toHaveText("22%");
  await expectNoAxeViolations(page);

  const completion = await row(page, /Completion matrix/, "Ada Report");
  await expect(completion.getByRole("cell").nth(0)).toContainText("56%");
  await expect(completion.getByRole("cell").nth(2)).toHaveText(/Done, exercise: reviewed$/);
  // Ada's latest answers and exercise results: q1 right, q3 right, analysis 2/2 (LO1 3/3); q2 wrong, q3 right,
  // action 0/1 (LO2 1/3); beta wrong (LO3 0/1). The exercise's criteria are aligned evidence: min(3, 3) pieces.
  const heat = await row(page, /Mastery heatmap/, "Ada Report");
  await expect(heat.getByRole("cell").nth(0)).toHaveText(/100%\s*mastered, practical/);
  await expect(heat.getByRole("cell").nth(1)).toHaveText(/33%\s*not yet, practical/);
  await expect(heat.getByRole("cell").nth(2)).toHaveText(/0%\s*not yet/);
  const cyHeat = await row(page, /Mastery heatmap/, "=Cy Report");
  await expect(cyHeat.getByRole("cell").nth(0)).toHaveText(/—\s*not assessed/);

  // The heatmap's scroll region takes keyboard focus; its table has row and column headers.
  const heatRegion = page.getByRole("region", { name: "Mastery by objective" });
  await heatRegion.focus();
  await expect(heatRegion).toBeFocused();
  await expect(page.getByRole("table", { name: /Mastery heatmap/ }).getByRole("columnheader", { name: "LO2" })).toBeVisible();

  // Sort by progress with the keyboard: Enter on the header link, then again for the other direction.
  await page.getByRole("link", { name: /^Progress/ }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/sort=progress&dir=desc/);
  await expect(page.getByRole("columnheader", { name: /Progress/ })).toHaveAttribute("aria-sort", "descending");
  const names = page.getByRole("table", { name: /Completion matrix/ }).getByRole("rowheader");
  await expect(names.nth(0)).toContainText("Ada Report");
  await expect(names.nth(2)).toContainText("=Cy Report");

  // Filter: only those who have not started.
  await page.getByLabel("Show").selectOption("not-started");
  await page.getByRole("button", { name: "Apply" }).press("Enter");
  await expect(page.getByText("1 learner shown (not started)")).toBeVisible();
  await expect(names).toHaveCount(1);
  await expect(names.nth(0)).toContainText("=Cy Report");

  // The drill-down shows the numbers the learner sees.
  await page.getByLabel("Show").selectOption("all");
  await page.getByRole("button", { name: "Apply" }).click();
  await page.getByRole("link", { name: "Ada Report" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ada Report" })).toBeVisible();
  await expect(page.getByText(/^56% of the course/)).toBeVisible();
  const lo2 = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /^LO2/ }) });
  await expect(lo2).toContainText("1 of 3 (33%)");
  await expect(lo2).toContainText("Yes (1 result)");
  await expect(lo2).toContainText("Not yet");
  await expectNoAxeViolations(page);
  await signOut(page);

  await signIn(page, f.ada.email);
  await expect(page.getByText("Course progress: 56%")).toBeVisible();
  await page.goto("/progress");
  await expect(page.getByRole("main")).toContainText("1 of 3 pieces of evidence");
  await expect(page.getByRole("main")).toContainText("Shown in a practical exercise.");
});

test("a coordinator acts on a learner: another attempt, password link, certificate, export, deletion; all audited", async ({ page, baseURL }) => {
  const f = await cohortWithProgress();
  // Beta allows 2 attempts: use them up.
  answer(f.ada.id, "beta", { q1: ["b"] });
  await signIn(page, f.coordinator.email);
  await page.goto(`/coordinator/cohorts/${f.cohort.slug}/learners/${f.ada.id}`);
  await expect(page.getByText("Beta the national picture, attempt 2: 0 of 1 right (0%), not passed")).toBeVisible();
  await page.getByText(/Alpha: threats, attempt 1/).click();
  await expect(page.getByRole("table", { name: /Answers of attempt 1 at Alpha/ })).toContainText("Wrong");

  await page.getByLabel("Grant another attempt at").selectOption("beta");
  await page.getByRole("button", { name: "Grant an attempt" }).click();
  await expect(page.getByRole("status")).toContainText("Ada Report may now make 3 attempts at this quiz.");

  await page.getByRole("button", { name: "Create a password link" }).click();
  await expect(page.getByRole("textbox", { name: "Link" })).toHaveValue(/\/reset\//);

  // The learner can take the granted attempt.
  const learner = await apiAs(baseURL!, f.ada.email);
  expect((await learner.get("/modules/beta/quiz")).status()).toBe(200);

  // Export the learner's data.
  const coordinator = await apiAs(baseURL!, f.coordinator.email);
  const json = await (await coordinator.get(`/coordinator/cohorts/${f.cohort.slug}/learners/${f.ada.id}/export.json`)).json();
  expect(json.account).toMatchObject({ email: f.ada.email, name: "Ada Report" });
  expect(JSON.stringify(json)).not.toContain("argon2");

  // Deleting asks for the name; a wrong one keeps everything.
  await page.getByLabel(/Type the learner's name/).fill("Ada");
  await page.getByRole("button", { name: "Delete learner and records" }).click();
  await expect(page.getByText("Type the learner's name, Ada Report, to confirm.")).toBeVisible();
  await page.getByLabel(/Type the learner's name/).fill("Ada Report");
  await page.getByRole("button", { name: "Delete learner and records" }).click();
  await expect(page.getByText("Ada Report and their records are deleted.")).toBeVisible();
  expect((await page.request.get(`/coordinator/cohorts/${f.cohort.slug}/learners/${f.ada.id}`)).status()).toBe(404);
  expect((await learner.get("/", { maxRedirects: 0 })).status()).toBe(302);

  await page.getByRole("link", { name: "audit log" }).click();
  const log = page.getByRole("table");
  for (const what of ["Deleted a learner and their records", "Exported a learner's data (JSON)", "Created a password link", "Granted another quiz attempt", "Viewed a learner's record"]) {
    await expect(log.getByRole("row").filter({ hasText: what }).first()).toContainText("Ada Report");
  }
  await expectNoAxeViolations(page);
});

test("exports parse back to the report's numbers, neutralise formulas, and give valid xAPI without emails", async ({ baseURL }) => {
  const f = await cohortWithProgress();
  const api = await apiAs(baseURL!, f.coordinator.email);
  const base = `/coordinator/cohorts/${f.cohort.slug}/exports`;

  const completion = await api.get(`${base}/completion.csv`);
  expect(completion.headers()["content-type"]).toContain("text/csv");
  const body = await completion.body();
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows: Record<string, string>[] = parse(body, { bom: true, columns: true });
  expect(rows).toHaveLength(3 * 3);
  const ada = rows.filter((r) => r.learner_name === "Ada Report");
  expect(ada[0]!.course_progress).toBe("0.5556");
  expect(ada.map((r) => r.module_status)).toEqual(["completed", "in-progress", "not-started"]);
  expect(rows.some((r) => r.learner_name === "'=Cy Report")).toBe(true);

  const mastery: Record<string, string>[] = parse(await (await api.get(`${base}/mastery.csv`)).body(), { bom: true, columns: true });
  const adaLo2 = mastery.find((r) => r.learner_name === "Ada Report" && r.objective === "LO2")!;
  expect([adaLo2.correct, adaLo2.answered, adaLo2.score, adaLo2.state, adaLo2.practical]).toEqual(["1", "3", "0.3333", "not-yet", "1"]);

  const exercises: Record<string, string>[] = parse(await (await api.get(`${base}/exercises.csv`)).body(), { bom: true, columns: true });
  expect(exercises.map((r) => [r.learner_name, r.criterion, r.instructor_level, r.result, r.result_source])).toEqual([
    ["Ada Report", "analysis", "2", "2", "instructor"],
    ["Ada Report", "action", "0", "0", "instructor"],
  ]);

  const attempts: Record<string, string>[] = parse(await (await api.get(`${base}/attempts.csv`)).body(), { bom: true, columns: true });
  expect(attempts).toHaveLength(4);

  const ndjson = await (await api.get(`${base}/xapi.ndjson`)).text();
  const statements = ndjson.trim().split("\n").map((line) => JSON.parse(line));
  for (const s of statements) expect(validateStatement(s)).toEqual([]);
  expect(statements.filter((s) => s.verb.id.endsWith("/answered"))).toHaveLength(4);
  expect(statements.filter((s) => s.verb.id === "http://activitystrea.ms/schema/1.0/submit")).toHaveLength(1);
  expect(statements.filter((s) => s.verb.id.endsWith("/scored"))).toHaveLength(2);
  for (const email of [f.ada.email, f.bo.email, f.cy.email]) expect(ndjson).not.toContain(email);
  expect(ndjson).not.toContain("mailto:");
});

test("an instructor sees question statistics without any learner's name", async ({ page }) => {
  const f = await cohortWithProgress();
  const instructor = await createUser({ role: "instructor", cohortId: f.cohort.id });
  await signIn(page, instructor.email);
  await page.goto("/instructor");
  await page.getByRole("link", { name: "Question analytics", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Question analytics" })).toBeVisible();
  // Other suites' learners share this database: the statistics shown depend on them, the headings do not.
  await expect(page.getByRole("heading", { level: 2, name: /Alpha: threats/ })).toBeVisible();
  await expect(page.getByRole("table").first()).toBeVisible();
  for (const name of ["Ada Report", "Bo Report", "Cy Report"]) await expect(page.getByText(name)).toHaveCount(0);
  await expectNoAxeViolations(page);
});
