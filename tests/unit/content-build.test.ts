import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CourseArtifact, LessonArtifact, PublicQuiz, QuizKey } from "~/content/schema";
import { buildContent, currentRelease } from "../../scripts/content/build";
import { formatProblem } from "../../scripts/content/problems";
import { fixtureCopies, readJson } from "../support/content-fixture";

const { temp, copyFixture } = fixtureCopies("cda-content-test-");
const read = readJson;

/** Every file under dir with its SHA-256, for byte-for-byte comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isSymbolicLink()) out[path.relative(dir, full)] = `-> ${fs.readlinkSync(full)}`;
      else if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = createHash("sha256").update(fs.readFileSync(full)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

describe("the content build of the fixture course", () => {
  const contentDir = copyFixture();
  const outDir = path.join(temp, "out-good");
  let release: string;

  it("publishes every module with its sections, HTML, objectives, sources and glossary", async () => {
    const result = await buildContent({ contentDir, outDir });
    // The fixture's one drawn bank (beta, for the delivery tests) is far smaller than a real one: the
    // quality gate warns about it, and those warnings are content-quality.test.ts's subject.
    expect(result.problems.filter((p) => p.severity === "error").map(formatProblem)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.compiled.sort()).toEqual(["alpha", "beta", "gamma"]);
    release = currentRelease(outDir)!;
    expect(release).toBe(result.releaseDir);

    const course = read<CourseArtifact>(release, "course.json");
    expect(course.modules.map((m) => [m.slug, m.order])).toEqual([["alpha", 1], ["beta", 2], ["gamma", 3]]);
    const alpha = course.modules[0]!;
    expect(alpha.objectives).toEqual(["LO1", "LO2"]);
    // The intro before the first ## is a section; a pinned id replaces the heading's slug.
    expect(alpha.sections.map((s) => s.id)).toEqual(["introduction", "threats", "history", "practice"]);
    expect(alpha.quiz).toMatchObject({ questionCount: 3, questionsPerObjective: { LO1: 2, LO2: 2 } });
    expect(course.modules[2]!.quiz).toBeNull();
    expect(course.modules[1]!.editions.map((e) => e.id)).toEqual(["uruguay"]);
    expect(course.glossary.map((g) => g.term)).toEqual(["Ransomware"]);
    expect(course.sources.map((s) => s.symbol)).toEqual(["A/70/174", "A/RES/70/237"]);

    const lesson = read<LessonArtifact>(release, "lessons/alpha.json");
    const threats = lesson.sections.find((s) => s.id === "threats")!;
    expect(threats.html).toContain('<h2 id="threats">What is a threat</h2>');
    expect(threats.html).toContain("<dfn>Ransomware</dfn>");
    expect(threats.html).toMatch(/<aside class="callout callout-warning"/);
    expect(threats.wordCount).toBeGreaterThan(10);
    const history = lesson.sections.find((s) => s.id === "history")!.html;
    expect(history).toContain('<ol class="timeline">');
    expect(history).toMatch(/<img src="\/course-assets\/alpha\/[0-9a-f]{10}-diagram\.svg" alt="Three boxes joined by arrows"/);
    expect(lesson.sections.find((s) => s.id === "practice")!.html).toContain("<table>");
    expect(lesson.glossary[0]).toMatchObject({ term: "Ransomware", html: "<p>Malware that encrypts data and demands payment.</p>" });
    const asset = fs.readdirSync(path.join(release, "assets", "alpha"));
    expect(asset).toHaveLength(1);

    const edition = read<LessonArtifact>(release, "lessons/beta--uruguay.json");
    expect(edition.sections.map((s) => s.html).join("")).toContain("EDITION-MARKER-TEXT");
    expect(read<LessonArtifact>(release, "lessons/beta.json").sections.map((s) => s.html).join("")).not.toContain("EDITION-MARKER");
  });

  it("keeps answer keys out of the public quiz artifact", () => {
    const publicText = fs.readFileSync(path.join(release, "quizzes", "alpha.json"), "utf8");
    expect(publicText).not.toMatch(/MARKER|correct|feedback|explanation/i);
    const quiz = JSON.parse(publicText) as PublicQuiz;
    expect(quiz.questions[2]!.choices.map((c) => c.id)).toEqual(["true", "false"]);
    const key = read<QuizKey>(release, "keys/alpha.json");
    expect(key.version).toBe(quiz.version);
    expect(key.questions.map((q) => q.correct)).toEqual([["a"], ["a", "b"], ["true"]]);
    expect(key.questions[0]!.feedbackHtml.b).toContain("MARKER-FEEDBACK-ALPHA-B");
    expect(key.questions[0]!.explanationHtml).toContain("MARKER-EXPLANATION-ALPHA-Q1");
  });

  it("compiles an edition's questions into the module's bank: marked with their edition, keys apart", () => {
    const publicText = fs.readFileSync(path.join(release, "quizzes", "beta.json"), "utf8");
    expect(publicText).not.toMatch(/correct|feedback|explanation/i);
    const quiz = JSON.parse(publicText) as PublicQuiz;
    expect(quiz.draw).toBe(4);
    expect(quiz.questions.map((q) => [q.id, q.edition])).toEqual([
      ["q1", null],
      ...Array.from({ length: 9 }, (_, i) => [`uy${i + 1}`, "uruguay"]),
    ]);
    expect(quiz.questions[0]).toMatchObject({ section: "mapping-your-country", kind: "application", objectives: ["LO3"] });
    expect(quiz.questions[1]).toMatchObject({ section: "uruguay-fixtures-agencies", kind: "knowledge" });
    // True before False, whatever the order written: the server keeps a true-false question's order.
    expect(quiz.questions.find((q) => q.id === "uy4")!.choices.map((c) => c.html)).toEqual(["True", "False"]);
    const key = read<QuizKey>(release, "keys/beta.json");
    expect(key.version).toBe(quiz.version);
    expect(key.questions.map((q) => q.id)).toEqual(quiz.questions.map((q) => q.id));
    expect(key.questions.find((q) => q.id === "uy3")!.correct).toEqual(["a", "b"]);
    const beta = read<CourseArtifact>(release, "course.json").modules[1]!;
    expect(beta.quiz).toEqual({
      version: quiz.version,
      draw: 4,
      questionCount: 1,
      questionsPerObjective: { LO3: 1 },
      editions: { uruguay: { questionCount: 9, questionsPerObjective: { LO3: 6, LO1: 3 } } },
    });
  });

  it("compiles nothing on a second build without changes, and publishes nothing", async () => {
    const before = snapshot(outDir);
    const result = await buildContent({ contentDir, outDir });
    expect(result).toMatchObject({ ok: true, compiled: [], unchanged: true });
    expect(result.reused.sort()).toEqual(["alpha", "beta", "gamma"]);
    expect(snapshot(outDir)).toEqual(before);
  });

  it("recompiles only the module whose lesson changed, and records quiz versions", async () => {
    const versionBefore = read<CourseArtifact>(release, "course.json").modules[0]!.quiz!.version;
    fs.appendFileSync(path.join(contentDir, "modules", "gamma", "lesson.mdx"), "\nOne more sentence.\n");
    const result = await buildContent({ contentDir, outDir });
    expect(result).toMatchObject({ ok: true, compiled: ["gamma"], unchanged: false });
    const course = read<CourseArtifact>(currentRelease(outDir)!, "course.json");
    expect(course.modules[0]!.quiz!.version).toBe(versionBefore);

    fs.appendFileSync(path.join(contentDir, "modules", "alpha", "quiz.yml"), "\n# a comment changes the text\n");
    const again = await buildContent({ contentDir, outDir });
    expect(again.compiled).toEqual(["alpha"]);
    expect(read<CourseArtifact>(currentRelease(outDir)!, "course.json").modules[0]!.quiz!.version).not.toBe(versionBefore);
  });

  it("gives the module's quiz a new version when only an edition's questions change", async () => {
    const before = read<CourseArtifact>(currentRelease(outDir)!, "course.json").modules.map((m) => m.quiz?.version);
    fs.appendFileSync(path.join(contentDir, "modules", "beta", "editions", "uruguay.quiz.yml"), "\n# a comment changes the text\n");
    const result = await buildContent({ contentDir, outDir });
    expect(result.compiled).toEqual(["beta"]);
    const after = read<CourseArtifact>(currentRelease(outDir)!, "course.json").modules.map((m) => m.quiz?.version);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(read<PublicQuiz>(currentRelease(outDir)!, "quizzes/beta.json").version).toBe(after[1]);
  });

  it("publishes a new module folder with no code change", async () => {
    const dir = path.join(contentDir, "modules", "delta");
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, "lesson.mdx"),
      "---\ntitle: Delta\nsummary: Added later.\norder: 4\nobjectives: [LO2]\nestimatedMinutes: 3\n---\n\n## New things\n\nText.\n",
    );
    const result = await buildContent({ contentDir, outDir });
    expect(result.compiled).toEqual(["delta"]);
    expect(read<CourseArtifact>(currentRelease(outDir)!, "course.json").modules.map((m) => m.slug)).toContain("delta");
  });

  it("check mode validates without writing anything", async () => {
    const before = snapshot(outDir);
    fs.appendFileSync(path.join(contentDir, "modules", "beta", "lesson.mdx"), "\nChanged.\n");
    const result = await buildContent({ contentDir, outDir, write: false });
    expect(result).toMatchObject({ ok: true, compiled: ["beta"] });
    expect(snapshot(outDir)).toEqual(before);
  });
});

type Edit = [file: string, change: (text: string) => string];

interface BadCase {
  name: string;
  edits: Edit[];
  file: string;
  /** Text on the line the problem must point at. */
  lineWith: string;
  message: RegExp;
  /** Syntax errors may be noticed a line later than the mistake. */
  slack?: number;
}

