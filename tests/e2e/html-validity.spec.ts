// Every page type, as each role receives it, is valid HTML (the Nu HTML Checker, npm vnu-jar) and
// carries no NUL byte. The names are accented and the cohort is long, so that multi-byte characters
// fall across many of the renderer's buffer boundaries.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { getCourse, getPublicQuiz, getQuizKey } from "~/content/course.server";
import { certificateFor } from "~/models/certificate.server";
import { requestPeerReview, submissionOf, submitExercise } from "~/models/exercise.server";
import { createInvitations } from "~/models/invitation.server";
import { createPasswordReset } from "~/models/password-reset.server";
import { markSectionRead } from "~/models/progress.server";
import { attemptQuestions, openAttempt, submitAttempt, type Attempt } from "~/models/quiz.server";
import { makeCohort, makeExerciseResult } from "~/models/factories.server";
import { currentRelease } from "../../scripts/content/build";
import { apiAs, createUser, signIn, startServer } from "../support/e2e";

const VNU_JAR = createRequire(import.meta.url).resolve("vnu-jar/build/dist/vnu.jar");
const ZOE = "Zoë Ångström-Müller";
const OTHERS = ["Łukasz Wiśniewski-Ñúñez", "Søren Kierkegård", "Chloé Dubois-Lefèvre", "Ngozi Ọkọnjọ-Iwéàlá", "Đặng Thị Ánh"];

/** The right answers to an attempt's questions, from the key; `wrong` picks a wrong choice for every question instead. */
function answersFor(slug: string, attempt: Attempt, { wrong = false } = {}): Map<string, string[]> {
  const key = getQuizKey(slug)!;
  return new Map(
    attemptQuestions(attempt, getPublicQuiz(slug)!).map((q) => {
      const right = key.questions.find((k) => k.id === q.id)!.correct;
      const other = q.choices.map((c) => c.id).filter((id) => !right.includes(id));
      return [q.id, wrong ? other.slice(0, 1) : right];
    }),
  );
}

function take(userId: string, slug: string, options: { wrong?: boolean } = {}): string {
  const attempt = openAttempt({ userId, slug });
  submitAttempt({ userId, slug, attemptId: attempt.id, answers: answersFor(slug, attempt, options) });
  return attempt.id;
}

interface Fetched {
  name: string;
  status: number;
  body: Buffer;
}

async function get(api: APIRequestContext, name: string, url: string, status = 200): Promise<Fetched> {
  const res = await api.get(url, { maxRedirects: 0 });
  expect(res.status(), `${name}: GET ${url}`).toBe(status);
  return { name, status: res.status(), body: await res.body() };
}

async function post(api: APIRequestContext, name: string, url: string, form: Record<string, string>, status: number): Promise<Fetched> {
  const res = await api.post(url, { form, maxRedirects: 0 });
  expect(res.status(), `${name}: POST ${url}`).toBe(status);
  return { name, status: res.status(), body: await res.body() };
}

