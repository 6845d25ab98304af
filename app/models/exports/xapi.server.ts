// The cohort's learning records as xAPI 1.0.3 statements (NDJSON): activities, statement ids
// (UUID v5) and the stream, fed one learner at a time.
import { createHash } from "node:crypto";
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { getPublicExercise } from "~/content/course.server";
import { getDb, getSqlite, prepared } from "~/db/client.server";
import { certificates, cohorts, moduleCompletions, quizAttempts, sectionReads } from "~/db/schema";
import { BATCH_SIZE, mapBatches, ndjsonStream, rebatch } from "~/lib/csv.server";
import { cohortLearners, loadStructure, type AnswerRow, type Structure } from "./structure.server";

const VERB = {
  experienced: "http://adlnet.gov/expapi/verbs/experienced",
  answered: "http://adlnet.gov/expapi/verbs/answered",
  passed: "http://adlnet.gov/expapi/verbs/passed",
  failed: "http://adlnet.gov/expapi/verbs/failed",
  completed: "http://adlnet.gov/expapi/verbs/completed",
  // ADL's vocabulary has no "submitted"; the xAPI registry's is Activity Streams' "submit".
  submitted: "http://activitystrea.ms/schema/1.0/submit",
  scored: "http://adlnet.gov/expapi/verbs/scored",
} as const;

const ACTIVITY_TYPE = {
  course: "http://adlnet.gov/expapi/activities/course",
  module: "http://adlnet.gov/expapi/activities/module",
  section: "http://id.tincanapi.com/activitytype/section",
  assessment: "http://adlnet.gov/expapi/activities/assessment",
  interaction: "http://adlnet.gov/expapi/activities/cmi.interaction",
  objective: "http://adlnet.gov/expapi/activities/objective",
  performance: "http://adlnet.gov/expapi/activities/performance",
} as const;

const PLATFORM = "Cyber Diplomacy Academy";

// Fixed namespace of this application's statement ids (UUID v5, RFC 4122 §4.3).
const STATEMENT_NAMESPACE = Buffer.from("3c6f1e0a8d2b4f579a416b0e5d7c2f19", "hex");

