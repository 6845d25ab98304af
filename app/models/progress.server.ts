import { randomBytes } from "node:crypto";
import { eq, sql, type SQL } from "drizzle-orm";
import { getCourse, getLesson, getPublicExercise, listModules } from "~/content/course.server";
import type { LessonArtifact, PublicExercise } from "~/content/schema";
import { cachedAll, getDb, preparedSql } from "~/db/client.server";
import { certificates, moduleCompletions, sectionReads, users } from "~/db/schema";
import { learnerEditionOf, learnerExerciseJoin } from "./figures.server";
import { learnerFigures, masteryCells, moduleCells, type ModuleCell, type ModuleStatus } from "./report.server";
import { rebuildRollups } from "./rollups.server";
import { queueVisit } from "./visits.server";
import { questionsPerAttempt } from "./quiz-draw.server";
import { ensureCourseStructure, mirrorCourseStructure } from "./structure.server";
import type { Queryable } from "./user.server";

export type { ModuleStatus };

const WORDS_PER_MINUTE = 200;
const QUIZ_MINUTES_PER_QUESTION = 0.75;
/** Drafting a briefing note or a statement, thinking included: far slower than reading. */
const WRITING_WORDS_PER_MINUTE = 15;

export interface ModuleProgress {
  slug: string;
  title: string;
  summary: string;
  order: number;
  objectives: string[];
  sections: { id: string; title: string; read: boolean }[];
  sectionsRead: number;
  hasQuiz: boolean;
  quizPassed: boolean;
  status: ModuleStatus;
  completedAt: Date | null;
  /** Where "Start" or "Continue" leads: a section id, "quiz", or "exercise" (a required one left to do). */
  resume: string;
  /** Whether any of the module is done (a section read, the quiz passed, an exercise begun): "Continue" rather than "Start". */
  started: boolean;
  /** See minutesLeft(). */
  minutesLeft: number;
  /** The module's practical exercise in the learner's edition (the report's cell), or null when it has none. */
  exercise: ModuleCell["exercise"];
}

export interface CourseProgress {
  modules: ModuleProgress[];
  /** (sections read + quizzes passed) / (sections + quizzes) */
  fraction: number;
  completedAt: Date | null;
  /** The modules' minutes left, added up. */
  minutesLeft: number;
  minutesOnTask: number;
}

/**
 * Words a learner writes for an exercise, counted toward the time left only when completion needs
 * the exercise: the middle of each task's word limits.
 */
export function exerciseWords(exercise: Pick<PublicExercise, "required" | "tasks"> | undefined): number {
  if (!exercise?.required) return 0;
  return exercise.tasks.reduce((n, t) => n + (t.minWords + t.maxWords) / 2, 0);
}

/**
 * The author's estimate of a lesson (estimatedMinutes) shared among its parts: the sections by
 * their reading time, the quiz by its questions, a required exercise by the words it asks for.
 * Whole minutes that add up to the estimate exactly (largest remainder), so a module's and the
 * course's minutes left never disagree by rounding.
 */
function partMinutes(lesson: Pick<LessonArtifact, "estimatedMinutes" | "sections">, quizQuestions: number, writtenWords: number) {
  // A pure function of a lesson of the (immutable) release: worked out once per lesson and counts.
  let known = partMinutesOf.get(lesson);
  if (!known) partMinutesOf.set(lesson, (known = new Map()));
  const key = `${quizQuestions}|${writtenWords}`;
  let parts = known.get(key);
  if (!parts) known.set(key, (parts = sharePartMinutes(lesson, quizQuestions, writtenWords)));
  return parts;
}

const partMinutesOf = new WeakMap<object, Map<string, ReturnType<typeof sharePartMinutes>>>();

function sharePartMinutes(lesson: Pick<LessonArtifact, "estimatedMinutes" | "sections">, quizQuestions: number, writtenWords: number) {
  const weights = [
    ...lesson.sections.map((s) => s.wordCount / WORDS_PER_MINUTE),
    quizQuestions * QUIZ_MINUTES_PER_QUESTION,
    writtenWords / WRITING_WORDS_PER_MINUTE,
  ];
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total > 0 ? (lesson.estimatedMinutes * w) / total : 0));
  const shares = exact.map(Math.floor);
  let spare = lesson.estimatedMinutes - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (spare <= 0) break;
    shares[i]! += 1;
    spare -= 1;
  }
  const n = lesson.sections.length;
  return { sections: new Map(lesson.sections.map((s, i) => [s.id, shares[i]!])), quiz: shares[n]!, exercise: shares[n + 1]! };
}