interface NuMessage {
  type: string;
  subType?: string;
  url: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

/** One JVM start for all pages; returns "page:line: message" for every error. */
function validate(pages: Fetched[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-html-"));
  try {
    const files = pages.map((p) => {
      const file = path.join(dir, `${p.name}.html`);
      fs.writeFileSync(file, p.body);
      return file;
    });
    const run = spawnSync("java", ["-jar", VNU_JAR, "--format", "json", "--errors-only", ...files], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) throw run.error;
    const { messages } = JSON.parse(run.stderr) as { messages: NuMessage[] };
    return messages.map((m) => `${path.basename(decodeURIComponent(m.url), ".html")}:${m.lastLine ?? "?"}: ${m.message}${m.extract ? ` [${m.extract.trim()}]` : ""}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("every page type of every role is valid HTML with no NUL byte and a description", async ({ baseURL }) => {
  test.setTimeout(120_000);
  const coordinator = await createUser({ role: "coordinator", name: "Ana Coördinator" });
  const cohort = makeCohort({ coordinatorId: coordinator.id, name: "Cohorte Montevideo – ñandú" });
  const zoe = await createUser({ role: "learner", cohortId: cohort.id, name: ZOE });
  for (let i = 0; i < 30; i++) {
    const learner = await createUser({ role: "learner", cohortId: cohort.id, name: `${OTHERS[i % OTHERS.length]} ${i + 1}` });
    if (i % 3 === 0) markSectionRead({ userId: learner.id, slug: "alpha", sectionId: "introduction" });
  }
  const instructor = await createUser({ role: "instructor", name: "Élodie Instructrice" });

  // Zoë fails alpha once, then completes the course: every module read, every quiz passed.
  const failed = take(zoe.id, "alpha", { wrong: true });
  const course = getCourse();
  for (const m of course.modules) for (const s of m.sections) markSectionRead({ userId: zoe.id, slug: m.slug, sectionId: s.id });
  const passed = take(zoe.id, "alpha");
  // Her alpha exercise reviewed: the pages' practical-exercise markup (statuses, levels, "shown in practice") is checked too.
  makeExerciseResult({ userId: zoe.id, slug: "alpha", instructor: { analysis: 2, action: 1 } });
  for (const m of course.modules) if (m.quiz && m.slug !== "alpha") take(zoe.id, m.slug);
  const certificate = certificateFor(zoe.id);
  expect(certificate, "Zoë's certificate").toBeDefined();
  const submission = `/instructor/exercises/${submissionOf(zoe.id, "alpha")!.id}`;

  const [invitation] = createInvitations({ cohortId: cohort.id, role: "learner", createdBy: null }).codes;
  const reset = createPasswordReset({ userId: (await createUser({ role: "learner", cohortId: cohort.id, name: "Renée Reset" })).id });

  // Peer review: Zoë reviews a peer's answers to alpha's exercise (and sends it, for the read-only page).
  const peer = await createUser({ role: "learner", cohortId: cohort.id, name: "Ngozi Ọkọnjọ-Iwéàlá Peer" });
  const texts = { note: "Ñandú ".repeat(60), lines: "Zoë ".repeat(25) };
  submitExercise({ userId: peer.id, slug: "alpha", texts });
  const given = requestPeerReview({ userId: zoe.id, slug: "alpha" });
  if (!("reviewId" in given)) throw new Error(`no review for Zoë: ${given.none}`);
  const reviewPath = `/modules/alpha/exercise/reviews/${given.reviewId}`;

  const learner = await apiAs(baseURL!, zoe.email);
  // Zoë has submitted (for the staff pages and peer review): the draft pages are another learner's.
  const drafter = await apiAs(baseURL!, (await createUser({ role: "learner", cohortId: cohort.id, name: "Dörte Draft" })).email);
  const coord = await apiAs(baseURL!, coordinator.email);
  const teacher = await apiAs(baseURL!, instructor.email);
  const anonymous = await apiAs(baseURL!);
  const cohortPath = `/coordinator/cohorts/${cohort.slug}`;
  const alpha = course.modules.find((m) => m.slug === "alpha")!;

  const pages: Fetched[] = [
    await get(learner, "learner-dashboard", "/"),
    await get(learner, "learner-section", `/modules/alpha/${alpha.sections[1]!.id}`),
    await get(learner, "learner-print", "/modules/alpha/print"),
    await get(learner, "learner-quiz", "/modules/alpha/quiz"),
    await get(learner, "learner-attempt-failed", `/modules/alpha/quiz/attempts/${failed}`),
    await get(learner, "learner-attempt-passed", `/modules/alpha/quiz/attempts/${passed}`),
    await get(learner, "learner-progress", "/progress"),
    await get(learner, "learner-certificate", "/certificate"),
    await get(learner, "learner-glossary", "/glossary"),
    await get(learner, "learner-sources", "/sources"),
    await get(learner, "learner-account", "/account"),
    await get(learner, "learner-peer-reviews", "/modules/alpha/exercise/reviews"),
    await get(learner, "learner-peer-review", reviewPath),
    await post(learner, "form-400-peer-review", reviewPath, { "criterion.analysis": "9", comment: "Ça va" }, 400),
    await get(learner, "error-403", "/instructor", 403),
    await get(learner, "error-404", "/no-such-page", 404),
    await post(learner, "form-400-account", "/account", { intent: "name", name: "" }, 400),
    await post(learner, "form-409-quiz", "/modules/alpha/quiz", { attemptId: passed, "q.q1": "a" }, 409),
    await post(drafter, "form-400-exercise", "/modules/alpha/exercise", { intent: "submit", "task.note": "Too short." }, 400),
    await get(drafter, "learner-exercise-draft", "/modules/alpha/exercise"),
    await get(learner, "learner-exercise-self-assessment", "/modules/alpha/exercise"),
    await post(learner, "form-400-self-assessment", "/modules/alpha/exercise", { intent: "self-assess", "criterion.analysis": "9" }, 400),
    await get(coord, "coordinator-cohorts", "/coordinator/cohorts"),
    await get(coord, "coordinator-cohort-report", cohortPath),
    await get(coord, "coordinator-drill-down", `${cohortPath}/learners/${zoe.id}`),
    await get(coord, "coordinator-audit-log", `${cohortPath}/audit`),
    await get(coord, "coordinator-print-report", `${cohortPath}/print`),
    await get(teacher, "instructor-home", "/instructor"),
    await get(teacher, "instructor-module-preview", "/instructor/modules/alpha"),
    await get(teacher, "instructor-question-analytics", "/instructor/questions"),
    await get(teacher, "instructor-exercise-queue", "/instructor/exercises"),
    await get(coord, "coordinator-exercise-submission", submission),
    await post(teacher, "form-400-exercise-review", submission, { intent: "review", feedback: "Bien." }, 400),
    await get(anonymous, "anonymous-login", "/login"),
    await post(anonymous, "form-400-login", "/login", { email: "nobody@e2e.example", password: "wrong password here" }, 400),
    await get(anonymous, "anonymous-join", `/join/${invitation}`),
    await post(anonymous, "form-400-join", `/join/${invitation}`, { name: "", email: "not-an-address", password: "x", country: "" }, 400),
    await get(anonymous, "anonymous-reset", `/reset/${reset.token}`),
    await get(anonymous, "anonymous-certificate-verification", `/certificates/${certificate!.code}`),
    await get(anonymous, "error-404-anonymous", "/certificates/AAAAA-BBBBB-CCCCC-DDDDD", 404),
  ];
  await post(learner, "form-303-peer-review", reviewPath, { "criterion.analysis": "2", "criterion.action": "1", comment: "Très clair.\r\nMerci." }, 303);
  pages.push(await get(learner, "learner-peer-review-sent", reviewPath));

  // The accented names are on the pages that name people, spread over several 4 KiB blocks.
  for (const name of ["coordinator-cohort-report", "coordinator-drill-down", "learner-certificate", "anonymous-certificate-verification"]) {
    expect(pages.find((p) => p.name === name)!.body.toString("utf8"), name).toContain(ZOE);
  }
  expect(pages.find((p) => p.name === "coordinator-cohort-report")!.body.length).toBeGreaterThan(4 * 4096);
  expect(pages.filter((p) => p.body.includes(0)).map((p) => p.name)).toEqual([]);

  // Every page describes itself; pages with a natural description have their own.
  const descriptions = new Map(
    pages.map((p) => [p.name, [...p.body.toString("utf8").matchAll(/<meta name="description" content="([^"]+)"\/?>/g)].map((m) => m[1])]),
  );
  expect([...descriptions].filter(([, found]) => found.length !== 1).map(([name]) => name)).toEqual([]);
  expect(descriptions.get("learner-section")![0]).toContain(`section 2 of ${alpha.sections.length} of the module`);
  expect(descriptions.get("anonymous-login")![0]).toMatch(/^Sign in to Cyber Diplomacy Academy/);
  // A page known to be invalid shows that the checker ran and reads what we wrote.
  const control = { name: "control-invalid", status: 0, body: Buffer.from('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><ul><p>Zoë</p></ul></body></html>') };
  const errors = validate([...pages, control]);
  expect(errors.filter((e) => e.startsWith("control-invalid:")), "the checker finds the control page's error").not.toEqual([]);
  expect(errors.filter((e) => !e.startsWith("control-invalid:"))).toEqual([]);
});

test("pages hydrate with the single-fetch data inside <body>: a client-side navigation keeps the page's state", async ({ page }) => {
  const cohort = makeCohort({ name: "Cohorte hydratation" });
  const learner = await createUser({ role: "learner", cohortId: cohort.id, name: ZOE });
  const csp: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to execute/i.test(m.text())) csp.push(m.text());
  });
  await signIn(page, learner.email);
  const html = await (await page.request.get("/progress")).text();
  expect(html.endsWith("</body></html>"), "nothing after </html>").toBe(true);
  await page.goto("/progress");
  // Remix marks the document hydrated once React has taken over the page.
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = "same document"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Glossary" }).click();
  await expect(page).toHaveURL(/\/glossary$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same document");
  expect(csp).toEqual([]);
});

test("no page of the real course scrolls sideways on a 375 px phone: lesson tables scroll in their own region, exercises fit", async ({ browser }) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-phone-"));
  const server = await startServer({ APP_MODE: "demo", DATABASE_PATH: path.join(dir, "app.db"), CONTENT_BUILD_DIR: path.resolve(".content-build") });
  const page = await browser.newPage({ baseURL: server.url, viewport: { width: 375, height: 800 } });
  try {
    await signIn(page, "learner@example.org", "Demo-Learner-2026");
    // Built with the app by scripts/e2e.mjs (npm run build).
    const release = currentRelease(path.resolve(".content-build"));
    if (!release) throw new Error("no build of the real course in .content-build: run npm run content:build");
    const course = JSON.parse(fs.readFileSync(path.join(release, "course.json"), "utf8")) as { modules: { slug: string; sections: { id: string }[] }[] };
    const wide: string[] = [];
    let withTables = 0;
    for (const m of course.modules) {
      for (const url of [...m.sections.map((s) => `/modules/${m.slug}/${s.id}`), `/modules/${m.slug}/print`]) {
        await page.goto(url);
        const { scrollWidth, tables, regions } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          tables: document.querySelectorAll("main table").length,
          regions: document.querySelectorAll('main [role="region"][aria-label][tabindex="0"] > table').length,
        }));
        if (tables === 0) continue;
        withTables++;
        if (scrollWidth > 375 || regions !== tables) wide.push(`${url}: ${scrollWidth} px, ${regions} of ${tables} tables in a region`);
      }
    }
    // Each module's practical exercise (brief, text areas, rubric), the peer reviews and the dashboard
    // (plain HTML since issue 13, with every module's card) fit too.
    for (const url of ["/", ...course.modules.map((m) => `/modules/${m.slug}/exercise`), `/modules/${course.modules[0]!.slug}/exercise/reviews`]) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > 375) wide.push(`${url}: ${scrollWidth} px`);
    }
    expect(withTables).toBeGreaterThan(9);
    expect(wide).toEqual([]);
  } finally {
    await page.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
