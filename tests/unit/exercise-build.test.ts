// The exercise format (exercise.yml, editions/<edition>.exercise.yml): its public artifact, its
// server-only model answer, and each authoring error reported at its exact file:line:column.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CourseArtifact, ModelAnswer, PublicExercise } from "~/content/schema";
import { buildContent } from "../../scripts/content/build";
import { formatProblem } from "../../scripts/content/problems";
import { FIXTURE, fixtureCopies, readJson } from "../support/content-fixture";

const { temp, copyFixture } = fixtureCopies("cda-exercise-test-");
const read = readJson;
const EXERCISE = "modules/alpha/exercise.yml";
const UY_EXERCISE = "modules/alpha/editions/uruguay.exercise.yml";

describe("an exercise in the fixture course", () => {
  const contentDir = copyFixture();
  const base = fs.readFileSync(path.join(contentDir, EXERCISE), "utf8");
  fs.mkdirSync(path.join(contentDir, "modules/alpha/editions"), { recursive: true });
  fs.writeFileSync(
    path.join(contentDir, UY_EXERCISE),
    base.replace("MARKER-BRIEF-ALPHA", "MARKER-BRIEF-UY").replace("MARKER-MODEL-ANSWER-ALPHA", "MARKER-MODEL-ANSWER-UY").replace("peers: 2", "peers: 0"),
  );
  const outDir = path.join(temp, "out");
  let release: string;

  it("publishes the brief, tasks, rubric and review settings, and the model answer apart", async () => {
    const result = await buildContent({ contentDir, outDir });
    expect(result.problems.filter((p) => p.severity === "error").map(formatProblem)).toEqual([]);
    release = result.releaseDir!;
    const course = read<CourseArtifact>(release, "course.json");
    const [alpha, beta] = course.modules;
    expect(alpha!.exercise).toEqual({ required: false, review: { self: true, peers: 2, instructor: true }, editions: ["uruguay"] });
    expect(beta!.exercise).toBeNull();

    const exercise = read<PublicExercise>(release, "exercises/alpha.json");
    expect(exercise).toMatchObject({ slug: "alpha", edition: null, title: "Brief your minister on a ransomware attack", required: false });
    expect(exercise.briefHtml).toContain("<strong>ransomware</strong>");
    expect(exercise.tasks).toEqual([
      { id: "note", promptHtml: "<p>Write a briefing note for your minister.</p>", minWords: 50, maxWords: 300 },
      { id: "lines", promptHtml: "<p>Draft three <em>lines to take</em> for the press.</p>", minWords: 20, maxWords: 120 },
    ]);
    expect(exercise.rubric.map((c) => [c.id, c.objectives, c.levels.map((l) => l.score)])).toEqual([
      ["analysis", ["LO1"], [0, 1, 2]],
      ["action", ["LO2"], [0, 1]],
    ]);
    expect(exercise.rubric[0]!.levels[2]).toEqual({ score: 2, label: "Full", descriptor: "The threat and its consequences are set out." });

    const answer = read<ModelAnswer>(release, "model-answers/alpha.json");
    expect(answer).toMatchObject({ slug: "alpha", edition: null, version: exercise.version });
    expect(answer.html).toContain("MARKER-MODEL-ANSWER-ALPHA");
  });

  it("keeps the model answer out of every public artifact", () => {
    for (const file of ["course.json", "exercises/alpha.json", "exercises/alpha--uruguay.json"]) {
      expect(fs.readFileSync(path.join(release, file), "utf8")).not.toMatch(/MARKER-MODEL-ANSWER|modelAnswer/);
    }
  });

  it("publishes an edition's exercise, which replaces the base one for that edition", () => {
    const uy = read<PublicExercise>(release, "exercises/alpha--uruguay.json");
    expect(uy).toMatchObject({ edition: "uruguay", review: { self: true, peers: 0, instructor: true } });
    expect(uy.briefHtml).toContain("MARKER-BRIEF-UY");
    expect(uy.briefHtml).not.toContain("MARKER-BRIEF-ALPHA");
    expect(read<ModelAnswer>(release, "model-answers/alpha--uruguay.json").html).toContain("MARKER-MODEL-ANSWER-UY");
  });

  it("recompiles the module when only its exercise changes", async () => {
    const file = path.join(contentDir, EXERCISE);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("peers: 2", "peers: 3"));
    const result = await buildContent({ contentDir, outDir });
    expect(result.compiled).toEqual(["alpha"]);
    expect(read<PublicExercise>(result.releaseDir!, "exercises/alpha.json").review.peers).toBe(3);
  });
});

