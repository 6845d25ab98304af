// Cohort exports (attempts CSV, xAPI statements) and the per-learner data export (JSON).
// Streams are fed by short, complete queries (keyset pages or one learner at a time) so that no
// statement stays open while a batch waits for the reader; see app/lib/csv.server.ts.
import { createHash } from "node:crypto";
import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { getDb, getSqlite, prepared } from "~/db/client.server";
import {
  attemptGrants,
  auditLog,
  certificates,
  cohortMemberships,
  cohorts,
  courseChoices,
  courseModules,
  courseObjectives,
  courseQuestions,
  courseSections,
  courseStructure,
  invitations,
  moduleCompletions,
  quizAnswers,
  quizAttempts,
  sectionReads,
  sectionVisits,
  sessions,
  users,
} from "~/db/schema";
import { BATCH_SIZE, csvStream, mapBatches, ndjsonStream, rebatch } from "~/lib/csv.server";
import { learnerRows, masteryCells, moduleCells, reportColumns } from "./report.server";
import { ensureCourseStructure } from "./structure.server";

// ---- the course structure, read once per export ------------------------------------------------

interface Structure {
  courseTitle: string;
  modules: Map<string, { title: string; position: number }>;
  /** Keyed by `${edition}/${slug}/${sectionId}`; '' is the standard edition. */
  sections: Map<string, string>;
  /** Keyed by `${slug}/${questionId}`; choices in their position order. */
  questions: Map<string, { type: string; prompt: string; choices: { id: string; label: string; correct: boolean }[] }>;
  objectives: Map<string, string>;
}

