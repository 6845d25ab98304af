// The instructor's view of the course, and the rule that answer keys never reach a learner's browser.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { apiAs, createUser, expectNoAxeViolations, signIn, startServer } from "../support/e2e";

const run = promisify(execFile);
const MARKER = /MARKER-(FEEDBACK|EXPLANATION)/;

test("instructors see every module, the coverage matrix, and previews with the answer key", async ({ page }) => {
  const instructor = await createUser({ role: "instructor" });
  await signIn(page, instructor.email);
  await expect(page.getByRole("heading", { name: "Course authoring" })).toBeVisible();
  const modules = page.getByRole("region", { name: "Modules" });
  await expect(modules.getByRole("row")).toHaveCount(4);
  await expect(modules.getByRole("row", { name: /Alpha: threats/ })).toContainText("Built");
  await expect(modules.getByRole("row", { name: /Gamma reading only/ })).toContainText("No quiz");
  const coverage = page.getByRole("region", { name: "Objective coverage" });
  await expect(coverage.getByRole("row", { name: /LO1/ }).getByRole("cell")).toHaveText(["2", "0", "0", "2"]);
  // The quality gate's figures per bank, beside a link to the statistics learners produce.
  const banks = page.getByRole("region", { name: "Item banks" });
  await expect(banks.getByRole("row", { name: /Alpha: threats/ }).getByRole("cell")).toHaveText([
    "3",
    "LO1: 2, LO2: 2",
    "0%",
    "100% of 1",
    "1.74",
    "a 1",
    "Question analytics of module 1",
  ]);
  await expect(banks.getByRole("link", { name: "Question analytics of module 1" })).toHaveAttribute("href", "/instructor/questions#module-alpha");
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "Alpha: threats" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Alpha: threats" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Sections of this lesson" }).getByRole("link")).toHaveText([
    "Introduction",
    "What is a threat",
    "History",
    "Exercise",
  ]);
  await expect(page.getByText("MARKER-FEEDBACK-ALPHA-B")).toBeVisible();
  await expect(page.getByText("MARKER-EXPLANATION-ALPHA-Q1")).toBeVisible();
  await expect(page.getByRole("img", { name: "Three boxes joined by arrows" })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.goto("/instructor");
  await page.getByRole("link", { name: "uruguay" }).click();
  await expect(page.getByText("EDITION-MARKER-TEXT")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Beta in Uruguay-fixture" })).toBeVisible();
  await expect(page.getByText("Content current as of 30 November 2026")).toBeVisible();
});

test("learners cannot open the instructor pages, and no page or asset a learner gets carries the key", async ({ baseURL, page }) => {
  const learner = await createUser({ role: "learner" });
  const api = await apiAs(baseURL!, learner.email);
  expect((await api.get("/instructor", { maxRedirects: 0 })).status()).toBe(403);
  expect((await api.get("/instructor/modules/alpha", { maxRedirects: 0 })).status()).toBe(403);
  expect((await api.get("/instructor/modules/alpha.data", { maxRedirects: 0 })).status()).toBe(403);

  // Everything the learner's browser loads: document, data requests, scripts, styles.
  const bodies: string[] = [];
  page.on("response", async (response) => {
    if (response.url().startsWith(baseURL!)) bodies.push(await response.text().catch(() => ""));
  });
  await signIn(page, learner.email);
  await page.goto("/");
  await page.goto("/instructor/modules/alpha");
  await page.waitForLoadState("networkidle");
  const scripts = await page.locator("script[src], link[rel=modulepreload]").evaluateAll((els) =>
    els.map((e) => e.getAttribute("src") ?? e.getAttribute("href") ?? ""),
  );
  for (const src of scripts) bodies.push(await (await api.get(src)).text());
  expect(bodies.length).toBeGreaterThan(3);
  for (const body of bodies) expect(body).not.toMatch(MARKER);
});

test("a module folder dropped into the content appears in the app after a build, with no code change", async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-drop-"));
  const contentDir = path.join(dir, "content");
  const outDir = path.join(dir, "build");
  fs.cpSync("tests/fixtures/content/basic", contentDir, { recursive: true });
  const build = () =>
    run("npx", ["tsx", "scripts/content/cli.ts", "build"], { env: { ...process.env, CONTENT_DIR: contentDir, CONTENT_BUILD_DIR: outDir } });
  await build();
  const server = await startServer({ APP_MODE: "demo", DATABASE_PATH: path.join(dir, "app.db"), CONTENT_BUILD_DIR: outDir });
  try {
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Email address").fill("instructor@example.org");
    await page.getByLabel("Password").fill("Demo-Instructor-2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Course authoring" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Delta arrives" })).toHaveCount(0);

    fs.mkdirSync(path.join(contentDir, "modules", "delta"));
    fs.writeFileSync(
      path.join(contentDir, "modules", "delta", "lesson.mdx"),
      "---\ntitle: Delta arrives\nsummary: A new module.\norder: 4\nobjectives: [LO2]\nestimatedMinutes: 3\n---\n\n## Fresh section\n\nNew text.\n",
    );
    const { stdout } = await build();
    expect(stdout).toMatch(/1 compiled, 3 unchanged/);
    await page.reload();
    await page.getByRole("link", { name: "Delta arrives" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Delta arrives" })).toBeVisible();
    await expect(page.getByText("New text.")).toBeVisible();
  } finally {
    await server.stop();
  }
});
