// The content build: validates the whole course, compiles what changed, and publishes a new
// release of artifacts with an atomic switch of `current`. On any error nothing is published.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import {
  courseSchema,
  type CourseArtifact,
  type GlossaryEntry,
  type LessonArtifact,
  type ModelAnswer,
  type ModuleSummary,
  type PublicExercise,
  type PublicQuiz,
  type QualityReport,
  type QuizKey,
  type SourceRef,
} from "~/content/schema";
import { Problems, type Problem } from "./problems";
import { assessQuality } from "./quality";
import { mergeSources, mergeTerms, type Cited } from "./references";
import { parseYaml, validate } from "./yaml";

export interface BuildOptions {
  contentDir: string;
  outDir: string;
  /** false: validate only (content:check); nothing is written. */
  write?: boolean;
}

export interface BuildResult {
  ok: boolean;
  problems: Problem[];
  compiled: string[];
  reused: string[];
  /** True when the inputs equal those of the published release: nothing was written. */
  unchanged: boolean;
  releaseDir: string | null;
  durationMs: number;
  /** The quality gate's figures, when the course could be read. */
  quality?: QualityReport;
}

interface ModuleBuild {
  hash: string;
  summary: ModuleSummary;
  orderLine: number;
  lessons: LessonArtifact[];
  quiz: { publicQuiz: PublicQuiz; key: QuizKey } | null;
  /** The base exercise and each edition's own; absent in cache entries from before exercises. */
  exercises?: { publicExercise: PublicExercise; modelAnswer: ModelAnswer }[];
  /** The base lesson's key terms and sources as written, for the course-wide glossary and sources. */
  cited: { terms: Cited<GlossaryEntry>[]; sources: Cited<SourceRef>[] };
  /** Published asset name → source file relative to the module folder. */
  assets: Record<string, string>;
  warnings: Problem[];
}

const COMPILER_FILES = [
  "scripts/content/build.ts",
  "scripts/content/lesson.ts",
  "scripts/content/quiz.ts",
  "scripts/content/exercise.ts",
  "scripts/content/quality.ts",
  "scripts/content/references.ts",
  "app/lib/html-text.ts",
  "scripts/content/yaml.ts",
  "app/components/mdx.tsx",
  "app/content/schema.ts",
];

let fingerprint: string | undefined;
/** Changes whenever the compiler itself changes, so the cache never outlives it. */
function compilerFingerprint(): string {
  if (!fingerprint) {
    const hash = createHash("sha256");
    for (const file of COMPILER_FILES) {
      const full = path.resolve(file);
      if (fs.existsSync(full)) hash.update(fs.readFileSync(full));
    }
    fingerprint = hash.digest("hex");
  }
  return fingerprint;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

function rel(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function writeJson(file: string, value: unknown) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value));
}

export function currentRelease(outDir: string): string | null {
  try {
    return fs.realpathSync(path.join(outDir, "current"));
  } catch {
    return null;
  }
}

