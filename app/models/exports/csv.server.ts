// The cohort's CSV exports: attempts (one row per stored answer), completion (learner × module),
// mastery (learner × objective) and exercises (learner × criterion of each submitted exercise).
// Conventions of every CSV are in app/lib/csv.server.ts.
import { getDb, getSqlite, prepared } from "~/db/client.server";
import { BATCH_SIZE, csvStream, rebatch } from "~/lib/csv.server";
import { sql } from "drizzle-orm";
import { submittedExercises } from "~/models/exercise-report.server";
import { learnerRows, masteryCells, moduleCells, reportColumns } from "~/models/report.server";
import { cohortLearners, loadStructure, type AnswerRow } from "./structure.server";

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
  /** Of the evidence counted in `answered`, the criterion results of practical exercises. */
  "practical",
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
        return [l.userId, l.name, l.email, l.country, m.objectiveId, objectives.get(m.objectiveId) ?? m.objectiveId, m.correct, m.answered, m.value, m.state, m.practical];
      });
  }
}

// ---- exercises CSV ---------------------------------------------------------------------------------

/** The columns before the peers' levels and after them; peer_1…peer_N sit between. */
const EXERCISES_CSV_HEAD = [
  "learner_id",
  "learner_name",
  "learner_email",
  "learner_country",
  "module",
  "exercise_edition",
  "exercise_version",
  "submitted_at",
  "criterion",
  "criterion_title",
  "objectives",
  "self_level",
] as const;
const EXERCISES_CSV_TAIL = ["instructor_level", "result", "max_score", "result_source"] as const;

/**
 * How many peer columns exercises.csv has: the most peer reviews any exercise of the course asks
 * for, or more when a submission of the cohort has more counted reviews (one finished after its
 * hold ran out still counts), so that no level is ever left out and the header is known up front.
 */
function peerColumns(cohortId: number): number {
  const row = getDb().get<{ required: number | null; given: number | null }>(sql`
    select (select max(peers) from course_exercises) as required,
      (select max(n) from (select count(*) as n from exercise_reviews r
        join exercise_submissions s on s.id = r.submission_id
        join cohort_memberships m on m.user_id = s.user_id and m.role = 'learner' and m.cohort_id = ${cohortId}
        where r.kind = 'peer' and r.completed_at is not null and r.removed_at is null and s.submitted_at is not null
        group by r.submission_id)) as given`);
  return Math.max(row?.required ?? 0, row?.given ?? 0);
}

export function exercisesCsvColumns(peers: number): string[] {
  return [...EXERCISES_CSV_HEAD, ...Array.from({ length: peers }, (_, i) => `peer_${i + 1}_level`), ...EXERCISES_CSV_TAIL];
}

/**
 * One row per learner of the cohort (by name) and criterion of each exercise they submitted
 * (modules in course order, criteria in the rubric's order): their own level, each counted peer
 * review's level (anonymous, in the order given), the instructor's, and the result that counts
 * toward mastery with where it came from. Levels not given yet are empty.
 */
export function exercisesCsv({ cohortId }: { cohortId: number }): ReadableStream<Uint8Array> {
  const peers = peerColumns(cohortId);
  return csvStream(exercisesCsvColumns(peers), () => rebatch(exerciseRows(cohortId, peers)));
}

function* exerciseRows(cohortId: number, peers: number): Generator<unknown[][]> {
  for (const learners of learnerPages(cohortId)) {
    const byId = new Map(learners.map((l) => [l.userId, l]));
    yield submittedExercises([...byId.keys()])
      .sort((a, b) => order(learners, a.userId) - order(learners, b.userId))
      .flatMap((x) => {
        const l = byId.get(x.userId)!;
        return x.criteria.map((c) => [
          l.userId,
          l.name,
          l.email,
          l.country,
          x.slug,
          x.edition,
          x.version,
          x.submittedAt,
          c.criterionId,
          c.criterion,
          c.objectives.join("; "),
          c.self,
          ...Array.from({ length: peers }, (_, i) => c.peers[i] ?? null),
          c.instructor,
          c.result,
          c.maxScore,
          c.source ?? "",
        ]);
      });
  }
}