/** A name-based (SHA-1, version 5) UUID: the same statement gets the same id on every export. */
export function uuidV5(name: string, namespace: Buffer = STATEMENT_NAMESPACE): string {
  const hash = createHash("sha1").update(namespace).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** ISO 8601 duration in seconds, to the hundredth xAPI keeps. */
function isoDuration(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return `PT${Number((ms / 1000).toFixed(2))}S`;
}

type LanguageMap = Record<string, string>;
interface Activity {
  objectType: "Activity";
  id: string;
  definition: { type: string; name?: LanguageMap } & Record<string, unknown>;
}
// No `version`: xAPI 1.0.3 (Data 2.4.10) says clients SHOULD NOT set it (and if they do, "1.0.0");
// the LRS records 1.0.0 itself.
export interface XapiStatement {
  id: string;
  actor: { objectType: "Agent"; account: { homePage: string; name: string } };
  verb: { id: string; display: LanguageMap };
  object: Activity;
  result?: Record<string, unknown>;
  context?: Record<string, unknown>;
  timestamp: string;
}

function activities(origin: string, structure: Structure, edition: string) {
  const enc = encodeURIComponent;
  const exerciseId = (slug: string, exerciseEdition: string) =>
    `${origin}/modules/${enc(slug)}/exercise${exerciseEdition ? `/editions/${enc(exerciseEdition)}` : ""}`;
  const named = (title: string | undefined) => (title ? { name: { en: title } } : {});
  const moduleTitle = (slug: string) => structure.modules.get(slug)?.title;
  // Every statement carries the full definition of each activity it names, so that its JSON depends
  // only on the records behind it and the course, never on which statement came first in this file:
  // an LRS refuses (409) a statement id it already holds with other content. Each definition is
  // built once per export and the same object is serialised wherever the activity is named.
  const memo = <A extends string[]>(build: (...args: A) => Activity) => {
    const cache = new Map<string, Activity>();
    return (...args: A): Activity => {
      const key = args.join("\u0000");
      let activity = cache.get(key);
      if (!activity) cache.set(key, (activity = build(...args)));
      return activity;
    };
  };
  const built = {
    course: (): Activity => ({
      objectType: "Activity",
      id: `${origin}/course`,
      definition: { type: ACTIVITY_TYPE.course, name: { en: structure.courseTitle } },
    }),
    module: (slug: string): Activity => ({
      objectType: "Activity",
      id: `${origin}/modules/${enc(slug)}`,
      definition: { type: ACTIVITY_TYPE.module, ...named(moduleTitle(slug)) },
    }),
    section: (slug: string, sectionId: string): Activity => ({
      objectType: "Activity",
      id: `${origin}/modules/${enc(slug)}/${enc(sectionId)}`,
      definition: {
        type: ACTIVITY_TYPE.section,
        ...named(structure.sections.get(`${edition}/${slug}/${sectionId}`) ?? structure.sections.get(`/${slug}/${sectionId}`)),
      },
    }),
    quiz: (slug: string): Activity => ({
      objectType: "Activity",
      id: `${origin}/modules/${enc(slug)}/quiz`,
      definition: { type: ACTIVITY_TYPE.assessment, ...named(moduleTitle(slug) ? `${moduleTitle(slug)}: quiz` : undefined) },
    }),
    question: (slug: string, questionId: string): Activity => {
      const q = structure.questions.get(`${slug}/${questionId}`);
      const definition: Activity["definition"] = { type: ACTIVITY_TYPE.interaction, ...named(q?.prompt) };
      if (q) {
        const correct = q.choices.filter((c) => c.correct).map((c) => c.id);
        // xAPI's true-false responses are the literals "true"/"false"; other ids are plain choices.
        const ids = q.choices.map((c) => c.id).sort();
        if (q.type === "true-false" && ids.join() === "false,true") {
          definition.interactionType = "true-false";
          definition.correctResponsesPattern = correct;
        } else {
          definition.interactionType = "choice";
          definition.choices = q.choices.map((c) => ({ id: c.id, description: { en: c.label } }));
          definition.correctResponsesPattern = [correct.join("[,]")];
        }
      }
      return { objectType: "Activity", id: `${origin}/modules/${enc(slug)}/quiz/${enc(questionId)}`, definition };
    },
    objective: (id: string): Activity => ({
      objectType: "Activity",
      id: `${origin}/objectives/${enc(id)}`,
      definition: { type: ACTIVITY_TYPE.objective, ...named(structure.objectives.get(id)) },
    }),
    // An edition's exercise is another exercise than the module's own: its own activity.
    exercise: (slug: string, exerciseEdition: string): Activity => ({
      objectType: "Activity",
      id: exerciseId(slug, exerciseEdition),
      definition: { type: ACTIVITY_TYPE.performance, ...named(getPublicExercise(slug, exerciseEdition || null)?.title) },
    }),
    // A rubric criterion: a likert interaction whose scale is its levels (score as the id).
    criterion: (slug: string, exerciseEdition: string, criterionId: string): Activity => {
      const c = getPublicExercise(slug, exerciseEdition || null)?.rubric.find((r) => r.id === criterionId);
      const definition: Activity["definition"] = { type: ACTIVITY_TYPE.interaction, ...named(c?.criterion) };
      if (c) {
        definition.interactionType = "likert";
        definition.scale = c.levels.map((l) => ({ id: String(l.score), description: { en: `${l.label}: ${l.descriptor}` } }));
      }
      return { objectType: "Activity", id: `${exerciseId(slug, exerciseEdition)}/criteria/${enc(criterionId)}`, definition };
    },
  };
  return {
    course: memo(built.course),
    module: memo(built.module),
    section: memo(built.section),
    quiz: memo(built.quiz),
    question: memo(built.question),
    objective: memo(built.objective),
    exercise: memo(built.exercise),
    criterion: memo(built.criterion),
  };
}

function xapiBatches(cohortId: number, origin: string, size: number): Iterable<object[]>[] {
  const db = getDb();
  // Lazily, so that the structure is read when the stream starts, not when it is created.
  let a: ReturnType<typeof activities> | undefined;
  const act = () => {
    if (!a) {
      const edition = db.select({ edition: cohorts.edition }).from(cohorts).where(eq(cohorts.id, cohortId)).get()?.edition ?? "";
      a = activities(origin, loadStructure(), edition);
    }
    return a;
  };
  const statement = (kind: string, key: string, userId: string, verb: keyof typeof VERB, object: Activity, at: Date, rest: Partial<XapiStatement> = {}): XapiStatement => ({
    id: uuidV5(`${origin}|${kind}|${key}`),
    // An opaque account, never the email (mbox) or the name: the LRS learns no personal data.
    actor: { objectType: "Agent", account: { homePage: origin, name: userId } },
    verb: { id: VERB[verb], display: { en: verb } },
    object,
    ...rest,
    timestamp: at.toISOString(),
  });
  // Must match the id statement("attempt", attemptId, …) gives.
  const attemptStatementId = (attemptId: string) => uuidV5(`${origin}|attempt|${attemptId}`);
  const rowid = (table: SQLiteTable) => sql<number>`${table}.rowid`;
  const learnerIds = () => cohortLearners(cohortId).map((l) => l.id);
  /**
   * Each kind, learner by learner: one indexed query per learner and kind (a keyset over the whole
   * table would scan other cohorts' rows), regrouped into batches of `size`.
   */
  const perLearner = <Row>(fetch: (userId: string) => Row[]) =>
    rebatch(
      (function* () {
        for (const id of learnerIds()) yield fetch(id);
      })(),
      size,
    );
  const userId = sql.placeholder("userId");

  const reads = perLearner((id) =>
    prepared("xapi.reads", (d) =>
      d
        .select({ userId: sectionReads.userId, moduleSlug: sectionReads.moduleSlug, sectionId: sectionReads.sectionId, readAt: sectionReads.readAt })
        .from(sectionReads)
        .where(eq(sectionReads.userId, userId))
        .orderBy(rowid(sectionReads))
        .prepare(),
    ).all({ userId: id }),
  );
  // The largest kind, read without the query builder's per-column mapping. Answers are stored only
  // when their attempt is graded, so each one has its attempt's passed/failed statement.
  const answers = perLearner((id) =>
    (
      prepared("xapi.answers", () =>
        getSqlite().prepare(
          "select attempt_id, module_slug, question_id, choice_ids, correct, objectives, answered_at from quiz_answers where user_id = ? order by rowid",
        ),
      ).all(id) as AnswerRow[]
    ).map((a) => ({
      attemptId: a.attempt_id,
      userId: id,
      moduleSlug: a.module_slug,
      questionId: a.question_id,
      choiceIds: JSON.parse(a.choice_ids) as string[],
      correct: Boolean(a.correct),
      objectives: JSON.parse(a.objectives) as string[],
      answeredAt: new Date(a.answered_at),
    })),
  );
  const attempts = perLearner((id) =>
    prepared("xapi.attempts", (d) =>
      d
        .select({
          id: quizAttempts.id,
          userId: quizAttempts.userId,
          moduleSlug: quizAttempts.moduleSlug,
          startedAt: quizAttempts.startedAt,
          submittedAt: quizAttempts.submittedAt,
          correctCount: quizAttempts.correctCount,
          questionCount: quizAttempts.questionCount,
          score: quizAttempts.score,
          passed: quizAttempts.passed,
        })
        .from(quizAttempts)
        .where(and(eq(quizAttempts.userId, userId), isNotNull(quizAttempts.submittedAt)))
        .orderBy(rowid(quizAttempts))
        .prepare(),
    ).all({ userId: id }),
  );
  const completions = perLearner((id) =>
    prepared("xapi.completions", (d) =>
      d
        .select({ userId: moduleCompletions.userId, moduleSlug: moduleCompletions.moduleSlug, completedAt: moduleCompletions.completedAt })
        .from(moduleCompletions)
        .where(eq(moduleCompletions.userId, userId))
        .orderBy(rowid(moduleCompletions))
        .prepare(),
    ).all({ userId: id }),
  );
  const submissions = perLearner(
    (id) =>
      prepared("xapi.submissions", () =>
        getSqlite().prepare(
          "select id, user_id, module_slug, edition, submitted_at from exercise_submissions where user_id = ? and submitted_at is not null order by rowid",
        ),
      ).all(id) as { id: string; user_id: string; module_slug: string; edition: string; submitted_at: number }[],
  );
  // Each result with the moment it came out: the instructor's review, or the last counted peer
  // review. The key names the source, level and moment, so a result that changes later (an
  // instructor's level replacing the peers') is a new statement, never another body under an old id.
  // The kinds are spelled as the partial indexes by submission name them, so each is an index search.
  const results = perLearner(
    (id) =>
      prepared("xapi.exerciseResults", () =>
        getSqlite().prepare(`select er.submission_id, er.user_id, er.module_slug, s.edition, er.criterion_id, er.score, er.max_score, er.source,
            case er.source
              when 'instructor' then (select r.completed_at from exercise_reviews r where r.submission_id = er.submission_id
                and r.kind in ('self', 'instructor') and r.kind = 'instructor' and r.removed_at is null)
              else (select max(r.completed_at) from exercise_reviews r where r.submission_id = er.submission_id
                and r.kind = 'peer' and r.completed_at is not null and r.removed_at is null) end as at
          from exercise_results er join exercise_submissions s on s.id = er.submission_id
          where er.user_id = ? order by s.rowid, er.criterion_id`),
      ).all(id) as {
        submission_id: string;
        user_id: string;
        module_slug: string;
        edition: string;
        criterion_id: string;
        score: number;
        max_score: number;
        source: string;
        at: number;
      }[],
  );
  const criterionObjectives = (slug: string, exerciseEdition: string, criterionId: string) =>
    getPublicExercise(slug, exerciseEdition || null)?.rubric.find((c) => c.id === criterionId)?.objectives ?? [];
  // Must match the id statement("exercise-submission", submissionId, …) gives.
  const submissionStatementId = (submissionId: string) => uuidV5(`${origin}|exercise-submission|${submissionId}`);

  // A revoked certificate no longer vouches for the course's completion: it is left out.
  const courseCompletions = perLearner((id) =>
    prepared("xapi.certificates", (d) =>
      d
        .select({ userId: certificates.userId, completedAt: certificates.completedAt })
        .from(certificates)
        .where(and(eq(certificates.userId, userId), isNull(certificates.revokedAt)))
        .prepare(),
    ).all({ userId: id }),
  );

  return [
    mapBatches(reads, (rows) =>
      rows.map((r) =>
        statement("read", `${r.userId}|${r.moduleSlug}|${r.sectionId}`, r.userId, "experienced", act().section(r.moduleSlug, r.sectionId), r.readAt, {
          context: {
            platform: PLATFORM,
            contextActivities: { parent: [act().module(r.moduleSlug)], grouping: [act().course()] },
          },
        }),
      ),
    ),
    mapBatches(answers, (rows) =>
      rows.map((r) =>
        statement("answer", `${r.attemptId}|${r.questionId}`, r.userId, "answered", act().question(r.moduleSlug, r.questionId), r.answeredAt, {
          result: { success: r.correct, response: r.choiceIds.join("[,]") },
          context: {
            platform: PLATFORM,
            contextActivities: {
              parent: [act().quiz(r.moduleSlug)],
              grouping: [act().course(), act().module(r.moduleSlug), ...r.objectives.map((o) => act().objective(o))],
            },
            // The attempt's passed/failed statement, which this answer was graded in.
            statement: { objectType: "StatementRef", id: attemptStatementId(r.attemptId) },
          },
        }),
      ),
    ),
    mapBatches(attempts, (rows) =>
      rows.map((r) => {
        const submittedAt = r.submittedAt!;
        const duration = isoDuration(submittedAt.getTime() - r.startedAt.getTime());
        return statement("attempt", r.id, r.userId, r.passed ? "passed" : "failed", act().quiz(r.moduleSlug), submittedAt, {
          result: {
            ...(r.score !== null && r.questionCount !== null
              ? { score: { scaled: r.score, raw: r.correctCount ?? 0, min: 0, max: r.questionCount } }
              : {}),
            success: Boolean(r.passed),
            completion: true,
            ...(duration ? { duration } : {}),
          },
          context: {
            platform: PLATFORM,
            contextActivities: { parent: [act().module(r.moduleSlug)], grouping: [act().course()] },
          },
        });
      }),
    ),
    mapBatches(submissions, (rows) =>
      rows.map((r) =>
        statement("exercise-submission", r.id, r.user_id, "submitted", act().exercise(r.module_slug, r.edition), new Date(r.submitted_at), {
          result: { completion: true },
          context: {
            platform: PLATFORM,
            contextActivities: { parent: [act().module(r.module_slug)], grouping: [act().course()] },
          },
        }),
      ),
    ),
    mapBatches(results, (rows) =>
      rows.map((r) =>
        statement(
          "exercise-result",
          `${r.submission_id}|${r.criterion_id}|${r.source}|${r.score}|${r.at}`,
          r.user_id,
          "scored",
          act().criterion(r.module_slug, r.edition, r.criterion_id),
          new Date(r.at),
          {
            result: { score: { scaled: r.max_score ? r.score / r.max_score : 0, raw: r.score, min: 0, max: r.max_score } },
            context: {
              platform: PLATFORM,
              contextActivities: {
                parent: [act().exercise(r.module_slug, r.edition)],
                grouping: [act().course(), act().module(r.module_slug), ...criterionObjectives(r.module_slug, r.edition, r.criterion_id).map((o) => act().objective(o))],
              },
              // Who gave the level, as a kind (never a person): the instructor, or the peers' median.
              extensions: { [`${origin}/xapi/extensions/result-source`]: r.source },
              // The submission statement this result assesses.
              statement: { objectType: "StatementRef", id: submissionStatementId(r.submission_id) },
            },
          },
        ),
      ),
    ),
    mapBatches(completions, (rows) =>
      rows.map((r) =>
        statement("module-completion", `${r.userId}|${r.moduleSlug}`, r.userId, "completed", act().module(r.moduleSlug), r.completedAt, {
          result: { completion: true },
          context: { platform: PLATFORM, contextActivities: { parent: [act().course()] } },
        }),
      ),
    ),
    mapBatches(courseCompletions, (rows) =>
      rows.map((r) =>
        statement("course-completion", r.userId, r.userId, "completed", act().course(), r.completedAt, {
          result: { completion: true, success: true },
          context: { platform: PLATFORM },
        }),
      ),
    ),
  ];
}

/**
 * xAPI 1.0.3 statements of the cohort's learners as NDJSON, in this order: every section read
 * (experienced), every answer (answered), every submitted attempt (passed/failed), every submitted
 * exercise (submitted), every criterion result of an exercise (scored), every module completion,
 * then every unrevoked certificate (completed the course); each kind learner by
 * learner (by name), and in the order it was stored for each learner. Statement ids are UUID v5 of
 * (origin, kind, key), and a statement's JSON depends only on its records and the course, so a later
 * export repeats each earlier statement byte for byte and an LRS drops the duplicates.
 */
export function xapiStatements({ cohortId, origin, batchSize = BATCH_SIZE }: { cohortId: number; origin: string; batchSize?: number }): ReadableStream<Uint8Array> {
  const base = new URL(origin).origin;
  return ndjsonStream(function* () {
    for (const kind of xapiBatches(cohortId, base, batchSize)) yield* kind;
  });
}
