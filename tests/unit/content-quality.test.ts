// The quality gate of the item banks (scripts/content/quality.ts): one fixture module per rule
// (tests/fixtures/content/gate), each problem asserted with its file:line:column, and a clean bank
// (tests/fixtures/content/gate-clean) that passes with no warning.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CourseArtifact, LessonArtifact } from "~/content/schema";
import { buildContent, currentRelease } from "../../scripts/content/build";
import { formatProblem } from "../../scripts/content/problems";
import { formatQualityTable, QUALITY_THRESHOLDS } from "../../scripts/content/quality";

const GATE = "tests/fixtures/content/gate";
const CLEAN = "tests/fixtures/content/gate-clean";
const temp = fs.mkdtempSync(path.join(os.tmpdir(), "cda-quality-test-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const lines = (file: string) => fs.readFileSync(file, "utf8").split("\n");

/** file:line:column of a question (its mapping starts at "id:" under "- "). */
function question(file: string, id: string): string {
  const i = lines(file).findIndex((l) => l === `  - id: ${id}`);
  if (i < 0) throw new Error(`no question ${id} in ${file}`);
  return `${file}:${i + 1}:5`;
}

/** file:line:column of the choice whose text is `text` (the "- id:" line just above it). */
function choice(file: string, text: string): string {
  const i = lines(file).findIndex((l) => l === `        text: ${JSON.stringify(text)}`);
  if (i < 0) throw new Error(`no choice "${text}" in ${file}`);
  return `${file}:${i}:9`;
}

/** file:line:column of a top-level key: `questions:` (the bank) or the value of `draw:`. */
function key(file: string, name: "questions" | "draw"): string {
  const i = lines(file).findIndex((l) => l.startsWith(`${name}:`));
  return `${file}:${i + 1}:${name === "draw" ? 7 : 1}`;
}

const quiz = (module: string) => `${GATE}/modules/${module}/quiz.yml`;
const editionQuiz = `${GATE}/modules/wording/editions/uruguay.quiz.yml`;

describe("the quality gate on one module per rule", async () => {
  const result = await buildContent({ contentDir: path.resolve(GATE), outDir: path.join(temp, "gate"), write: false });
  const found = result.problems.map(formatProblem);
  const problem = (where: string, severity: "error" | "warning", text: string) =>
    found.find((p) => p.startsWith(`${where} ${severity === "warning" ? "warning: " : ""}`) && p.includes(text));

  it("fails the build on its errors and publishes nothing", () => {
    expect(result.ok).toBe(false);
    expect(fs.existsSync(path.join(temp, "gate", "current"))).toBe(false);
  });

  it("key strictly the longest choice: error above 50 %, warning above 35 %", () => {
    expect(problem(key(quiz("key-longest-error"), "questions"), "error", "the key is strictly the longest choice in 67 % of 6")).toBeDefined();
    expect(problem(key(quiz("key-longest-warning"), "questions"), "warning", "the key is strictly the longest choice in 50 % of 6")).toBeDefined();
  });

  it("mean key length / mean distractor length: error above 1.5, warning outside 0.8–1.25", () => {
    expect(problem(key(quiz("key-ratio-error"), "questions"), "error", "mean key length / mean distractor length is 1.85")).toBeDefined();
    expect(problem(key(quiz("key-ratio-warning"), "questions"), "warning", "mean key length / mean distractor length is 0.63")).toBeDefined();
  });

  it("a key that is almost never the shortest choice is a warning (the mirror cue), wherever it occurs", () => {
    for (const module of ["key-longest-error", "key-longest-warning", "key-ratio-error"]) {
      expect(problem(key(quiz(module), "questions"), "warning", "the key is strictly the shortest choice in only 0 % of 6 single-choice questions")).toBeDefined();
    }
    expect(problem(key(quiz("key-positions"), "questions"), "warning", "the key is strictly the shortest choice in only 0 % of 8")).toBeDefined();
    expect(found.filter((p) => p.includes("strictly the shortest choice"))).toHaveLength(5);
  });

  it("one key position above 40 %, multiple-choice keys first above 50 %, true-false one way above 75 %: warnings", () => {
    expect(problem(key(quiz("key-positions"), "questions"), "warning", "4 of 8 single-choice keys (50 %) are choice a")).toBeDefined();
    expect(problem(key(quiz("multiple-prefix"), "questions"), "warning", "in 75 % of 4 multiple-choice questions the keys are exactly the first choices")).toBeDefined();
    expect(problem(key(quiz("true-false"), "questions"), "warning", "4 of 4 true-false questions are true")).toBeDefined();
  });

  it("'all of the above', 'neither' and duplicate stems are errors at their line; a near-duplicate stem is a warning", () => {
    const wording = quiz("wording");
    expect(problem(choice(wording, "All of the above"), "error", 'question "q1": the choice "All of the above" is forbidden')).toBeDefined();
    // Markdown, case and punctuation do not hide a duplicate.
    expect(problem(question(wording, "q3"), "error", `the same stem as question "q2" (line ${question(wording, "q2").split(":")[1]})`)).toBeDefined();
    expect(problem(question(wording, "q5"), "warning", 'its stem is nearly the same as question "q4"\'s')).toBeDefined();
    // An edition's own items are judged with the base bank, and reported in the edition's file.
    expect(problem(choice(editionQuiz, "Neither"), "error", 'question "u1": the choice "Neither" is forbidden')).toBeDefined();
    expect(problem(question(editionQuiz, "u2"), "error", `the same stem as question "q2" (${question(wording, "q2").split(":").slice(0, 2).join(":")})`)).toBeDefined();
  });

  it("a bank smaller than its draw is an error; below 24, without application items, kind, section or feedback: warnings", () => {
    const small = quiz("bank-small");
    expect(problem(key(small, "draw"), "error", "this quiz has 2 questions, fewer than draw: 3")).toBeDefined();
    expect(problem(key(small, "questions"), "warning", "0 of 2 questions (0 %) are application items")).toBeDefined();
    expect(problem(question(small, "q1"), "warning", 'question "q1": give kind (knowledge or application), section (the lesson section it assesses), feedback on every choice')).toBeDefined();
    expect(problem(question(small, "q2"), "warning", 'question "q2": give section (the lesson section it assesses)')).toBeDefined();
    const coverage = quiz("bank-coverage");
    expect(problem(key(coverage, "draw"), "warning", "this quiz has 3 questions; a bank needs at least 24")).toBeDefined();
  });

  it("a draw that cannot cover the module's objectives, and an objective without items, are errors", () => {
    const coverage = quiz("bank-coverage");
    expect(problem(key(coverage, "draw"), "error", "draw: 1 cannot cover the 2 objectives assessed by this quiz (LO1, LO2)")).toBeDefined();
    expect(problem(key(coverage, "questions"), "error", "objective LO3 of the module's frontmatter has no question")).toBeDefined();
  });

  it("in a course with banks: an objective below 20 items course-wide and a module without a reviewed date are warnings", () => {
    expect(found).toContain(`${GATE}/course.yml:10:9 warning: objective LO3 is assessed by 8 questions across the course; at least 20`);
    expect(problem(`${GATE}/modules/bank-small/lesson.mdx:1:1`, "warning", 'no "reviewed" date')).toBeDefined();
    expect(found.filter((p) => p.includes('no "reviewed" date'))).toHaveLength(1);
  });

  it("reports nothing else: every problem is one of the rules above", () => {
    expect(found).toHaveLength(26);
    const errors = result.problems.filter((p) => p.severity === "error").length;
    expect([errors, found.length - errors]).toEqual([9, 17]);
  });

  it("measures every bank, its edition with the base bank, and the course", () => {
    const q = result.quality!;
    const wording = q.quizzes.find((f) => f.label === "wording")!;
    const edition = q.quizzes.find((f) => f.label === "wording (uruguay)")!;
    expect([wording.questions, edition.questions, edition.edition]).toEqual([5, 7, "uruguay"]);
    expect(q.quizzes.find((f) => f.label === "key-positions")!.keyPositions).toEqual([4, 2, 1, 1]);
    expect(q.course.questions).toBe(50);
    expect(q.course.perObjective).toEqual({ LO1: 21, LO2: 22, LO3: 8 });
    const table = formatQualityTable(q);
    expect(table).toMatch(/^key-positions +8 +— +LO2:8 +0 % +0 % of 8 +0 % +1\.00 +a4 b2 c1 d1 /m);
    expect(table).toMatch(/^course +50 /m);
  });
});

describe("a clean bank", () => {
  it("passes with no warning, and its figures and reviewed dates are published", async () => {
    const outDir = path.join(temp, "clean");
    const result = await buildContent({ contentDir: path.resolve(CLEAN), outDir });
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.ok).toBe(true);
    const release = currentRelease(outDir)!;
    const course = JSON.parse(fs.readFileSync(path.join(release, "course.json"), "utf8")) as CourseArtifact;
    const [base, edition] = course.quality!.quizzes;
    expect(base).toMatchObject({ label: "clean", questions: 24, draw: 10, perObjective: { LO1: 20, LO2: 20 }, applicationShare: 0.5, keyLongestShare: 0.25, keyPositions: [5, 5, 5, 5], errors: 0, warnings: 0 });
    expect(base!.keyLengthRatio).toBeGreaterThan(0.85);
    expect(base!.keyLengthRatio).toBeLessThan(1.15);
    expect(edition).toMatchObject({ label: "clean (uruguay)", edition: "uruguay", questions: 26, errors: 0, warnings: 0 });
    expect(course.quality!.thresholds).toEqual(QUALITY_THRESHOLDS);
    const lesson = (name: string) => JSON.parse(fs.readFileSync(path.join(release, "lessons", name), "utf8")) as LessonArtifact;
    expect(lesson("clean.json").reviewed).toBe("2026-11-30");
    expect(lesson("clean--uruguay.json").reviewed).toBe("2026-10-15");
  });

  it("a base bank that only an edition's questions bring up to draw is a warning, not an error", async () => {
    const result = await buildContent({ contentDir: path.resolve("tests/fixtures/content/basic"), outDir: path.join(temp, "basic-drawn") });
    expect(result.ok).toBe(true);
    expect(result.problems.map(formatProblem)).toContain(
      "tests/fixtures/content/basic/modules/beta/quiz.yml:4:7 warning: this quiz has 1 questions, fewer than draw: 4; cohorts without an edition of their own get all 1",
    );
  });

  it("a course without draw stays quiet about banks: the fixture course of the e2e tests, without its draw", async () => {
    // The e2e course draws beta's questions (to test delivery); the same course without `draw` is a
    // small course of fixed quizzes, about which the gate has nothing to say.
    const copy = path.join(temp, "basic-src");
    fs.cpSync(path.resolve("tests/fixtures/content/basic"), copy, { recursive: true });
    const beta = path.join(copy, "modules/beta/quiz.yml");
    fs.writeFileSync(beta, fs.readFileSync(beta, "utf8").replace(/^draw: \d+\n/m, ""));
    fs.rmSync(path.join(copy, "modules/beta/editions/uruguay.quiz.yml"));
    const result = await buildContent({ contentDir: copy, outDir: path.join(temp, "basic") });
    expect(result.problems.map(formatProblem)).toEqual([]);
    const release = currentRelease(path.join(temp, "basic"))!;
    const lesson = (name: string) => JSON.parse(fs.readFileSync(path.join(release, "lessons", name), "utf8")) as LessonArtifact;
    // An edition without its own reviewed date has the base lesson's.
    expect([lesson("alpha.json").reviewed, lesson("beta.json").reviewed, lesson("beta--uruguay.json").reviewed]).toEqual([null, "2026-11-30", "2026-11-30"]);
  });
});

describe("the thresholds", () => {
  it("are all documented in content/README.md", () => {
    const readme = fs.readFileSync("content/README.md", "utf8");
    for (const name of Object.keys(QUALITY_THRESHOLDS)) expect(readme, name).toContain(`\`${name}\``);
  });
});