export async function buildContent({ contentDir, outDir, write = true }: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const all: Problem[] = [];
  const done = (extra: Partial<BuildResult>): BuildResult => {
    const ok = !all.some((p) => p.severity === "error");
    return {
      ok,
      problems: all.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column),
      compiled: [],
      reused: [],
      unchanged: false,
      releaseDir: null,
      ...extra,
      durationMs: performance.now() - started,
    };
  };

  // course.yml
  const courseFile = path.join(contentDir, "course.yml");
  const courseProblems = new Problems(rel(courseFile));
  if (!fs.existsSync(courseFile)) {
    courseProblems.error(1, 1, "course.yml is missing: it defines the course title, objectives and editions");
    all.push(...courseProblems.list);
    return done({});
  }
  const courseSource = fs.readFileSync(courseFile, "utf8");
  const courseParsed = parseYaml(courseSource, courseProblems);
  const course = validate(courseSchema, courseParsed, courseProblems, "course.yml");
  if (course) {
    const seen = new Map<string, number>();
    course.objectives.forEach((o, i) => {
      const at = courseParsed.locate(["objectives", i, "id"]);
      if (seen.has(o.id)) courseProblems.error(at.line, at.column, `objective id "${o.id}" is used twice (also on line ${seen.get(o.id)})`);
      seen.set(o.id, at.line);
    });
    const editionsSeen = new Set<string>();
    course.editions.forEach((e, i) => {
      const at = courseParsed.locate(["editions", i, "id"]);
      if (editionsSeen.has(e.id)) courseProblems.error(at.line, at.column, `edition id "${e.id}" is used twice`);
      editionsSeen.add(e.id);
    });
  }
  all.push(...courseProblems.list);
  if (!course) return done({});
  const objectiveIds = new Set(course.objectives.map((o) => o.id));
  const editionIds = new Set(course.editions.map((e) => e.id));
  const courseHash = createHash("sha256").update(compilerFingerprint()).update(courseSource).digest("hex");

  // modules/
  const modulesDir = path.join(contentDir, "modules");
  const folders = fs.existsSync(modulesDir)
    ? fs.readdirSync(modulesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const lower = new Map<string, string>();
  const candidates: { slug: string; dir: string; hash: string }[] = [];
  for (const slug of folders) {
    const dir = path.join(modulesDir, slug);
    const lessonFile = path.join(dir, "lesson.mdx");
    const p = new Problems(rel(fs.existsSync(lessonFile) ? lessonFile : dir));
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) {
      p.error(1, 1, `module folder "${slug}" must be named in lower-case words joined by '-' (it becomes the module's address)`);
    } else if (lower.has(slug.toLowerCase())) {
      p.error(1, 1, `module folder "${slug}" duplicates "${lower.get(slug.toLowerCase())}"`);
    }
    lower.set(slug.toLowerCase(), slug);
    if (!fs.existsSync(lessonFile)) p.error(1, 1, `module "${slug}" has no lesson.mdx`);
    all.push(...p.list);
    if (p.list.length) continue;
    const hash = createHash("sha256").update(courseHash);
    for (const file of listFiles(dir)) hash.update(path.relative(dir, file)).update("\0").update(fs.readFileSync(file));
    candidates.push({ slug, dir, hash: hash.digest("hex") });
  }
  if (folders.length === 0) {
    all.push({ file: rel(modulesDir), line: 1, column: 1, message: "the course has no modules: add a folder with a lesson.mdx", severity: "error" });
  }

  const cacheDir = path.join(outDir, "cache");
  const compiled: string[] = [];
  const reused: string[] = [];
  // Written only once the whole build succeeds: a failed build leaves the output folder as it was.
  const fresh: { file: string; module: ModuleBuild }[] = [];
  const builds = await Promise.all(
    candidates.map(async ({ slug, dir, hash }) => {
      const cacheFile = path.join(cacheDir, `${slug}.json`);
      if (fs.existsSync(cacheFile)) {
        try {
          const cached = JSON.parse(fs.readFileSync(cacheFile, "utf8")) as ModuleBuild;
          if (cached.hash === hash) {
            reused.push(slug);
            all.push(...cached.warnings);
            return cached;
          }
        } catch {
          // A damaged cache entry is simply rebuilt.
        }
      }
      compiled.push(slug);
      const build = await compileModule({ slug, dir, hash, objectiveIds, editionIds });
      all.push(...build.problems);
      if (build.module) fresh.push({ file: cacheFile, module: build.module });
      return build.module;
    }),
  );
  const modules = builds.filter((b): b is ModuleBuild => Boolean(b)).sort((a, b) => a.summary.order - b.summary.order);

  // Course-wide checks.
  const orders = new Map<number, ModuleBuild>();
  for (const m of modules) {
    const other = orders.get(m.summary.order);
    if (other) {
      all.push({
        file: rel(path.join(modulesDir, m.summary.slug, "lesson.mdx")),
        line: m.orderLine,
        column: 1,
        message: `frontmatter: order ${m.summary.order} is also used by module "${other.summary.slug}"; each module needs its own order`,
        severity: "error",
      });
    }
    orders.set(m.summary.order, m);
  }
  const assessed = new Set(
    modules.flatMap((m) => [
      ...Object.keys(m.summary.quiz?.questionsPerObjective ?? {}),
      ...Object.values(m.summary.quiz?.editions ?? {}).flatMap((e) => Object.keys(e.questionsPerObjective)),
    ]),
  );
  const courseWarnings: string[] = [];
  course.objectives.forEach((o, i) => {
    if (!assessed.has(o.id)) {
      const at = courseParsed.locate(["objectives", i, "id"]);
      const message = `objective ${o.id} is not assessed by any quiz question`;
      courseWarnings.push(message);
      all.push({ file: rel(courseFile), line: at.line, column: at.column, message, severity: "warning" });
    }
  });

  // The quality gate of the item banks (scripts/content/quality.ts).
  const quality = assessQuality({
    modules: modules.map((m) => ({ slug: m.summary.slug, dir: path.join(modulesDir, m.summary.slug), objectives: m.summary.objectives, reviewed: m.lessons[0]?.reviewed ?? null })),
    rel,
    objectives: course.objectives.map((o) => o.id),
    objectiveAt: (i) => ({ file: rel(courseFile), ...courseParsed.locate(["objectives", i, "id"]) }),
  });
  all.push(...quality.problems);

  // The course-wide glossary and sources: in course order, so the first module to cite wins.
  const glossary = mergeTerms(modules.flatMap((m) => m.cited.terms));
  const sources = mergeSources(modules.flatMap((m) => m.cited.sources));
  all.push(...glossary.problems, ...sources.problems);

  if (all.some((p) => p.severity === "error") || !write) return done({ compiled, reused, quality: quality.report });
  for (const { file, module } of fresh) writeJson(file, module);

  // Publish, unless the inputs are exactly those already published.
  const manifest = { courseHash, modules: Object.fromEntries(modules.map((m) => [m.summary.slug, m.hash])) };
  const manifestHash = createHash("sha256").update(JSON.stringify(manifest)).digest("hex");
  const current = currentRelease(outDir);
  if (current && fs.existsSync(path.join(current, "manifest.json"))) {
    const published = JSON.parse(fs.readFileSync(path.join(current, "manifest.json"), "utf8")) as { hash?: string };
    if (published.hash === manifestHash) return done({ compiled, reused, unchanged: true, releaseDir: current, quality: quality.report });
  }

  const releases = path.join(outDir, "releases");
  const id = `${new Date().toISOString().replace(/[-:.TZ]/g, "")}-${randomBytes(3).toString("hex")}`;
  const release = path.join(releases, id);
  const courseArtifact: CourseArtifact = {
    title: course.title,
    description: course.description,
    masteryThreshold: course.masteryThreshold,
    objectives: course.objectives,
    editions: course.editions,
    modules: modules.map((m) => m.summary),
    glossary: glossary.glossary,
    sources: sources.sources.sort((a, b) => a.title.localeCompare(b.title, "en")),
    builtAt: new Date().toISOString(),
    warnings: courseWarnings,
    quality: quality.report,
  };
  writeJson(path.join(release, "course.json"), courseArtifact);
  for (const m of modules) {
    for (const lesson of m.lessons) {
      writeJson(path.join(release, "lessons", lesson.edition ? `${m.summary.slug}--${lesson.edition}.json` : `${m.summary.slug}.json`), lesson);
    }
    if (m.quiz) {
      writeJson(path.join(release, "quizzes", `${m.summary.slug}.json`), m.quiz.publicQuiz);
      writeJson(path.join(release, "keys", `${m.summary.slug}.json`), m.quiz.key);
    }
    for (const e of m.exercises ?? []) {
      const name = e.publicExercise.edition ? `${m.summary.slug}--${e.publicExercise.edition}.json` : `${m.summary.slug}.json`;
      writeJson(path.join(release, "exercises", name), e.publicExercise);
      // Server-only, like the quiz keys: no route serves this folder.
      writeJson(path.join(release, "model-answers", name), e.modelAnswer);
    }
    for (const [name, source] of Object.entries(m.assets)) {
      const target = path.join(release, "assets", m.summary.slug, name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(modulesDir, m.summary.slug, source), target);
    }
  }
  writeJson(path.join(release, "manifest.json"), { hash: manifestHash, ...manifest });

  // Atomic switch: a new symlink renamed over the old one.
  const link = path.join(outDir, "current");
  const temp = path.join(outDir, `current.${id}`);
  fs.symlinkSync(path.relative(outDir, release), temp);
  fs.renameSync(temp, link);
  pruneReleases(releases, release, current);
  return done({ compiled, reused, releaseDir: release, quality: quality.report });
}