const replace = (from: string, to: string) => (text: string) => {
  if (!text.includes(from)) throw new Error(`fixture has no ${from}`);
  return text.replace(from, to);
};
const ALPHA = "modules/alpha/lesson.mdx";
const ALPHA_QUIZ = "modules/alpha/quiz.yml";
const BETA_QUIZ = "modules/beta/quiz.yml";
const BETA_UY_QUIZ = "modules/beta/editions/uruguay.quiz.yml";

const BAD: BadCase[] = [
  { name: "unknown objective in frontmatter", edits: [[ALPHA, replace("objectives: [LO1, LO2]", "objectives: [LO1, LO9]")]], file: ALPHA, lineWith: "objectives: [LO1, LO9]", message: /unknown objective "LO9"/ },
  { name: "module without objectives", edits: [[ALPHA, replace("objectives: [LO1, LO2]", "objectives: []")]], file: ALPHA, lineWith: "objectives: []", message: /objectives" list at least one objective/ },
  { name: "missing title", edits: [[ALPHA, replace('title: "Alpha: threats"\n', "")]], file: ALPHA, lineWith: "summary:", message: /"title" is missing/ },
  { name: "order that is not a number", edits: [[ALPHA, replace("order: 1", "order: first")]], file: ALPHA, lineWith: "order: first", message: /"order" must be a whole number/ },
  { name: "duplicate order", edits: [["modules/gamma/lesson.mdx", replace("order: 3", "order: 1")]], file: "modules/gamma/lesson.mdx", lineWith: "order: 1", message: /order 1 is also used by module "alpha"/ },
  { name: "unknown edition", edits: [["modules/beta/editions/atlantis.mdx", () => "---\ntitle: A\nsummary: B\norder: 2\nobjectives: [LO3]\nestimatedMinutes: 1\n---\n\n## X\n\nY\n"]], file: "modules/beta/editions/atlantis.mdx", lineWith: "---", message: /unknown edition "atlantis"/ },
  { name: "duplicate section ids", edits: [[ALPHA, replace("## Exercise", "## History ")]], file: ALPHA, lineWith: "## History \n", message: /two sections have the id "history"/ },
  { name: "reserved section id", edits: [[ALPHA, replace("## Exercise", "## Quiz")]], file: ALPHA, lineWith: "## Quiz", message: /section id "quiz" is reserved/ },
  { name: "unknown component", edits: [[ALPHA, replace("<Callout type=\"warning\">", "<Alert type=\"warning\">").bind(null)], [ALPHA, replace("</Callout>", "</Alert>")]], file: ALPHA, lineWith: "<Alert", message: /unknown component <Alert>/ },
  { name: "unknown prop", edits: [[ALPHA, replace('<Callout type="warning">', '<Callout type="warning" colour="red">')]], file: ALPHA, lineWith: "colour=", message: /<Callout> has no prop "colour"/ },
  { name: "prop value not in the list", edits: [[ALPHA, replace('<Callout type="warning">', '<Callout type="danger">')]], file: ALPHA, lineWith: "danger", message: /type="danger" is not one of: note, warning, key-point/ },
  { name: "prop that is code", edits: [[ALPHA, replace('date="2007"', "date={2007}")]], file: ALPHA, lineWith: "date={2007}", message: /prop "date" must be text in double quotes/ },
  { name: "missing alt", edits: [[ALPHA, replace(' alt="Three boxes joined by arrows"', "")]], file: ALPHA, lineWith: "<Figure", message: /<Figure> needs alt="…": describe the image/ },
  { name: "broken image reference", edits: [[ALPHA, replace('src="diagram.svg"', 'src="missing.png"')]], file: ALPHA, lineWith: "missing.png", message: /src="missing.png": no such image/ },
  { name: "unparsable MDX", edits: [[ALPHA, replace("Never pay without legal advice.", "Never pay {without legal advice.")]], file: ALPHA, lineWith: "Never pay {without", message: /MDX syntax/ },
  { name: "unclosed component", edits: [[ALPHA, replace("</Scenario>", "")]], file: ALPHA, lineWith: "<Scenario", message: /MDX syntax/ },
  { name: "import in a lesson", edits: [[ALPHA, replace("An opening paragraph", 'import X from "./x.js"\n\nAn opening paragraph')]], file: ALPHA, lineWith: "import X", message: /import and export are not allowed/ },
  { name: "unparsable YAML", edits: [[ALPHA_QUIZ, replace("    type: multiple", "    type: [multiple")]], file: ALPHA_QUIZ, lineWith: "type: [multiple", message: /YAML syntax/, slack: 1 },
  { name: "duplicate question id", edits: [[ALPHA_QUIZ, replace("  - id: q2", "  - id: q1")]], file: ALPHA_QUIZ, lineWith: "  - id: q1\n    objectives: [LO2]", message: /the id "q1" is already used/ },
  { name: "duplicate choice id", edits: [[ALPHA_QUIZ, replace("      - id: b\n        text: Criminals", "      - id: a\n        text: Criminals")]], file: ALPHA_QUIZ, lineWith: "      - id: a\n        text: Criminals", message: /choice id "a" is used twice/ },
  { name: "single question with two correct choices", edits: [[ALPHA_QUIZ, replace("text: Speeds up computers\n        correct: false", "text: Speeds up computers\n        correct: true")]], file: ALPHA_QUIZ, lineWith: "      - id: a\n        text: Encrypts", message: /needs exactly one choice with "correct: true" \(found 2\)/ },
  { name: "multiple question without a correct choice", edits: [[ALPHA_QUIZ, replace("text: States\n        correct: true", "text: States\n        correct: false")], [ALPHA_QUIZ, replace("text: Criminals\n        correct: true", "text: Criminals\n        correct: false")]], file: ALPHA_QUIZ, lineWith: "      - id: a\n        text: States", message: /needs at least one choice with "correct: true"/ },
  { name: "empty prompt", edits: [[ALPHA_QUIZ, replace("prompt: Which are threat actors?", 'prompt: ""')]], file: ALPHA_QUIZ, lineWith: 'prompt: ""', message: /"questions\[2\]\.prompt" prompt must not be empty/ },
  { name: "unknown objective in a question", edits: [[ALPHA_QUIZ, replace("objectives: [LO2]\n    section: threats", "objectives: [LO7]\n    section: threats")]], file: ALPHA_QUIZ, lineWith: "objectives: [LO7]", message: /unknown objective "LO7"/ },
  { name: "unknown section in a question", edits: [[ALPHA_QUIZ, replace("section: history", "section: histories")]], file: ALPHA_QUIZ, lineWith: "section: histories", message: /question "q3": unknown section "histories"; lesson.mdx has introduction, threats, history, practice/ },
  { name: "unknown kind of question", edits: [[ALPHA_QUIZ, replace("kind: knowledge", "kind: recall")]], file: ALPHA_QUIZ, lineWith: "kind: recall", message: /"questions\[1\]\.kind" must be one of: knowledge, application/ },
  { name: "draw that is not a whole number", edits: [[BETA_QUIZ, replace("draw: 4", "draw: 2.5")]], file: BETA_QUIZ, lineWith: "draw: 2.5", message: /"draw" must be a whole number/ },
  { name: "edition question on a section of the base lesson only", edits: [[BETA_UY_QUIZ, replace("section: uruguay-fixtures-agencies", "section: mapping-your-country")]], file: BETA_UY_QUIZ, lineWith: "section: mapping-your-country", message: /question "uy1": unknown section "mapping-your-country"; the uruguay edition's lesson has uruguay-fixtures-agencies, coordination/ },
  { name: "edition question reusing a base question's id", edits: [[BETA_UY_QUIZ, replace("  - id: uy2", "  - id: q1")]], file: BETA_UY_QUIZ, lineWith: "  - id: q1", message: /the id "q1" is already used on line \d+ of .*modules\/beta\/quiz\.yml/ },
  { name: "edition quiz of an unknown edition", edits: [["modules/beta/editions/atlantis.quiz.yml", () => "questions: []\n"]], file: "modules/beta/editions/atlantis.quiz.yml", lineWith: "questions", message: /unknown edition "atlantis"/ },
  { name: "edition quiz without questions", edits: [[BETA_UY_QUIZ, () => "questions: []\n"]], file: BETA_UY_QUIZ, lineWith: "questions", message: /edition quiz: "questions" list at least one question/ },
  { name: "edition quiz in a module without a quiz", edits: [["modules/gamma/editions/uruguay.quiz.yml", () => "questions: []\n"]], file: "modules/gamma/editions/uruguay.quiz.yml", lineWith: "questions", message: /this module has no quiz\.yml/ },
  { name: "misspelt field", edits: [[ALPHA_QUIZ, replace("passingScore: 0.5", "passingscore: 0.5")]], file: ALPHA_QUIZ, lineWith: "passingscore", message: /unknown field "passingscore"/ },
  { name: "folder name that is not kebab-case", edits: [["modules/Bad_Name/lesson.mdx", () => "---\ntitle: A\n---\n"]], file: "modules/Bad_Name/lesson.mdx", lineWith: "---", message: /must be named in lower-case words/ },
  { name: "duplicate objective ids in course.yml", edits: [["course.yml", replace("  - id: LO3", "  - id: LO2")]], file: "course.yml", lineWith: "  - id: LO2\n    title: Third", message: /objective id "LO2" is used twice/ },
];

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`no "${needle}" in the file`);
  return text.slice(0, index + (needle.startsWith("\n") ? 1 : 0)).split("\n").length;
}

