// Reads the course as the content build published it (.content-build/current): the server
// never compiles MDX. A rebuild switches `current`, and requests see the new release within half a second.
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "~/env.server";
import type { CourseArtifact, LessonArtifact, ModelAnswer, ModuleSummary, PublicExercise, PublicQuiz, QuizKey } from "./schema";

export type { CourseArtifact, LessonArtifact, ModelAnswer, ModuleSummary, PublicExercise, PublicQuiz, QuizKey };
export type Edition = CourseArtifact["editions"][number];

export class ContentMissingError extends Error {}

interface Release {
  dir: string;
  course: CourseArtifact;
  files: Map<string, unknown>;
}

let loaded: Release | undefined;
let checkedAt = 0;
/**
 * How long a release is used before `current` is resolved again: every read of the course goes
 * through here (a lesson page, many times), and resolving a link costs a system call per path part.
 */
const RELEASE_CHECK_MS = 500;

function release(): Release {
  const now = performance.now();
  if (loaded && now - checkedAt < RELEASE_CHECK_MS) return loaded;
  checkedAt = now;
  const link = path.resolve(getEnv().CONTENT_BUILD_DIR, "current");
  let dir: string;
  try {
    dir = fs.realpathSync(link);
  } catch {
    throw new ContentMissingError(`The course content has not been built (no ${link}). Run: npm run content:build`);
  }
  if (loaded?.dir !== dir) {
    const course = JSON.parse(fs.readFileSync(path.join(dir, "course.json"), "utf8")) as CourseArtifact;
    loaded = { dir, course, files: new Map() };
  }
  return loaded;
}

function readArtifact<T>(relative: string): T | undefined {
  const r = release();
  if (!r.files.has(relative)) {
    const file = path.join(r.dir, relative);
    r.files.set(relative, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined);
  }
  return r.files.get(relative) as T | undefined;
}

/** Why no page can be served (no release, or its course.json unreadable), or null. Cheap: /healthz asks it. */
export function contentProblem(): string | null {
  try {
    fs.accessSync(path.join(release().dir, "course.json"), fs.constants.R_OK);
    return null;
  } catch (error) {
    if (error instanceof ContentMissingError) return error.message;
    return `The content release cannot be read (${error instanceof Error ? error.message : String(error)}).`;
  }
}

export function getCourse(): CourseArtifact {
  return release().course;
}

/** The course's study time: the sum of its modules' estimates, the figure each module page shows. */
export function courseEstimatedMinutes(course: CourseArtifact = getCourse()): number {
  return course.modules.reduce((n, m) => n + m.estimatedMinutes, 0);
}

export function listEditions(): Edition[] {
  return getCourse().editions;
}

export function editionName(id: string | null): string | null {
  if (!id) return null;
  return listEditions().find((e) => e.id === id)?.name ?? id;
}

/**
 * A module as a reader of this edition meets it. An edition's lesson has its own title, summary,
 * length and sections, and they name the module everywhere that reader sees it.
 */
function inEdition(module: ModuleSummary, edition: string | null): ModuleSummary {
  const own = edition ? module.quiz?.editions?.[edition] : undefined;
  if (own && module.quiz) {
    // The edition's own questions join the bank its readers draw from.
    const questionsPerObjective = { ...module.quiz.questionsPerObjective };
    for (const [o, n] of Object.entries(own.questionsPerObjective)) questionsPerObjective[o] = (questionsPerObjective[o] ?? 0) + n;
    module = { ...module, quiz: { ...module.quiz, questionCount: module.quiz.questionCount + own.questionCount, questionsPerObjective } };
  }
  if (!edition || !module.editions.some((e) => e.id === edition)) return module;
  const lesson = readArtifact<LessonArtifact>(`lessons/${module.slug}--${edition}.json`);
  if (!lesson) return module;
  return {
    ...module,
    title: lesson.title,
    summary: lesson.summary,
    estimatedMinutes: lesson.estimatedMinutes,
    wordCount: lesson.wordCount,
    sections: lesson.sections.map(({ id, title, wordCount }) => ({ id, title, wordCount })),
  };
}

/** The course's modules in order, as a reader of this edition (null: the base lessons) sees them. */
export function listModules(edition: string | null = null): ModuleSummary[] {
  return getCourse().modules.map((m) => inEdition(m, edition));
}

export function getModule(slug: string, edition: string | null = null): ModuleSummary | undefined {
  const module = getCourse().modules.find((m) => m.slug === slug);
  return module && inEdition(module, edition);
}

/** The lesson a learner of this edition sees: the edition's text where the module has one. */
export function getLesson(slug: string, edition: string | null = null): LessonArtifact | undefined {
  const module = getModule(slug);
  if (!module) return undefined;
  if (edition && module.editions.some((e) => e.id === edition)) {
    return readArtifact<LessonArtifact>(`lessons/${slug}--${edition}.json`);
  }
  return readArtifact<LessonArtifact>(`lessons/${slug}.json`);
}

/**
 * The module's whole bank (base and edition questions) without correctness. A learner's page shows
 * only the questions drawn for their attempt (quiz.server.ts).
 */
export function getPublicQuiz(slug: string): PublicQuiz | undefined {
  return getModule(slug)?.quiz ? readArtifact<PublicQuiz>(`quizzes/${slug}.json`) : undefined;
}

/** Correct answers, feedback and explanations: for grading and for instructors, never for a learner's page. */
export function getQuizKey(slug: string): QuizKey | undefined {
  return getModule(slug)?.quiz ? readArtifact<QuizKey>(`keys/${slug}.json`) : undefined;
}

/** The artifact name of the exercise a learner of this edition does: the edition's own where it has one. */
function exerciseName(slug: string, edition: string | null): string | undefined {
  const exercise = getCourse().modules.find((m) => m.slug === slug)?.exercise;
  if (!exercise) return undefined;
  return edition && exercise.editions.includes(edition) ? `${slug}--${edition}.json` : `${slug}.json`;
}

/** The exercise without its model answer: the brief, tasks, rubric and review settings. */
export function getPublicExercise(slug: string, edition: string | null = null): PublicExercise | undefined {
  const name = exerciseName(slug, edition);
  return name ? readArtifact<PublicExercise>(`exercises/${name}`) : undefined;
}

/** The model answer: server-only, for a learner who has submitted and for instructors. */
export function getModelAnswer(slug: string, edition: string | null = null): ModelAnswer | undefined {
  const name = exerciseName(slug, edition);
  return name ? readArtifact<ModelAnswer>(`model-answers/${name}`) : undefined;
}

/** An image published with a lesson, or undefined. Names are content-hashed, so never stale. */
export function assetPath(slug: string, name: string): string | undefined {
  if (!/^[a-z0-9-]+$/.test(slug) || !/^[\w.-]+$/.test(name) || name.startsWith(".")) return undefined;
  const file = path.join(release().dir, "assets", slug, name);
  return fs.existsSync(file) ? file : undefined;
}

export interface BuildAttempt {
  ok: boolean;
  at: string;
  problems: string[];
}

/** The latest `content:build` attempt, which may have failed while an older release is served. */
export function lastBuildAttempt(): BuildAttempt | null {
  const file = path.resolve(getEnv().CONTENT_BUILD_DIR, "last-build.json");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as BuildAttempt;
  } catch {
    return null;
  }
}
