// The cohort report on a screen and on paper, and who issues what leaves the app (certificates,
// printed reports).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, request, test, type Page } from "@playwright/test";
import { getLesson } from "~/content/course.server";
import { makeUserSync } from "~/models/factories.server";
import { certificateFor } from "~/models/certificate.server";
import { markSectionRead } from "~/models/progress.server";
import { openAttempt, submitAttempt } from "~/models/quiz.server";
import { REPORT_PAGE_SIZE } from "~/models/report.server";
import { createCoordinatorWithCohort, createUser, expectNoAxeViolations, signIn, signOut, startServer } from "../support/e2e";

// playwright.config.ts starts the server with this ISSUER_NAME.
const ISSUER = "Academia Diplomática de Prueba";
// The A4 page less its margins (210 mm − 2 × 12 mm) in CSS pixels: the width a printed table has.
const A4_CONTENT_WIDTH = Math.floor((186 / 25.4) * 96);
const DEMO = { coordinator: ["coordinator@example.org", "Demo-Coordinator-2026"], learner: ["learner@example.org", "Demo-Learner-2026"] } as const;

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")}: ${stderr}`))));
  });
}

/** The fixture course grown to nine modules with long titles, as the real course has. */
async function nineModuleBuild(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-nine-"));
  const contentDir = path.join(dir, "content");
  const outDir = path.join(dir, "build");
  fs.cpSync("tests/fixtures/content/basic", contentDir, { recursive: true });
  const extra = ["delta", "epsilon", "zeta", "eta", "theta", "iota"];
  extra.forEach((slug, i) => {
    fs.mkdirSync(path.join(contentDir, "modules", slug));
    fs.writeFileSync(
      path.join(contentDir, "modules", slug, "lesson.mdx"),
      `---\ntitle: "${slug[0]!.toUpperCase()}${slug.slice(1)}: norms, rules and principles of responsible state behaviour in cyberspace"\n` +
        `summary: An extra module.\norder: ${i + 4}\nobjectives: [LO1]\nestimatedMinutes: 40\n---\n\n` +
        `## First part\n\nText.\n\n## Second part\n\nText.\n\n## Third part\n\nText.\n`,
    );
  });
  await run("npx", ["tsx", "scripts/content/cli.ts", "build"], { ...process.env, CONTENT_DIR: contentDir, CONTENT_BUILD_DIR: outDir });
  return dir;
}

async function signInAt(page: Page, base: string, [email, password]: readonly [string, string]) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
}

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** Tables whose content is wider than their box: on paper, the columns cut off. */
const clippedTables = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll(".table-wrap")].filter((e) => e.scrollWidth > e.clientWidth + 1).length);

async function expectNothingInteractiveInPrint(page: Page) {
  await page.emulateMedia({ media: "print" });
  await expect(page.locator("form:visible, button:visible, input:visible, select:visible, textarea:visible, nav:visible")).toHaveCount(0);
}