describe("content errors", () => {
  const outDir = path.join(temp, "out-bad");

  it.each(BAD)("$name: names the file and line, and leaves the last good build untouched", async (bad) => {
    if (!fs.existsSync(path.join(outDir, "current"))) {
      expect((await buildContent({ contentDir: copyFixture(), outDir })).ok).toBe(true);
    }
    const before = snapshot(outDir);
    const dir = copyFixture();
    for (const [file, change] of bad.edits) {
      const full = path.join(dir, file);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, change(fs.existsSync(full) ? fs.readFileSync(full, "utf8") : ""));
    }
    const result = await buildContent({ contentDir: dir, outDir });
    expect(result.ok).toBe(false);
    const text = fs.readFileSync(path.join(dir, bad.file), "utf8");
    const line = lineOf(text, bad.lineWith);
    const accepted = Array.from({ length: (bad.slack ?? 0) + 1 }, (_, i) => `${path.relative(process.cwd(), path.join(dir, bad.file))}:${line + i}:`);
    const lines = result.problems.filter((p) => p.severity === "error").map(formatProblem);
    expect(lines.find((l) => accepted.some((a) => l.startsWith(a)) && bad.message.test(l)), lines.join("\n")).toBeDefined();
    expect(snapshot(outDir)).toEqual(before);
  });

  it("reports every problem of a run at once", async () => {
    const dir = copyFixture();
    const edit = (file: string, change: (t: string) => string) =>
      fs.writeFileSync(path.join(dir, file), change(fs.readFileSync(path.join(dir, file), "utf8")));
    edit(ALPHA, replace("objectives: [LO1, LO2]", "objectives: [LO9]"));
    edit(ALPHA_QUIZ, replace("  - id: q2", "  - id: q1"));
    edit("modules/gamma/lesson.mdx", replace("## Only section", "## Print"));
    const result = await buildContent({ contentDir: dir, outDir: path.join(temp, "out-many"), write: false });
    const files = new Set(result.problems.filter((p) => p.severity === "error").map((p) => path.basename(path.dirname(p.file)) + "/" + path.basename(p.file)));
    expect(files).toEqual(new Set(["alpha/lesson.mdx", "alpha/quiz.yml", "gamma/lesson.mdx"]));
  });

  it("warns when a course objective is assessed by no question", async () => {
    const dir = copyFixture();
    fs.rmSync(path.join(dir, "modules", "beta", "quiz.yml"));
    fs.rmSync(path.join(dir, "modules", "beta", "editions", "uruguay.quiz.yml"));
    const result = await buildContent({ contentDir: dir, outDir: path.join(temp, "out-warn"), write: false });
    expect(result.ok).toBe(true);
    expect(result.problems.map(formatProblem)).toEqual([expect.stringMatching(/course\.yml:11:\d+ warning: objective LO3 is not assessed/)]);
  });
});