/**
 * Time left of a module: the estimated minutes of the sections not read yet, plus the quiz's while
 * it is not passed, plus a required exercise's until it is done; nothing once the module is
 * completed. The one definition behind every "left".
 */
export function minutesLeft({
  lesson,
  quizQuestions,
  writtenWords = 0,
  read,
  quizPassed,
  exerciseDone = false,
  completed,
}: {
  lesson: Pick<LessonArtifact, "estimatedMinutes" | "sections">;
  quizQuestions: number;
  /** exerciseWords() of the module's exercise. */
  writtenWords?: number;
  read: (sectionId: string) => boolean;
  quizPassed: boolean;
  exerciseDone?: boolean;
  completed: boolean;
}): number {
  if (completed) return 0;
  const parts = partMinutes(lesson, quizQuestions, writtenWords);
  let left = (quizPassed ? 0 : parts.quiz) + (exerciseDone ? 0 : parts.exercise);
  for (const [id, minutes] of parts.sections) if (!read(id)) left += minutes;
  return left;
}

/** The edition of the learner's cohort, which decides the lesson text they read; null: the standard one. */
export function learnerEdition(userId: string): string | null {
  // The published editions are read from the course structure, as the reports read them. The hot
  // path of every page: the structure only, without committing queued visits.
  mirrorCourseStructure();
  const query = preparedSql("learnerEdition", () => sql`select nullif(${learnerEditionOf(sql.raw("@userId"))}, '') as edition`);
  return (query.get({ userId }) as { edition: string | null }).edition;
}

/** The learner's course, module by module: the report's queries for a set of one, plus the outline. */
export function courseProgress({ userId, edition = learnerEdition(userId) }: { userId: string; edition?: string | null }): CourseProgress {
  const set = { userIds: [userId] };
  const cells = new Map(moduleCells(set).map((c) => [c.slug, c]));
  const learner = learnerFigures(userId);
  const readSet = new Set(
    cachedAll<{ read: string }>(sql`select module_slug || '/' || section_id as read from section_reads where user_id = ${userId}`).map((r) => r.read),
  );
  const modules = listModules(edition).map((m): ModuleProgress => {
    const cell = cells.get(m.slug);
    const lesson = getLesson(m.slug, edition);
    const sections = (lesson?.sections ?? []).map((s) => ({ id: s.id, title: s.title, read: readSet.has(`${m.slug}/${s.id}`) }));
    const hasQuiz = m.quiz !== null;
    const quizPassed = cell?.quizPassed ?? false;
    const completedAt = cell?.completedAt ?? null;
    const firstUnread = sections.find((s) => !s.read);
    const exerciseLeft = cell?.exercise?.required && !cell.exercise.done ? "exercise" : undefined;
    return {
      slug: m.slug,
      title: m.title,
      summary: m.summary,
      order: m.order,
      objectives: m.objectives,
      sections,
      sectionsRead: cell?.sectionsRead ?? 0,
      hasQuiz,
      quizPassed,
      status: cell?.status ?? "not-started",
      completedAt,
      resume: firstUnread?.id ?? (hasQuiz && !quizPassed ? "quiz" : (exerciseLeft ?? sections[0]?.id ?? "quiz")),
      started: (cell?.sectionsRead ?? 0) > 0 || quizPassed || (cell?.exercise?.status ?? "not-started") !== "not-started",
      minutesLeft: lesson
        ? minutesLeft({
            lesson,
            quizQuestions: questionsPerAttempt(m.quiz),
            writtenWords: exerciseWords(getPublicExercise(m.slug, edition)),
            read: (id) => readSet.has(`${m.slug}/${id}`),
            quizPassed,
            exerciseDone: cell?.exercise?.done ?? false,
            completed: completedAt !== null,
          })
        : 0,
      exercise: cell?.exercise ?? null,
    };
  });
  return {
    modules,
    minutesLeft: modules.reduce((n, m) => n + m.minutesLeft, 0),
    fraction: learner?.progress ?? 0,
    completedAt: learner?.certifiedAt ?? null,
    minutesOnTask: Math.round((learner?.timeOnTaskMs ?? 0) / 60_000),
  };
}

/** The learner's time on task, as every report shows it (the rule is in rollups.server). */
export function timeOnTaskMs(userId: string): number {
  return learnerFigures(userId)?.timeOnTaskMs ?? 0;
}

/** A learner opened a section: committed within VISIT_FLUSH_MS, before anything reads the figures it feeds. */
export function recordVisit({ userId, slug, sectionId, at = new Date() }: { userId: string; slug: string; sectionId: string; at?: Date }) {
  queueVisit({ userId, slug, sectionId, at });
}

