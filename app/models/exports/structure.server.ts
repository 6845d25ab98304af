// What every cohort export reads the same way: the course structure (once per export) and the
// cohort's learners. Streams are fed by short, complete queries (keyset pages or one learner at a
// time) so that no statement stays open while a batch waits for the reader; see app/lib/csv.server.ts.
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { cohortMemberships, courseChoices, courseModules, courseObjectives, courseQuestions, courseSections, courseStructure, users } from "~/db/schema";
import { ensureCourseStructure } from "~/models/structure.server";

// ---- the course structure, read once per export ------------------------------------------------

export interface Structure {
  courseTitle: string;
  modules: Map<string, { title: string; position: number }>;
  /** Keyed by `${edition}/${slug}/${sectionId}`; '' is the standard edition. */
  sections: Map<string, string>;
  /** Keyed by `${slug}/${questionId}`; choices in their position order. */
  questions: Map<string, { type: string; prompt: string; choices: { id: string; label: string; correct: boolean }[] }>;
  objectives: Map<string, string>;
}

export function loadStructure(): Structure {
  ensureCourseStructure();
  const db = getDb();
  const structure: Structure = {
    courseTitle: db.select({ title: courseStructure.courseTitle }).from(courseStructure).get()?.title ?? "Course",
    modules: new Map(db.select().from(courseModules).all().map((m) => [m.slug, { title: m.title, position: m.position }])),
    sections: new Map(
      db
        .select()
        .from(courseSections)
        .all()
        .map((s) => [`${s.edition}/${s.moduleSlug}/${s.sectionId}`, s.title]),
    ),
    questions: new Map(
      db
        .select()
        .from(courseQuestions)
        .all()
        .map((q) => [`${q.moduleSlug}/${q.questionId}`, { type: q.type, prompt: q.prompt, choices: [] }]),
    ),
    objectives: new Map(db.select().from(courseObjectives).all().map((o) => [o.id, o.title])),
  };
  for (const c of db.select().from(courseChoices).orderBy(asc(courseChoices.position)).all()) {
    structure.questions.get(`${c.moduleSlug}/${c.questionId}`)?.choices.push({ id: c.choiceId, label: c.label, correct: c.correct });
  }
  return structure;
}

// ---- the cohort's learners and their stored answers -------------------------------------------

export function cohortLearners(cohortId: number) {
  return getDb()
    .select({ id: users.id, name: users.name, email: users.email, country: users.country })
    .from(cohortMemberships)
    .innerJoin(users, eq(users.id, cohortMemberships.userId))
    .where(and(eq(cohortMemberships.cohortId, cohortId), eq(cohortMemberships.role, "learner")))
    .orderBy(asc(users.name), asc(users.id))
    .all();
}

/** A row of quiz_answers as read raw (without the query builder's mapping) by the CSV and xAPI exports. */
export interface AnswerRow {
  attempt_id: string;
  module_slug: string;
  question_id: string;
  choice_ids: string;
  correct: number;
  objectives: string;
  answered_at: number;
}