describe("the course-wide glossary and sources", () => {
  const REFERENCES = path.resolve("tests/fixtures/content/references");
  const first = "tests/fixtures/content/references/modules/first/lesson.mdx";
  const second = "tests/fixtures/content/references/modules/second/lesson.mdx";
  const relative = (p: { file: string }) => path.relative(process.cwd(), path.resolve(p.file));

  it("merges near-duplicate sources to their most complete variant and lists each term once", async () => {
    const outDir = path.join(temp, "out-references");
    const result = await buildContent({ contentDir: REFERENCES, outDir });
    expect(result.ok).toBe(true);
    const course = read<CourseArtifact>(currentRelease(outDir)!, "course.json");
    expect(course.sources.map((s) => [s.title, s.symbol ?? null, s.year, s.url ?? null, s.modules])).toEqual([
      ["Council Decision (CFSP) 2019/797 concerning restrictive measures against cyber-attacks", "(CFSP) 2019/797", 2019, null, ["first", "second"]],
      ["ENISA Threat Landscape 2022", null, 2022, null, ["second"]],
      ["ENISA threat landscape 2024", null, 2024, "https://www.enisa.europa.eu/", ["first", "second"]],
      ["Tallinn Manual 2.0 on the International Law Applicable to Cyber Operations (Cambridge University Press)", null, 2017, "https://www.cambridge.org/tallinn", ["first", "second"]],
      ["UN General Assembly resolution 70/237", "A/RES/70/237", 2015, "https://undocs.org/A/RES/70/237", ["first", "second"]],
    ]);
    // The first definition in course order is kept; the spelling without "(GGE)" is the same term.
    expect(course.glossary.map((g) => [g.term, g.module])).toEqual([
      ["Due diligence", "first"],
      ["Group of Governmental Experts (GGE)", "first"],
    ]);
    expect(course.glossary[0]!.html).toContain("should not knowingly allow");
  });

  it("warns at the later place, naming the first, without failing the check", async () => {
    const result = await buildContent({ contentDir: REFERENCES, outDir: path.join(temp, "out-references-check"), write: false });
    expect(result.ok).toBe(true);
    const warnings = result.problems.filter((p) => p.severity === "warning" && !p.message.startsWith("objective"));
    const lines = warnings.map((p) => `${relative(p)}:${p.line} ${p.message}`);
    expect(lines).toHaveLength(4);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${second}:8 source "UN General Assembly resolution 70/237" \\(A/RES/70/ 237\\) is the document cited as .* at ${first}:8;`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${second}:12 source "Tallinn Manual 2.0 .*\\(Cambridge University Press\\)" is the document cited as .* at ${first}:11;`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${second}:24 key term "Due diligence" is also defined at ${first}:20 with another definition;`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${second}:26 key term "group of governmental experts" is also defined at ${first}:22 \\(written "Group of Governmental Experts \\(GGE\\)" there\\);`)));
  });

  it("fails on an exact conflict: one symbol with two years", async () => {
    const contentDir = path.join(temp, "references-conflict");
    fs.cpSync(REFERENCES, contentDir, { recursive: true });
    const file = path.join(contentDir, "modules", "second", "lesson.mdx");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("    year: 2015\n", "    year: 2016\n"));
    const result = await buildContent({ contentDir, outDir: path.join(temp, "out-references-conflict"), write: false });
    expect(result.ok).toBe(false);
    const errors = result.problems.filter((p) => p.severity === "error");
    expect(errors.map((p) => [p.line, p.message])).toEqual([
      [8, expect.stringMatching(/has the symbol of "General Assembly resolution 70\/237" \(A\/RES\/70\/237\) at .*first\/lesson\.mdx:8 but the year 2016, not 2015/)],
    ]);
  });
});
