// The real course must keep to its standards: this fails when content regresses.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CourseArtifact, LessonArtifact, ModelAnswer, PublicExercise } from "~/content/schema";
import { htmlToText } from "~/lib/html-text";
import { countWords } from "~/lib/words";
import { DEMO_PEERS } from "~/models/demo-exercises.server";
import { buildContent, currentRelease, type BuildResult } from "../../scripts/content/build";
import { formatProblem } from "../../scripts/content/problems";

const EXPECTED_ORDER = [
  "threats-and-threat-actors",
  "national-cybersecurity-landscape",
  "cyber-diplomacy-agenda",
  "attribution-deterrence-response",
  "international-law-and-icts",
  "norms-of-responsible-state-behaviour",
  "confidence-building-measures",
  "international-cooperation-and-capacity-building",
  "establishing-a-cyber-diplomacy-unit",
];

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-course-"));
let result: BuildResult;
let course: CourseArtifact;
const lessons: LessonArtifact[] = [];

beforeAll(async () => {
  result = await buildContent({ contentDir: path.resolve("content"), outDir });
  const release = currentRelease(outDir);
  if (!release) return;
  course = JSON.parse(fs.readFileSync(path.join(release, "course.json"), "utf8")) as CourseArtifact;
  for (const file of fs.readdirSync(path.join(release, "lessons"))) {
    lessons.push(JSON.parse(fs.readFileSync(path.join(release, "lessons", file), "utf8")) as LessonArtifact);
  }
}, 60_000);
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

const raw = (slug: string, file = "lesson.mdx") => fs.readFileSync(path.join("content", "modules", slug, file), "utf8");

