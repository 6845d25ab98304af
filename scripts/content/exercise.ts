// Validates a module's exercise.yml (and its editions' exercise files) and splits each into what the
// learner may see before submitting and the server-only model answer.
import { createHash } from "node:crypto";
import { editionExerciseSchema, exerciseSchema, type ExerciseFile, type ModelAnswer, type PublicExercise } from "~/content/schema";
import { Problems } from "./problems";
import { markdown } from "./quiz";
import { parseYaml, validate, type ParsedYaml } from "./yaml";

export interface CompiledExercise {
  publicExercise: PublicExercise;
  modelAnswer: ModelAnswer;
}

/** One exercise file: the base `exercise.yml` (edition null) or `editions/<edition>.exercise.yml`. */
export interface ExerciseSource {
  edition: string | null;
  source: string;
  displayPath: string;
  /** The objectives of the lesson this exercise's learners read (its frontmatter); null skips the check. */
  moduleObjectives: string[] | null;
}

function checkExercise(
  exercise: ExerciseFile,
  parsed: ParsedYaml,
  problems: Problems,
  { objectiveIds, moduleObjectives }: { objectiveIds: Set<string>; moduleObjectives: string[] | null },
) {
  const tasks = new Map<string, number>();
  exercise.tasks.forEach((t, i) => {
    const where = parsed.locate(["tasks", i, "id"]);
    if (tasks.has(t.id)) problems.error(where.line, where.column, `task "${t.id}": the id is used twice (also on line ${tasks.get(t.id)})`);
    else tasks.set(t.id, where.line);
    if (t.minWords > t.maxWords) {
      const p = parsed.locate(["tasks", i, "minWords"]);
      problems.error(p.line, p.column, `task "${t.id}": minWords (${t.minWords}) is more than maxWords (${t.maxWords})`);
    }
  });
  const criteria = new Map<string, number>();
  exercise.rubric.forEach((c, i) => {
    const at = (path: (string | number)[]) => parsed.locate(["rubric", i, ...path]);
    const label = `criterion "${c.id}"`;
    const where = at(["id"]);
    if (criteria.has(c.id)) problems.error(where.line, where.column, `${label}: the id is used twice (also on line ${criteria.get(c.id)})`);
    else criteria.set(c.id, where.line);
    c.objectives.forEach((o, j) => {
      const p = at(["objectives", j]);
      if (!objectiveIds.has(o)) {
        problems.error(p.line, p.column, `${label}: unknown objective "${o}"; course.yml defines ${[...objectiveIds].join(", ")}`);
      } else if (moduleObjectives && !moduleObjectives.includes(o)) {
        problems.error(p.line, p.column, `${label}: objective "${o}" is not among the module's objectives (${moduleObjectives.join(", ")}); add it to the lesson's frontmatter or align the criterion with one of them`);
      }
    });
    const seen = new Set<number>();
    c.levels.forEach((l, j) => {
      const p = at(["levels", j, "score"]);
      if (seen.has(l.score)) problems.error(p.line, p.column, `${label}: score ${l.score} is used by two levels`);
      seen.add(l.score);
    });
    const scores = [...seen].sort((a, b) => a - b);
    if (seen.size === c.levels.length && scores.some((s, k) => s !== k)) {
      const p = at(["levels"]);
      problems.error(p.line, p.column, `${label}: level scores must run 0, 1, 2… without gaps (found ${scores.join(", ")})`);
    }
  });
}

function compileOne(
  e: ExerciseSource,
  slug: string,
  objectiveIds: Set<string>,
): { exercise?: CompiledExercise; problems: Problems } {
  const problems = new Problems(e.displayPath);
  const parsed = parseYaml(e.source, problems);
  const exercise = validate(e.edition ? editionExerciseSchema : exerciseSchema, parsed, problems, e.edition ? "edition exercise" : "exercise");
  if (!exercise) return { problems };
  checkExercise(exercise, parsed, problems, { objectiveIds, moduleObjectives: e.moduleObjectives });
  if (problems.list.some((p) => p.severity === "error")) return { problems };
  const version = createHash("sha256").update(e.source).digest("hex").slice(0, 16);
  return {
    problems,
    exercise: {
      publicExercise: {
        slug,
        edition: e.edition,
        version,
        title: exercise.title,
        briefHtml: markdown(exercise.brief),
        tasks: exercise.tasks.map((t) => ({ id: t.id, promptHtml: markdown(t.prompt), minWords: t.minWords, maxWords: t.maxWords })),
        rubric: exercise.rubric.map((c) => ({
          id: c.id,
          criterion: c.criterion,
          objectives: c.objectives,
          levels: [...c.levels].sort((a, b) => a.score - b.score).map(({ score, label, descriptor }) => ({ score, label, descriptor })),
        })),
        review: { ...exercise.review },
        required: exercise.required,
      },
      modelAnswer: { slug, edition: e.edition, version, html: markdown(exercise.modelAnswer) },
    },
  };
}

/**
 * Compiles a module's exercise.yml and each edition's exercise file. An edition's exercise replaces
 * the base one for that edition's learners; it needs a base exercise.yml beside it.
 */
export function compileExercises({
  slug,
  base,
  editions = [],
  objectiveIds,
}: {
  slug: string;
  base: ExerciseSource | null;
  editions?: ExerciseSource[];
  objectiveIds: Set<string>;
}): { base: CompiledExercise | null; editions: CompiledExercise[]; problems: Problems[]; ok: boolean } {
  const problems: Problems[] = [];
  const compiledBase = base ? compileOne(base, slug, objectiveIds) : null;
  if (compiledBase) problems.push(compiledBase.problems);
  const compiledEditions: CompiledExercise[] = [];
  for (const e of [...editions].sort((a, b) => (a.edition ?? "").localeCompare(b.edition ?? ""))) {
    if (!base) {
      const p = new Problems(e.displayPath);
      p.error(1, 1, "an edition's exercise replaces the module's exercise, and this module has no exercise.yml");
      problems.push(p);
      continue;
    }
    const c = compileOne(e, slug, objectiveIds);
    problems.push(c.problems);
    if (c.exercise) compiledEditions.push(c.exercise);
  }
  const ok = !problems.some((p) => p.list.some((x) => x.severity === "error"));
  return { base: compiledBase?.exercise ?? null, editions: compiledEditions, problems, ok };
}