function loadStructure(): Structure {
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

// ---- attempts CSV ------------------------------------------------------------------------------

export const ATTEMPTS_CSV_COLUMNS = [
  "learner_id",
  "learner_name",
  "learner_email",
  "learner_country",
  "module",
  "attempt_id",
  "attempt_number",
  "quiz_version",
  "started_at",
  "submitted_at",
  "attempt_score",
  "attempt_passed",
  "question_id",
  "question",
  "answer_choice_ids",
  "answer_labels",
  "correct",
  "objectives",
  "answered_at",
] as const;

interface AttemptRow {
  id: string;
  module_slug: string;
  quiz_version: string;
  started_at: number;
  submitted_at: number | null;
  score: number | null;
  passed: number | null;
}
interface AnswerRow {
  attempt_id: string;
  module_slug: string;
  question_id: string;
  choice_ids: string;
  correct: number;
  objectives: string;
  answered_at: number;
}

// Plain indexed reads (the learner's attempts, then their answers), joined and ordered here: the
// per-row joins and sort of one SQL statement cost more than the CSV itself at millions of rows.
const learnerAttempts = (userId: string) =>
  prepared("export.learnerAttempts", () =>
    getSqlite().prepare(
      "select id, module_slug, quiz_version, started_at, submitted_at, score, passed from quiz_attempts where user_id = ? order by module_slug, submitted_at is null, submitted_at, started_at, id",
    ),
  ).all(userId) as AttemptRow[];
const learnerAnswers = (userId: string) =>
  prepared("export.learnerAnswers", () =>
    getSqlite().prepare(
      "select attempt_id, module_slug, question_id, choice_ids, correct, objectives, answered_at from quiz_answers where user_id = ?",
    ),
  ).all(userId) as AnswerRow[];

const isoAt = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const list = (json: string) => (JSON.parse(json) as string[]).join("; ");

function cohortLearners(cohortId: number) {
  return getDb()
    .select({ id: users.id, name: users.name, email: users.email, country: users.country })
    .from(cohortMemberships)
    .innerJoin(users, eq(users.id, cohortMemberships.userId))
    .where(and(eq(cohortMemberships.cohortId, cohortId), eq(cohortMemberships.role, "learner")))
    .orderBy(asc(users.name), asc(users.id))
    .all();
}

function* attemptCsvBatches(cohortId: number, size: number): Generator<unknown[][]> {
  const structure = loadStructure();
  const questionPosition = new Map<string, number>();
  for (const key of structure.questions.keys()) questionPosition.set(key, questionPosition.size);
  const modulePosition = (slug: string) => structure.modules.get(slug)?.position ?? Number.MAX_SAFE_INTEGER;
  const perLearner = function* () {
    for (const learner of cohortLearners(cohortId)) {
      // Submitted attempts are numbered per module in submission order; the query returns them so.
      const attempts = new Map<string, AttemptRow & { number: number | null; order: number }>();
      const counts = new Map<string, number>();
      for (const a of learnerAttempts(learner.id)) {
        let number: number | null = null;
        if (a.submitted_at !== null) {
          number = (counts.get(a.module_slug) ?? 0) + 1;
          counts.set(a.module_slug, number);
        }
        attempts.set(a.id, { ...a, number, order: attempts.size });
      }
      const rows = learnerAnswers(learner.id).map((a) => {
        const attempt = attempts.get(a.attempt_id);
        const key = `${a.module_slug}/${a.question_id}`;
        return { a, attempt, key, question: structure.questions.get(key) };
      });
      // Course order of modules (modules no longer published last, by slug), attempts in
      // submission order, questions in the quiz's order (removed questions last, by id).
      rows.sort(
        (x, y) =>
          modulePosition(x.a.module_slug) - modulePosition(y.a.module_slug) ||
          (x.a.module_slug < y.a.module_slug ? -1 : x.a.module_slug > y.a.module_slug ? 1 : 0) ||
          (x.attempt?.order ?? 0) - (y.attempt?.order ?? 0) ||
          (questionPosition.get(x.key) ?? Number.MAX_SAFE_INTEGER) - (questionPosition.get(y.key) ?? Number.MAX_SAFE_INTEGER) ||
          (x.a.question_id < y.a.question_id ? -1 : x.a.question_id > y.a.question_id ? 1 : 0),
      );
      yield rows.map(({ a, attempt, question }) => {
        const choiceIds = JSON.parse(a.choice_ids) as string[];
        const labels = question ? choiceIds.map((id) => question.choices.find((c) => c.id === id)?.label).filter((l) => l !== undefined) : [];
        return [
          learner.id,
          learner.name,
          learner.email,
          learner.country,
          a.module_slug,
          a.attempt_id,
          attempt?.number ?? null,
          attempt?.quiz_version ?? null,
          isoAt(attempt?.started_at ?? null),
          isoAt(attempt?.submitted_at ?? null),
          attempt?.score ?? null,
          attempt?.passed ?? null,
          a.question_id,
          question?.prompt ?? "",
          choiceIds.join("; "),
          labels.join("; "),
          a.correct,
          list(a.objectives),
          isoAt(a.answered_at),
        ];
      });
    }
  };
  yield* rebatch(perLearner(), size);
}

/**
 * One row per stored answer of the cohort's learners, ordered by learner (name), module (course
 * order), attempt and question. `module` is the module's slug (stable across content edits).
 */
export function attemptsCsv({ cohortId, batchSize = BATCH_SIZE }: { cohortId: number; batchSize?: number }): ReadableStream<Uint8Array> {
  return csvStream(ATTEMPTS_CSV_COLUMNS, () => attemptCsvBatches(cohortId, batchSize));
}

// ---- completion and mastery: the report's own queries, a page of learners at a time ------------

export const COMPLETION_CSV_COLUMNS = [
  "learner_id",
  "learner_name",
  "learner_email",
  "learner_country",
  "course_status",
  "course_progress",
  "time_on_task_minutes",
  "last_activity_at",
  "certificate",
  "module",
  "module_title",
  "module_status",
  "sections_read",
  "sections_total",
  "quiz_passed",
  "started_at",
  "completed_at",
] as const;

export const MASTERY_CSV_COLUMNS = [
  "learner_id",
  "learner_name",
  "learner_email",
  "learner_country",
  "objective",
  "objective_title",
  "correct",
  "answered",
  "score",
  "state",
] as const;

const REPORT_BATCH = 100;

const orders = new WeakMap<object, Map<string, number>>();
/** The learner's place in the page, so cells follow the learners' name order. */
function order(learners: { userId: string }[], userId: string): number {
  let map = orders.get(learners);
  if (!map) orders.set(learners, (map = new Map(learners.map((l, i) => [l.userId, i]))));
  return map.get(userId) ?? 0;
}

/**
 * The cohort's learners by name with their emails and countries (the report itself has neither),
 * read in one query and handed out a page at a time: the cells of each page are the next query.
 */
function* learnerPages(cohortId: number) {
  const identity = new Map(cohortLearners(cohortId).map((l) => [l.id, l]));
  const { rows } = learnerRows({ set: { cohortId }, sort: "name", pageSize: Number.MAX_SAFE_INTEGER });
  for (let i = 0; i < rows.length; i += REPORT_BATCH) {
    yield rows.slice(i, i + REPORT_BATCH).map((r) => {
      const learner = identity.get(r.userId);
      return { ...r, email: learner?.email ?? "", country: learner?.country ?? null };
    });
  }
}

/** One row per learner and module: the completion matrix, with the learner's course figures. */
export function completionCsv({ cohortId }: { cohortId: number }): ReadableStream<Uint8Array> {
  return csvStream(COMPLETION_CSV_COLUMNS, () => rebatch(completionRows(cohortId)));
}

function* completionRows(cohortId: number): Generator<unknown[][]> {
  const titles = new Map(reportColumns(cohortId).modules.map((m) => [m.slug, m.title]));
  for (const learners of learnerPages(cohortId)) {
    const byId = new Map(learners.map((l) => [l.userId, l]));
    yield moduleCells({ userIds: [...byId.keys()] })
      .sort((a, b) => order(learners, a.userId) - order(learners, b.userId))
      .map((c) => {
        const l = byId.get(c.userId)!;
        return [
          l.userId,
          l.name,
          l.email,
          l.country,
          l.status,
          l.progress,
          Math.round(l.timeOnTaskMs / 60_000),
          l.lastActivityAt,
          l.certificate ?? "",
          c.slug,
          titles.get(c.slug) ?? c.slug,
          c.status,
          c.sectionsRead,
          c.sectionsTotal,
          c.hasQuiz ? c.quizPassed : "",
          c.startedAt,
          c.completedAt,
        ];
      });
  }
}

/** One row per learner and objective: the mastery heatmap's numbers. */
export function masteryCsv({ cohortId }: { cohortId: number }): ReadableStream<Uint8Array> {
  return csvStream(MASTERY_CSV_COLUMNS, () => rebatch(masteryRows(cohortId)));
}

function* masteryRows(cohortId: number): Generator<unknown[][]> {
  const { objectives } = loadStructure();
  for (const learners of learnerPages(cohortId)) {
    const byId = new Map(learners.map((l) => [l.userId, l]));
    yield masteryCells({ userIds: [...byId.keys()] })
      .sort((a, b) => order(learners, a.userId) - order(learners, b.userId))
      .map((m) => {
        const l = byId.get(m.userId)!;
        return [l.userId, l.name, l.email, l.country, m.objectiveId, objectives.get(m.objectiveId) ?? m.objectiveId, m.correct, m.answered, m.value, m.state];
      });
  }
}

// ---- xAPI statements ---------------------------------------------------------------------------

const VERB = {
  experienced: "http://adlnet.gov/expapi/verbs/experienced",
  answered: "http://adlnet.gov/expapi/verbs/answered",
  passed: "http://adlnet.gov/expapi/verbs/passed",
  failed: "http://adlnet.gov/expapi/verbs/failed",
  completed: "http://adlnet.gov/expapi/verbs/completed",
} as const;

const ACTIVITY_TYPE = {
  course: "http://adlnet.gov/expapi/activities/course",
  module: "http://adlnet.gov/expapi/activities/module",
  section: "http://id.tincanapi.com/activitytype/section",
  assessment: "http://adlnet.gov/expapi/activities/assessment",
  interaction: "http://adlnet.gov/expapi/activities/cmi.interaction",
  objective: "http://adlnet.gov/expapi/activities/objective",
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
  };
  return {
    course: memo(built.course),
    module: memo(built.module),
    section: memo(built.section),
    quiz: memo(built.quiz),
    question: memo(built.question),
    objective: memo(built.objective),
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
 * (experienced), every answer (answered), every submitted attempt (passed/failed), every module
 * completion, then every unrevoked certificate (completed the course); each kind learner by
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

// ---- the learner's own data --------------------------------------------------------------------

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Everything stored about one learner, as plain JSON. Secrets are left out: the password hash,
 * session ids and the hashes of reset links and trusted devices.
 */
export function learnerExport({ userId }: { userId: string }) {
  const db = getDb();
  const user = db.select().from(users).where(eq(users.id, userId)).get();
  if (!user) return undefined;
  const answersByAttempt = new Map<string, (typeof quizAnswers.$inferSelect)[]>();
  for (const a of db.select().from(quizAnswers).where(eq(quizAnswers.userId, userId)).orderBy(asc(quizAnswers.answeredAt)).all()) {
    const list = answersByAttempt.get(a.attemptId) ?? [];
    list.push(a);
    answersByAttempt.set(a.attemptId, list);
  }
  const certificate = db.select().from(certificates).where(eq(certificates.userId, userId)).get();
  return {
    exportedAt: new Date().toISOString(),
    account: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      country: user.country,
      hasPassword: user.passwordHash !== null,
      isDemo: user.isDemo,
      deactivatedAt: iso(user.deactivatedAt),
      createdAt: iso(user.createdAt),
    },
    memberships: db
      .select({ cohortId: cohorts.id, cohortSlug: cohorts.slug, cohortName: cohorts.name, edition: cohorts.edition, role: cohortMemberships.role, joinedAt: cohortMemberships.createdAt })
      .from(cohortMemberships)
      .innerJoin(cohorts, eq(cohorts.id, cohortMemberships.cohortId))
      .where(eq(cohortMemberships.userId, userId))
      .all()
      .map((m) => ({ ...m, joinedAt: iso(m.joinedAt) })),
    invitationsUsed: db
      .select({ cohortId: invitations.cohortId, role: invitations.role, email: invitations.email, createdAt: invitations.createdAt, usedAt: invitations.usedAt })
      .from(invitations)
      .where(eq(invitations.usedBy, userId))
      .all()
      .map((i) => ({ ...i, createdAt: iso(i.createdAt), usedAt: iso(i.usedAt) })),
    sessions: db
      .select({ expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .all()
      .map((s) => ({ expiresAt: new Date(s.expiresAt * 1000).toISOString() })),
    sectionReads: db
      .select()
      .from(sectionReads)
      .where(eq(sectionReads.userId, userId))
      .orderBy(asc(sectionReads.readAt))
      .all()
      .map((r) => ({ moduleSlug: r.moduleSlug, sectionId: r.sectionId, readAt: iso(r.readAt) })),
    sectionVisits: db
      .select()
      .from(sectionVisits)
      .where(eq(sectionVisits.userId, userId))
      .orderBy(asc(sectionVisits.at), asc(sectionVisits.id))
      .all()
      .map((v) => ({ moduleSlug: v.moduleSlug, sectionId: v.sectionId, at: iso(v.at) })),
    attempts: db
      .select()
      .from(quizAttempts)
      .where(eq(quizAttempts.userId, userId))
      .orderBy(asc(quizAttempts.startedAt), asc(quizAttempts.id))
      .all()
      .map((a) => ({
        id: a.id,
        moduleSlug: a.moduleSlug,
        quizVersion: a.quizVersion,
        questionOrder: a.questionOrder,
        startedAt: iso(a.startedAt),
        submittedAt: iso(a.submittedAt),
        correctCount: a.correctCount,
        questionCount: a.questionCount,
        score: a.score,
        passed: a.passed,
        answers: (answersByAttempt.get(a.id) ?? []).map((x) => ({
          questionId: x.questionId,
          choiceIds: x.choiceIds,
          correct: x.correct,
          objectives: x.objectives,
          quizVersion: x.quizVersion,
          answeredAt: iso(x.answeredAt),
        })),
      })),
    attemptGrants: db
      .select({ moduleSlug: attemptGrants.moduleSlug, extra: attemptGrants.extra })
      .from(attemptGrants)
      .where(eq(attemptGrants.userId, userId))
      .all(),
    moduleCompletions: db
      .select()
      .from(moduleCompletions)
      .where(eq(moduleCompletions.userId, userId))
      .orderBy(asc(moduleCompletions.completedAt))
      .all()
      .map((c) => ({ moduleSlug: c.moduleSlug, completedAt: iso(c.completedAt) })),
    certificate: certificate
      ? {
          code: certificate.code,
          learnerName: certificate.learnerName,
          courseTitle: certificate.courseTitle,
          completedAt: iso(certificate.completedAt),
          objectivesMastered: certificate.objectivesMastered,
          revokedAt: iso(certificate.revokedAt),
        }
      : null,
    auditEntries: db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectId, userId))
      .orderBy(asc(auditLog.at), asc(auditLog.id))
      .all()
      .map((e) => ({ at: iso(e.at), actorName: e.actorName, cohortId: e.cohortId, action: e.action, subjectName: e.subjectName, detail: e.detail })),
  };
}

export type LearnerExport = NonNullable<ReturnType<typeof learnerExport>>;