/** Idempotent: reading a section twice (refresh, double click, back button) records it once. */
export function markSectionRead({ userId, slug, sectionId }: { userId: string; slug: string; sectionId: string }) {
  getDb().transaction(
    (tx) => {
      tx.insert(sectionReads).values({ userId, moduleSlug: slug, sectionId, readAt: new Date() }).onConflictDoNothing().run();
      refreshLearner(tx, userId);
    },
    { behavior: "immediate" },
  );
}

/**
 * Brings the learner's roll-ups up to date after a write, in the writer's transaction, and stores
 * the module completions and certificate just earned. Earlier ones are never removed or recomputed.
 */
export function refreshLearner(tx: Queryable, userId: string) {
  ensureCourseStructure();
  rebuildRollups(tx, [userId]);
  const now = new Date();
  // After every write of a learner: prepared once, the user as a parameter.
  const newlyDone = preparedSql("newlyCompletedModules", () => {
    const userId = sql.raw("@userId");
    return sql`
    select cm.slug from learner_modules lm
    join course_modules cm on cm.slug = lm.module_slug
    ${learnerExerciseJoin("x", learnerEditionOf(userId), sql`cm.slug`)}
    where lm.user_id = ${userId}
      and lm.sections_read = (
        select count(*) from course_sections s
        where s.module_slug = cm.slug and s.edition = ${learnerEditionOf(userId)})
      and (cm.quiz_version is null or lm.quiz_passed)
      and (x.required is null or not x.required or lm.exercise_done)
      and not exists (select 1 from module_completions mc where mc.user_id = ${userId} and mc.module_slug = cm.slug)`;
  });
  const done = newlyDone.all({ userId }) as { slug: string }[];
  if (done.length === 0) return;
  tx.insert(moduleCompletions)
    .values(done.map((d) => ({ userId, moduleSlug: d.slug, completedAt: now })))
    .onConflictDoNothing()
    .run();
  rebuildRollups(tx, [userId]);
  const completed = tx.get<{ n: number; total: number }>(sql`
    select (select count(*) from module_completions mc join course_modules cm on cm.slug = mc.module_slug where mc.user_id = ${userId}) as n,
      (select count(*) from course_modules) as total`);
  if (!completed || completed.total === 0 || completed.n < completed.total) return;
  const learner = tx.select({ name: users.name }).from(users).where(eq(users.id, userId)).get();
  const mastered = masteryCells({ userIds: [userId] }).filter((o) => o.state === "mastered");
  tx.insert(certificates)
    .values({
      userId,
      code: newCertificateCode(),
      learnerName: learner?.name ?? "",
      courseTitle: getCourse().title,
      completedAt: now,
      objectivesMastered: mastered.map((o) => o.objectiveId),
      objectivesPractical: mastered.filter((o) => o.practical > 0).map((o) => o.objectiveId),
    })
    .onConflictDoNothing()
    .run();
}

/** 20 characters of Crockford base32 (100 bits), grouped for reading aloud. */
function newCertificateCode(): string {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => alphabet[b % 32]).join("");
  return chars.match(/.{5}/g)!.join("-");
}

/**
 * What the reader needs on every page turn: the sections read in one module, and its quiz state
 * with the latest passed attempt, whose result a passed module leads to.
 */
export function moduleReadState({ userId, slug }: { userId: string; slug: string }): {
  read: Set<string>;
  quizPassed: boolean;
  passedAttemptId: string | null;
} {
  // Every lesson page asks it: one statement, prepared once.
  const query = preparedSql("moduleReadState", () => sql`select ${moduleReadColumns(sql.raw("@userId"), sql.raw("@slug"))}`);
  return readStateOf(query.get({ userId, slug }) as ReadStateRow);
}

/** moduleReadState's columns (`reads`, `passed`), for a statement that asks more of the same page. */
export function moduleReadColumns(userId: SQL, slug: SQL): SQL {
  return sql`(select json_group_array(section_id) from section_reads where user_id = ${userId} and module_slug = ${slug}) as reads,
    (select id from quiz_attempts where user_id = ${userId} and module_slug = ${slug} and passed
      order by submitted_at desc limit 1) as passed`;
}

export interface ReadStateRow {
  reads: string;
  passed: string | null;
}

export function readStateOf(row: ReadStateRow) {
  return { read: new Set(JSON.parse(row.reads) as string[]), quizPassed: row.passed !== null, passedAttemptId: row.passed };
}