describe("the course", () => {
  it("builds with no errors and no warnings", () => {
    expect(result.problems.map(formatProblem)).toEqual([]);
  });

  it("has the seven objectives and the nine modules in order", () => {
    expect(course.objectives.map((o) => o.id)).toEqual(["LO1", "LO2", "LO3", "LO4", "LO5", "LO6", "LO7"]);
    expect(course.modules.map((m) => m.slug)).toEqual(EXPECTED_ORDER);
    expect(course.modules.map((m) => m.order)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("has a Uruguay edition of module 2", () => {
    expect(course.editions).toEqual([{ id: "uruguay", name: "Uruguay" }]);
    expect(course.modules[1]!.editions.map((e) => e.id)).toEqual(["uruguay"]);
  });

  it("every lesson (and edition) has 2,500–5,000 words in 4–8 sections, ending with further reading", () => {
    expect(lessons).toHaveLength(10);
    for (const lesson of lessons) {
      const label = `${lesson.slug}${lesson.edition ? ` (${lesson.edition})` : ""}`;
      expect(lesson.wordCount, label).toBeGreaterThanOrEqual(2500);
      expect(lesson.wordCount, label).toBeLessThanOrEqual(5000);
      const sections = lesson.sections.filter((s) => s.id !== "introduction");
      expect(sections.length, label).toBeGreaterThanOrEqual(4);
      expect(sections.length, label).toBeLessThanOrEqual(8);
      expect(sections.at(-1)!.title, label).toMatch(/^Further reading$/i);
      // Honest minutes: at least the reading time at 200 words a minute.
      expect(lesson.estimatedMinutes, label).toBeGreaterThanOrEqual(Math.floor(lesson.wordCount / 200));
    }
  });

  it("every lesson has a scenario, key terms, a timeline and cited primary sources", () => {
    for (const lesson of lessons) {
      const label = `${lesson.slug}${lesson.edition ? ` (${lesson.edition})` : ""}`;
      const html = lesson.sections.map((s) => s.html).join("");
      expect(html, label).toContain('class="scenario"');
      expect(html, label).toContain('class="timeline"');
      expect(lesson.glossary.length, label).toBeGreaterThanOrEqual(3);
      expect(lesson.sources.length, label).toBeGreaterThanOrEqual(3);
      expect(lesson.sources.some((s) => s.symbol), label).toBe(true);
    }
  });

  it("every quiz is a bank of at least 24 questions of mixed types, drawn 8–12 at a time, each assessing the module's objectives", () => {
    for (const slug of EXPECTED_ORDER) {
      const quiz = parse(raw(slug, "quiz.yml")) as { draw?: number; questions: { type: string; objectives: string[] }[] };
      const module = course.modules.find((m) => m.slug === slug)!;
      expect(quiz.questions.length, slug).toBeGreaterThanOrEqual(24);
      expect(quiz.draw, slug).toBeGreaterThanOrEqual(8);
      expect(quiz.draw, slug).toBeLessThanOrEqual(12);
      expect(new Set(quiz.questions.map((q) => q.type)).size, slug).toBeGreaterThanOrEqual(2);
      for (const q of quiz.questions) for (const o of q.objectives) expect(module.objectives, slug).toContain(o);
      for (const o of module.objectives) expect(module.quiz!.questionsPerObjective[o] ?? 0, `${slug} ${o}`).toBeGreaterThanOrEqual(7);
    }
  });

  it("assesses every objective with at least 20 questions course-wide", () => {
    const totals: Record<string, number> = {};
    for (const m of course.modules) {
      for (const [o, n] of Object.entries(m.quiz?.questionsPerObjective ?? {})) totals[o] = (totals[o] ?? 0) + n;
    }
    for (const o of course.objectives) expect(totals[o.id] ?? 0, o.id).toBeGreaterThanOrEqual(20);
  });

  it("never skips a heading level, on a section's own page (under its h1) or in the whole lesson", () => {
    /** "h1→h3" for every heading that is more than one level below the one before it. */
    const skips = (html: string, start: number) => {
      const found: string[] = [];
      let previous = start;
      for (const [, level] of html.matchAll(/<h([1-6])\b/g)) {
        if (Number(level) > previous + 1) found.push(`h${previous}→h${level}`);
        previous = Number(level);
      }
      return found;
    };
    let sectionPages = 0;
    for (const lesson of lessons) {
      const label = `${lesson.slug}${lesson.edition ? ` (${lesson.edition})` : ""}`;
      for (const s of lesson.sections) {
        sectionPages++;
        expect(skips(s.pageHtml, 1), `${label} ${s.id}`).toEqual([]);
        expect(s.pageHtml, `${label} ${s.id}: the page's h1 is the title`).not.toMatch(/<h1\b/);
      }
      expect(skips(lesson.sections.map((s) => (s.id === "introduction" ? `<h2>${s.html}` : s.html)).join(""), 1), label).toEqual([]);
    }
    expect(sectionPages).toBeGreaterThanOrEqual(70);
  });

  it("puts every lesson table in its own named, focusable scroll region", () => {
    let tables = 0;
    for (const lesson of lessons) {
      const label = `${lesson.slug}${lesson.edition ? ` (${lesson.edition})` : ""}`;
      const html = lesson.sections.map((s) => s.html).join("");
      const count = html.match(/<table\b/g)?.length ?? 0;
      const regions = [...html.matchAll(/<div class="table-wrap" role="region" aria-label="([^"]+)" tabindex="0"><table\b/g)].map((m) => m[1]);
      expect(regions, label).toHaveLength(count);
      expect(new Set(regions).size, `${label}: region names differ`).toBe(regions.length);
      tables += count;
    }
    expect(tables).toBeGreaterThan(0);
  });

  it("collects the course glossary and the sources from the modules", () => {
    expect(course.glossary.length).toBeGreaterThanOrEqual(9 * 4);
    expect(course.sources.find((s) => s.symbol === "A/70/174")?.modules.length).toBeGreaterThanOrEqual(5);
  });
});

describe("exercises", () => {
  it("every module has a required exercise with 2–3 tasks, 3–5 criteria and a model answer of 400–900 words", () => {
    for (const m of course.modules) {
      const editions = ["", ...(m.exercise?.editions ?? []).map((e) => `--${e}`)];
      expect(m.exercise?.required, m.slug).toBe(true);
      for (const suffix of editions) {
        const read = (folder: string) => JSON.parse(fs.readFileSync(path.join(currentRelease(outDir)!, folder, `${m.slug}${suffix}.json`), "utf8"));
        const exercise = read("exercises") as PublicExercise;
        const label = `${m.slug}${suffix}`;
        expect(exercise.tasks.length, label).toBeGreaterThanOrEqual(2);
        expect(exercise.tasks.length, label).toBeLessThanOrEqual(3);
        expect(exercise.rubric.length, label).toBeGreaterThanOrEqual(3);
        expect(exercise.rubric.length, label).toBeLessThanOrEqual(5);
        // Briefs describe real processes: they say the date they are current as of, as lessons do.
        expect(exercise.briefHtml, label).toMatch(/as of \d{1,2} [A-Z][a-z]+ \d{4}/);
        const words = countWords(htmlToText((read("model-answers") as ModelAnswer).html));
        expect(words, label).toBeGreaterThanOrEqual(400);
        expect(words, label).toBeLessThanOrEqual(900);
      }
    }
    expect(course.modules.find((m) => m.slug === "national-cybersecurity-landscape")!.exercise!.editions).toEqual(["uruguay"]);
  });

  it("the demo peers' texts fit the exercise they are seeded into", () => {
    const exercise = JSON.parse(
      fs.readFileSync(path.join(currentRelease(outDir)!, "exercises", "threats-and-threat-actors.json"), "utf8"),
    ) as PublicExercise;
    for (const peer of DEMO_PEERS) {
      expect(Object.keys(peer.texts).sort()).toEqual(exercise.tasks.map((t) => t.id).sort());
      for (const t of exercise.tasks) {
        const words = countWords(peer.texts[t.id]!);
        expect(words, `${peer.name} ${t.id}`).toBeGreaterThanOrEqual(t.minWords);
        expect(words, `${peer.name} ${t.id}`).toBeLessThanOrEqual(t.maxWords);
      }
    }
  });
});