test("with nine modules the cohort report fits 1280 and 375 px, each matrix scrolling in its own region, and prints every module without forms", async ({ page }) => {
  const dir = await nineModuleBuild();
  const server = await startServer({ APP_MODE: "demo", DATABASE_PATH: path.join(dir, "app.db"), CONTENT_BUILD_DIR: path.join(dir, "build") });
  try {
    // The demo learner reads a little of several modules: cells with sections read and a quiz not passed.
    const learner = await request.newContext({ baseURL: server.url, extraHTTPHeaders: { Origin: server.url } });
    expect((await learner.post("/login", { form: { email: DEMO.learner[0], password: DEMO.learner[1] }, maxRedirects: 0 })).status()).toBe(302);
    for (const where of ["alpha/introduction", "delta/first-part", "eta/first-part", "iota/first-part"]) {
      expect((await learner.post(`/modules/${where}`, { form: {}, maxRedirects: 0 })).status()).toBe(303);
    }

    await page.setViewportSize({ width: 1280, height: 900 });
    await signInAt(page, server.url, DEMO.coordinator);
    const report = `${server.url}/coordinator/cohorts/demo-cohort`;
    await page.goto(report);
    const matrix = page.getByRole("table", { name: /Completion matrix/ });
    const headers = matrix.getByRole("columnheader", { name: /^Module \d: / });
    await expect(headers).toHaveCount(9);
    await expect(headers.nth(8)).toHaveAccessibleName(/^Module 9: Iota: norms, rules/);
    const lucas = matrix.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /Lucas Learner/ }) });
    // The demo cohort reads the Uruguay edition, whose alpha exercise is required.
    await expect(lucas.getByRole("cell").nth(2)).toHaveText("◐ 1/4 sections read, quiz ✗not passed, exercise: not started, required");
    await expect(lucas.getByRole("cell").nth(3)).toHaveText("–Not started");
    expect(await pageWidth(page)).toBe(1280);
    // At 1280 px the compact matrix shows all nine modules without scrolling.
    expect(await clippedTables(page)).toBe(0);
    await expectNoAxeViolations(page);
    const unique = await new AxeBuilder({ page }).withRules(["landmark-unique", "region", "scrollable-region-focusable"]).analyze();
    expect(unique.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    expect(await pageWidth(page)).toBe(375);
    // What does not fit scrolls inside a named region that takes keyboard focus.
    for (const name of ["Completion by module", "Mastery by objective", "Mastery of the objectives: table"]) {
      const region = page.getByRole("region", { name, exact: true });
      await expect(region).toHaveAttribute("tabindex", "0");
      await region.focus();
      await expect(region).toBeFocused();
    }

    // Printing the page itself: no forms, buttons or navigation, and all nine columns.
    await expectNothingInteractiveInPrint(page);
    for (let n = 0; n < 9; n++) await expect(headers.nth(n)).toBeVisible();
    await page.emulateMedia({ media: "screen" });

    // The printable report is linked from the page; on A4 width it needs no sideways room.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole("link", { name: "Printable report" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Demo cohort (Uruguay edition): progress report" })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await pageWidth(page)).toBe(375);
    await page.setViewportSize({ width: A4_CONTENT_WIDTH, height: 1000 });
    await expectNothingInteractiveInPrint(page);
    const printed = page.getByRole("table", { name: /Completion matrix: every learner/ });
    for (let n = 1; n <= 9; n++) await expect(printed.getByRole("columnheader", { name: new RegExp(`^Module ${n}: `) })).toBeVisible();
    expect(await pageWidth(page)).toBeLessThanOrEqual(A4_CONTENT_WIDTH);
    expect(await clippedTables(page)).toBe(0);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the printable report covers every learner of the cohort, not one page, and names the issuing academy and the date", async ({ page }) => {
  const { coordinator, cohort } = await createCoordinatorWithCohort();
  const enrolled = REPORT_PAGE_SIZE + 1;
  for (let i = 0; i < enrolled; i++) {
    makeUserSync({ name: `Printed ${String(i).padStart(2, "0")}`, role: "learner", cohortId: cohort.id, passwordHash: null });
  }
  await signIn(page, coordinator.email);
  await page.goto(`/coordinator/cohorts/${cohort.slug}`);
  await expect(page.getByRole("table", { name: /Completion matrix/ }).getByRole("rowheader")).toHaveCount(REPORT_PAGE_SIZE);

  await page.goto(`/coordinator/cohorts/${cohort.slug}/print`);
  const table = page.getByRole("table", { name: /Completion matrix: every learner/ });
  await expect(table.getByRole("rowheader")).toHaveCount(enrolled);
  await expect(table.getByRole("rowheader", { name: /^Printed 50/ })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: /^Module \d: / })).toHaveCount(3);
  const today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  await expectNothingInteractiveInPrint(page);
  await expect(page.getByText(ISSUER, { exact: true })).toBeVisible();
  await expect(page.getByText(`Issued by ${ISSUER} on ${today}.`)).toBeVisible();
  await expect(page.getByRole("region", { name: "Summary" }).locator("dd").first()).toHaveText(String(enrolled));
  await expect(page.getByRole("table").filter({ hasText: "Mean score of those assessed" }).getByRole("rowheader")).toHaveCount(3);
});

test("the certificate, its print and its public verification name the configured issuer and the study time", async ({ page }) => {
  const { cohort } = await createCoordinatorWithCohort();
  const learner = await createUser({ role: "learner", cohortId: cohort.id, name: "Certa Issued" });
  for (const slug of ["alpha", "beta", "gamma"]) {
    for (const section of getLesson(slug)!.sections) markSectionRead({ userId: learner.id, slug, sectionId: section.id });
  }
  for (const [slug, answers] of [
    ["alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] }],
    ["beta", { q1: ["a"] }],
  ] as const) {
    const attempt = openAttempt({ userId: learner.id, slug });
    submitAttempt({ userId: learner.id, slug, attemptId: attempt.id, answers: new Map(Object.entries(answers).map(([q, a]) => [q, [...a]])) });
  }
  const code = certificateFor(learner.id)!.code;

  await signIn(page, learner.email);
  await page.goto("/certificate");
  const certificate = page.getByRole("article", { name: "Certa Issued" });
  // The fixture course: 5 + 4 + 2 minutes.
  await expect(certificate).toContainText("has completed the course Fixture course, 11 minutes of study, on");
  await expect(certificate.getByText(ISSUER, { exact: true })).toBeVisible();
  await expect(certificate).toContainText(`Issued by ${ISSUER}.`);
  await expectNoAxeViolations(page);
  await page.emulateMedia({ media: "print" });
  await expect(certificate.getByText(ISSUER, { exact: true })).toBeVisible();
  await expect(certificate.getByText(`Issued by ${ISSUER}.`)).toBeVisible();
  await expect(page.getByRole("banner")).toBeHidden();
  await page.emulateMedia({ media: "screen" });
  await signOut(page);

  await page.goto(`/certificates/${code}`);
  await expect(page.getByRole("status")).toHaveText(
    new RegExp(`Authentic: Certa Issued completed Fixture course on \\d{4}-\\d{2}-\\d{2} \\(11 minutes of study\\)\\.\\s*Issued by ${ISSUER}\\.`),
  );
  await expectNoAxeViolations(page);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("status")).toContainText(`Issued by ${ISSUER}.`);
});