const replace = (from: string, to: string) => (text: string) => {
  if (!text.includes(from)) throw new Error(`fixture has no ${from}`);
  return text.replace(from, to);
};

const BAD: { name: string; file: string; change: (t: string) => string; expected: string }[] = [
  {
    name: "unknown objective",
    file: EXERCISE,
    change: replace("objectives: [LO1]", "objectives: [LO9]"),
    expected: `${EXERCISE}:21:18 criterion "analysis": unknown objective "LO9"; course.yml defines LO1, LO2, LO3`,
  },
  {
    name: "objective not among the module's",
    file: EXERCISE,
    change: replace("objectives: [LO2]", "objectives: [LO3]"),
    expected: `${EXERCISE}:34:18 criterion "action": objective "LO3" is not among the module's objectives (LO1, LO2); add it to the lesson's frontmatter or align the criterion with one of them`,
  },
  {
    name: "duplicate task id",
    file: EXERCISE,
    change: replace("  - id: lines", "  - id: note"),
    expected: `${EXERCISE}:14:9 task "note": the id is used twice (also on line 10)`,
  },
  {
    name: "duplicate criterion id",
    file: EXERCISE,
    change: replace("  - id: action", "  - id: analysis"),
    expected: `${EXERCISE}:32:9 criterion "analysis": the id is used twice (also on line 19)`,
  },
  {
    name: "minWords above maxWords",
    file: EXERCISE,
    change: replace("minWords: 20", "minWords: 200"),
    expected: `${EXERCISE}:16:15 task "lines": minWords (200) is more than maxWords (120)`,
  },
  {
    name: "level scores with a gap",
    file: EXERCISE,
    change: replace("      - score: 2", "      - score: 3"),
    expected: `${EXERCISE}:23:7 criterion "analysis": level scores must run 0, 1, 2… without gaps (found 0, 1, 3)`,
  },
  {
    name: "two levels with one score",
    file: EXERCISE,
    change: replace("      - score: 1\n        label: Present", "      - score: 0\n        label: Present"),
    expected: `${EXERCISE}:39:16 criterion "action": score 0 is used by two levels`,
  },
  {
    name: "negative peers",
    file: EXERCISE,
    change: replace("peers: 2", "peers: -1"),
    expected: `${EXERCISE}:7:10 exercise: "review.peers" must be 0 or more`,
  },
  {
    name: "missing model answer",
    file: EXERCISE,
    change: (t) => t.slice(0, t.indexOf("modelAnswer:")),
    expected: `${EXERCISE}:1:1 exercise: "modelAnswer" is missing`,
  },
  {
    name: "misspelt field",
    file: EXERCISE,
    change: replace("required: false", "mandatory: false"),
    expected: `${EXERCISE}:4:1 exercise: unknown field "mandatory"; check its spelling`,
  },
  {
    name: "edition exercise of an unknown edition",
    file: "modules/alpha/editions/atlantis.exercise.yml",
    change: () => "title: X\n",
    expected: `modules/alpha/editions/atlantis.exercise.yml:1:1 unknown edition "atlantis": course.yml lists uruguay`,
  },
  {
    name: "edition exercise in a module without exercise.yml",
    file: "modules/gamma/editions/uruguay.exercise.yml",
    change: () => fs.readFileSync(path.join(FIXTURE, EXERCISE), "utf8"),
    expected: `modules/gamma/editions/uruguay.exercise.yml:1:1 an edition's exercise replaces the module's exercise, and this module has no exercise.yml`,
  },
];

describe("exercise errors", () => {
  it.each(BAD)("$name: names the file, line and column", async (bad) => {
    const dir = copyFixture();
    const full = path.join(dir, bad.file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, bad.change(fs.existsSync(full) ? fs.readFileSync(full, "utf8") : ""));
    const result = await buildContent({ contentDir: dir, outDir: path.join(dir, "..", `out-bad-${path.basename(dir)}`), write: false });
    expect(result.ok).toBe(false);
    const prefix = `${path.relative(process.cwd(), dir)}/`;
    const lines = result.problems.filter((p) => p.severity === "error").map(formatProblem);
    expect(lines).toContain(`${prefix}${bad.expected}`);
  });
});
