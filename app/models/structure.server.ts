import { createHash } from "node:crypto";
import { getCourse, getLesson, getPublicExercise, getPublicQuiz, getQuizKey, type CourseArtifact } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import {
  courseChoices,
  courseCriteria,
  courseCriterionObjectives,
  courseEditions,
  courseExercises,
  courseModules,
  courseObjectives,
  courseQuestionObjectives,
  courseQuestions,
  courseSections,
  courseStructure,
} from "~/db/schema";
import { htmlToText } from "~/lib/html-text";
import { rebuildRollups, ROLLUP_RULES_VERSION } from "./rollups.server";
import { flushVisits } from "./visits.server";

interface StructureRows {
  objectives: (typeof courseObjectives.$inferInsert)[];
  editions: (typeof courseEditions.$inferInsert)[];
  modules: (typeof courseModules.$inferInsert)[];
  sections: (typeof courseSections.$inferInsert)[];
  questions: (typeof courseQuestions.$inferInsert)[];
  choices: (typeof courseChoices.$inferInsert)[];
  questionObjectives: (typeof courseQuestionObjectives.$inferInsert)[];
  exercises: (typeof courseExercises.$inferInsert)[];
  criteria: (typeof courseCriteria.$inferInsert)[];
  criterionObjectives: (typeof courseCriterionObjectives.$inferInsert)[];
}

function structureRows(course: CourseArtifact): StructureRows {
  const rows: StructureRows = {
    objectives: course.objectives.map((o, i) => ({ id: o.id, position: i + 1, title: o.title })),
    editions: course.editions.map((e) => ({ id: e.id, name: e.name })),
    modules: [],
    sections: [],
    questions: [],
    choices: [],
    questionObjectives: [],
    exercises: [],
    criteria: [],
    criterionObjectives: [],
  };
  for (const m of course.modules) {
    const quiz = m.quiz ? getPublicQuiz(m.slug) : undefined;
    const key = m.quiz ? getQuizKey(m.slug) : undefined;
    rows.modules.push({
      slug: m.slug,
      position: m.order,
      title: m.title,
      quizVersion: quiz?.version ?? null,
      passingScore: quiz?.passingScore ?? null,
      maxAttempts: quiz?.maxAttempts ?? null,
    });
    const criteriaOf = new Set<string>();
    for (const edition of ["", ...course.editions.map((e) => e.id)]) {
      const lesson = getLesson(m.slug, edition || null);
      (lesson?.sections ?? []).forEach((s, i) =>
        rows.sections.push({ edition, moduleSlug: m.slug, sectionId: s.id, position: i + 1, title: s.title, words: s.wordCount }),
      );
      const exercise = m.exercise ? getPublicExercise(m.slug, edition || null) : undefined;
      if (!exercise) continue;
      const exerciseEdition = exercise.edition ?? "";
      rows.exercises.push({
        edition,
        moduleSlug: m.slug,
        exerciseEdition,
        version: exercise.version,
        title: exercise.title,
        required: exercise.required,
        selfReview: exercise.review.self,
        peers: exercise.review.peers,
        instructorReview: exercise.review.instructor,
      });
      if (criteriaOf.has(exerciseEdition)) continue;
      criteriaOf.add(exerciseEdition);
      exercise.rubric.forEach((c, i) => {
        rows.criteria.push({
          exerciseEdition,
          moduleSlug: m.slug,
          criterionId: c.id,
          position: i + 1,
          criterion: c.criterion,
          maxScore: Math.max(...c.levels.map((l) => l.score)),
        });
        for (const o of c.objectives) rows.criterionObjectives.push({ exerciseEdition, moduleSlug: m.slug, criterionId: c.id, objectiveId: o });
      });
    }
    quiz?.questions.forEach((q, i) => {
      const correct = new Set(key?.questions.find((k) => k.id === q.id)?.correct ?? []);
      // Edition questions too: answers to them count for mastery and item analysis like any other.
      rows.questions.push({
        moduleSlug: m.slug,
        questionId: q.id,
        position: i + 1,
        type: q.type,
        edition: q.edition ?? "",
        sectionId: q.section ?? null,
        prompt: htmlToText(q.promptHtml),
      });
      q.choices.forEach((c, j) =>
        rows.choices.push({
          moduleSlug: m.slug,
          questionId: q.id,
          choiceId: c.id,
          position: j + 1,
          label: htmlToText(c.html),
          correct: correct.has(c.id),
        }),
      );
      for (const o of q.objectives) rows.questionObjectives.push({ moduleSlug: m.slug, questionId: q.id, objectiveId: o });
    });
  }
  return rows;
}

const synced = new WeakSet<CourseArtifact>();

/**
 * Mirrors the current release's structure into the course_* tables, and rebuilds the roll-ups
 * when it changed. Cheap when nothing changed: one comparison per process and release.
 */
export function mirrorCourseStructure(): void {
  const course = getCourse();
  if (synced.has(course)) return;
  const rows = structureRows(course);
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([ROLLUP_RULES_VERSION, course.title, course.masteryThreshold, rows]))
    .digest("hex");
  const db = getDb();
  db.transaction(
    (tx) => {
      const current = tx.select({ fingerprint: courseStructure.fingerprint }).from(courseStructure).get();
      if (current?.fingerprint === fingerprint) return;
      for (const table of [
        courseObjectives,
        courseEditions,
        courseModules,
        courseSections,
        courseQuestions,
        courseChoices,
        courseQuestionObjectives,
        courseExercises,
        courseCriteria,
        courseCriterionObjectives,
      ]) {
        tx.delete(table).run();
      }
      const insert = <T extends Parameters<typeof tx.insert>[0]>(table: T, values: T["$inferInsert"][]) => {
        // SQLite limits bound parameters per statement; 200 rows of up to 9 columns stay below it.
        for (let i = 0; i < values.length; i += 200) tx.insert(table).values(values.slice(i, i + 200)).run();
      };
      insert(courseObjectives, rows.objectives);
      insert(courseEditions, rows.editions);
      insert(courseModules, rows.modules);
      insert(courseSections, rows.sections);
      insert(courseQuestions, rows.questions);
      insert(courseChoices, rows.choices);
      insert(courseQuestionObjectives, rows.questionObjectives);
      insert(courseExercises, rows.exercises);
      insert(courseCriteria, rows.criteria);
      insert(courseCriterionObjectives, rows.criterionObjectives);
      tx.insert(courseStructure)
        .values({ id: 1, fingerprint, courseTitle: course.title, masteryThreshold: course.masteryThreshold, syncedAt: new Date() })
        .onConflictDoUpdate({
          target: courseStructure.id,
          set: { fingerprint, courseTitle: course.title, masteryThreshold: course.masteryThreshold, syncedAt: new Date() },
        })
        .run();
      rebuildRollups(tx, "all");
    },
    { behavior: "immediate" },
  );
  synced.add(course);
}

/**
 * The figures as of now: the course structure mirrored, and every visit already served committed.
 * Every report, export and roll-up rebuild starts here.
 */
export function ensureCourseStructure(): void {
  mirrorCourseStructure();
  flushVisits();
}