/** Keeps the new release and the one before it (a server may still be reading it). */
function pruneReleases(releases: string, keep: string, previous: string | null) {
  for (const name of fs.readdirSync(releases)) {
    const full = path.join(releases, name);
    if (full !== keep && full !== previous) fs.rmSync(full, { recursive: true, force: true });
  }
}

async function compileModule({
  slug,
  dir,
  hash,
  objectiveIds,
  editionIds,
}: {
  slug: string;
  dir: string;
  hash: string;
  objectiveIds: Set<string>;
  editionIds: Set<string>;
}): Promise<{ module?: ModuleBuild; problems: Problem[] }> {
  // Loaded only when something must be compiled: a no-change build never pays for mdx-bundler.
  const [{ compileLesson }, { compileQuiz }, { compileExercises }] = await Promise.all([import("./lesson"), import("./quiz"), import("./exercise")]);
  const problems: Problem[] = [];
  const base = await compileLesson({ file: path.join(dir, "lesson.mdx"), displayPath: rel(path.join(dir, "lesson.mdx")), slug, objectiveIds });
  problems.push(...base.problems.list);

  const editionsDir = path.join(dir, "editions");
  const editionEntries = fs.existsSync(editionsDir) ? fs.readdirSync(editionsDir).sort() : [];
  const editionFiles = editionEntries.filter((f) => f.endsWith(".mdx"));
  const unknownEdition = (file: string, edition: string) =>
    problems.push({
      file: rel(file),
      line: 1,
      column: 1,
      message: `unknown edition "${edition}": course.yml lists ${editionIds.size ? [...editionIds].join(", ") : "no editions"}`,
      severity: "error",
    });
  const editions: { edition: string; compiled: Awaited<ReturnType<typeof compileLesson>> }[] = [];
  for (const name of editionFiles) {
    const edition = name.replace(/\.mdx$/, "");
    const file = path.join(editionsDir, name);
    if (!editionIds.has(edition)) {
      unknownEdition(file, edition);
      continue;
    }
    const compiled = await compileLesson({ file, displayPath: rel(file), slug, objectiveIds });
    problems.push(...compiled.problems.list);
    if (compiled.lesson && base.lesson && compiled.lesson.frontmatter.order !== base.lesson.frontmatter.order) {
      problems.push({ file: rel(file), line: compiled.orderLine, column: 1, message: `frontmatter: order must be ${base.lesson.frontmatter.order}, as in lesson.mdx`, severity: "error" });
    }
    editions.push({ edition, compiled });
  }

  // An edition's own questions: checked against the sections its learners read (the edition's
  // lesson where there is one, else the base lesson).
  const sectionIdsOf = (lesson: { sections: { id: string }[] } | undefined) => (lesson ? new Set(lesson.sections.map((s) => s.id)) : null);
  /** An edition's own files of one kind (`.quiz.yml`, `.exercise.yml`), with the lesson its learners read. */
  const editionSources = (suffix: string) =>
    editionEntries
      .filter((f) => f.endsWith(suffix))
      .flatMap((name) => {
        const edition = name.slice(0, -suffix.length);
        const file = path.join(editionsDir, name);
        if (!editionIds.has(edition)) {
          unknownEdition(file, edition);
          return [];
        }
        const lesson = editions.find((e) => e.edition === edition)?.compiled.lesson ?? base.lesson;
        return [{ edition, source: fs.readFileSync(file, "utf8"), displayPath: rel(file), lesson }];
      });
  const editionQuizzes = editionSources(".quiz.yml").map(({ lesson, ...e }) => ({ ...e, sectionIds: sectionIdsOf(lesson) }));

  const quizFile = path.join(dir, "quiz.yml");
  if (!fs.existsSync(quizFile)) {
    for (const e of editionQuizzes) {
      problems.push({ file: e.displayPath, line: 1, column: 1, message: `an edition's questions add to the module's quiz, and this module has no quiz.yml`, severity: "error" });
    }
  }
  const quiz = fs.existsSync(quizFile)
    ? compileQuiz({
        source: fs.readFileSync(quizFile, "utf8"),
        displayPath: rel(quizFile),
        objectiveIds,
        sectionIds: sectionIdsOf(base.lesson),
        editions: editionQuizzes,
      })
    : null;
  if (quiz) problems.push(...quiz.problems.list, ...quiz.editionProblems.flatMap((p) => p.list));

  // The exercise: an edition's own replaces the base one for that edition; its criteria must align
  // with the objectives of the lesson its learners read.
  const exerciseFile = path.join(dir, "exercise.yml");
  const editionExercises = editionSources(".exercise.yml").map(({ lesson, ...e }) => ({ ...e, moduleObjectives: lesson?.frontmatter.objectives ?? null }));
  const exercises = compileExercises({
    slug,
    base: fs.existsSync(exerciseFile)
      ? { edition: null, source: fs.readFileSync(exerciseFile, "utf8"), displayPath: rel(exerciseFile), moduleObjectives: base.lesson?.frontmatter.objectives ?? null }
      : null,
    editions: editionExercises,
    objectiveIds,
  });
  problems.push(...exercises.problems.flatMap((p) => p.list));

  if (problems.some((p) => p.severity === "error") || !base.lesson || (quiz && !quiz.quiz) || !exercises.ok) return { problems };
  const fm = base.lesson.frontmatter;
  const toArtifact = (lesson: NonNullable<typeof base.lesson>, edition: string | null): LessonArtifact => ({
    slug,
    edition,
    title: lesson.frontmatter.title,
    summary: lesson.frontmatter.summary,
    estimatedMinutes: lesson.frontmatter.estimatedMinutes,
    wordCount: lesson.wordCount,
    sections: lesson.sections,
    glossary: lesson.glossary,
    sources: lesson.sources,
    reviewed: lesson.frontmatter.reviewed ?? fm.reviewed ?? null,
  });
  const lessons = [toArtifact(base.lesson, null), ...editions.map(({ edition, compiled }) => toArtifact(compiled.lesson!, edition))];
  const assets: Record<string, string> = {};
  for (const lesson of [base.lesson, ...editions.map((e) => e.compiled.lesson!)]) {
    for (const [src, name] of Object.entries(lesson.assets)) assets[name] = src;
  }
  const summary: ModuleSummary = {
    slug,
    title: fm.title,
    summary: fm.summary,
    order: fm.order,
    objectives: fm.objectives,
    estimatedMinutes: fm.estimatedMinutes,
    wordCount: base.lesson.wordCount,
    sections: base.lesson.sections.map(({ id, title, wordCount }) => ({ id, title, wordCount })),
    editions: editions.map(({ edition, compiled }) => ({
      id: edition,
      wordCount: compiled.lesson!.wordCount,
      sections: compiled.lesson!.sections.map(({ id, title, wordCount }) => ({ id, title, wordCount })),
    })),
    quiz: quiz?.quiz
      ? {
          version: quiz.quiz.publicQuiz.version,
          draw: quiz.quiz.publicQuiz.draw,
          questionCount: quiz.quiz.publicQuiz.questions.filter((q) => q.edition === null).length,
          questionsPerObjective: quiz.quiz.questionsPerObjective,
          ...(Object.keys(quiz.quiz.editions).length ? { editions: quiz.quiz.editions } : {}),
        }
      : null,
    exercise: exercises.base
      ? {
          required: exercises.base.publicExercise.required,
          review: exercises.base.publicExercise.review,
          editions: exercises.editions.map((e) => e.publicExercise.edition!),
        }
      : null,
    warnings: problems.filter((p) => p.severity === "warning").map((p) => p.message),
  };
  return {
    module: {
      hash,
      summary,
      orderLine: base.orderLine,
      lessons,
      quiz: quiz?.quiz ? { publicQuiz: quiz.quiz.publicQuiz, key: quiz.quiz.key } : null,
      exercises: [...(exercises.base ? [exercises.base] : []), ...exercises.editions],
      cited: base.lesson.cited,
      assets,
      warnings: problems.filter((p) => p.severity === "warning"),
    },
    problems,
  };
}
