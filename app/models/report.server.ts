// Every figure of the progress and mastery reports, as set-based SQL over a set of learners: a
// cohort, a page of it, or one learner. The learner's own pages call the same functions with a set
// of one, so a coordinator and a learner can never see different numbers.
import { sql, type SQL } from "drizzle-orm";
import { getModule } from "~/content/course.server";
import { cachedAll, cachedGet, getDb } from "~/db/client.server";
import type { MasteryState } from "~/lib/mastery";
import {
  activeSince,
  exerciseStatusSql,
  learnerEditionJoin,
  learnerExerciseJoin,
  masteryState,
  masteryStateSql,
  masteryThresholdSql,
  type ExerciseStatus,
} from "./figures.server";
import { reviewBacklog } from "./exercise-report.server";
import { ensureCourseStructure } from "./structure.server";

export type LearnerSet = { cohortId: number } | { userIds: string[] };
export type ModuleStatus = "not-started" | "in-progress" | "completed";
export type LearnerStatus = ModuleStatus;
export type { MasteryState };
export type LearnerFilter = "all" | "not-started" | "in-progress" | "completed" | "inactive";
export type LearnerSort = "name" | "progress" | "activity";

export const LEARNER_FILTERS: LearnerFilter[] = ["all", "not-started", "in-progress", "completed", "inactive"];
export const LEARNER_SORTS: LearnerSort[] = ["name", "progress", "activity"];
export const REPORT_PAGE_SIZE = 50;

function setWhere(set: LearnerSet): SQL {
  if ("cohortId" in set) return sql`m.cohort_id = ${set.cohortId}`;
  if (set.userIds.length === 0) return sql`0`;
  return sql`u.id in (${sql.join(
    set.userIds.map((id) => sql`${id}`),
    sql`, `,
  )})`;
}

/**
 * learners(user_id, name, deactivated_at, edition, total_units): the set, with the edition whose
 * sections they read and the number of units (sections + quizzes) their course has.
 */
function learnersCte(set: LearnerSet): SQL {
  const join = "cohortId" in set ? sql`join` : sql`left join`;
  const { joins, edition } = learnerEditionJoin(sql`u.id`);
  return sql`units as materialized (
      select e.edition, (select count(*) from course_sections s where s.edition = e.edition)
        + (select count(*) from course_modules where quiz_version is not null)
        + (select count(*) from course_exercises x where x.edition = e.edition and x.required) as total_units
      from (select '' as edition union all select id from course_editions) e
    ),
    learners as materialized (
      select u.id as user_id, u.name, u.deactivated_at, units.edition, units.total_units
      from users u
      ${join} cohort_memberships m on m.user_id = u.id and m.role = 'learner'
      ${joins}
      join units on units.edition = ${edition}
      where ${setWhere(set)}
    )`;
}

/**
 * Per learner: progress, time on task, last activity and overall status, as SQL columns. Only
 * stored records count: the same data gives the same figures whenever they are read.
 */
function learnerStatsCte(): SQL {
  return sql`stats as materialized (
    select l.user_id, l.name, l.deactivated_at,
      coalesce(st.units_done, 0) * 1.0 / max(l.total_units, 1) as progress,
      coalesce(st.time_on_task_ms, 0) as time_ms,
      st.last_activity_at,
      cert.completed_at as certified_at, cert.revoked_at as certificate_revoked_at,
      case when cert.user_id is not null then 'completed'
           when st.last_activity_at is not null then 'in-progress'
           else 'not-started' end as status
    from learners l
    left join learner_stats st on st.user_id = l.user_id
    left join certificates cert on cert.user_id = l.user_id
  )`;
}

export interface CohortSummary {
  enrolled: number;
  active: number;
  completed: number;
  notStarted: number;
  medianProgress: number | null;
  medianTimeMs: number | null;
}

/** The figures above the cohort report, over every learner of the cohort. */
export function cohortSummary(cohortId: number, now = Date.now()): CohortSummary {
  ensureCourseStructure();
  const since = activeSince(now);
  const median = (column: string) => sql`(select avg(${sql.raw(column)}) from (
      select ${sql.raw(column)} from stats order by ${sql.raw(column)}
      limit 2 - (select count(*) from stats) % 2 offset ((select count(*) from stats) - 1) / 2))`;
  const row = getDb().get<{
    enrolled: number;
    active: number;
    completed: number;
    not_started: number;
    median_progress: number | null;
    median_time: number | null;
  }>(sql`with ${learnersCte({ cohortId })}, ${learnerStatsCte()}
    select count(*) as enrolled,
      coalesce(sum(last_activity_at >= ${since}), 0) as active,
      coalesce(sum(status = 'completed'), 0) as completed,
      coalesce(sum(status = 'not-started'), 0) as not_started,
      ${median("progress")} as median_progress,
      ${median("time_ms")} as median_time
    from stats`);
  return {
    enrolled: row?.enrolled ?? 0,
    active: row?.active ?? 0,
    completed: row?.completed ?? 0,
    notStarted: row?.not_started ?? 0,
    medianProgress: row?.median_progress ?? null,
    medianTimeMs: row?.median_time ?? null,
  };
}

export interface LearnerRow {
  userId: string;
  name: string;
  deactivated: boolean;
  status: LearnerStatus;
  /**
   * 0..1: (sections read + quizzes passed + required exercises done) / (sections + quizzes +
   * required exercises), completed modules counted whole.
   */
  progress: number;
  timeOnTaskMs: number;
  lastActivityAt: Date | null;
  certificate: "valid" | "revoked" | null;
  certifiedAt: Date | null;
}

function filterWhere(filter: LearnerFilter, now: number): SQL {
  const since = activeSince(now);
  switch (filter) {
    case "all":
      return sql`1`;
    case "inactive":
      return sql`status = 'in-progress' and last_activity_at < ${since}`;
    default:
      return sql`status = ${filter}`;
  }
}

function orderBy(sort: LearnerSort, dir: "asc" | "desc"): SQL {
  const d = sql.raw(dir);
  switch (sort) {
    case "progress":
      return sql`progress ${d}, name collate nocase, user_id`;
    case "activity":
      // Never-active learners sort as the least recent.
      return sql`coalesce(last_activity_at, 0) ${d}, name collate nocase, user_id`;
    default:
      return sql`name collate nocase ${d}, user_id`;
  }
}

/** A page of learners of the set, filtered and sorted; total counts the filtered learners. */
export function learnerRows({
  set,
  filter = "all",
  sort = "name",
  dir = "asc",
  page = 1,
  pageSize = REPORT_PAGE_SIZE,
  now = Date.now(),
}: {
  set: LearnerSet;
  filter?: LearnerFilter;
  sort?: LearnerSort;
  dir?: "asc" | "desc";
  page?: number;
  pageSize?: number;
  now?: number;
}): { total: number; rows: LearnerRow[] } {
  ensureCourseStructure();
  const rows = cachedAll<{
    user_id: string;
    name: string;
    deactivated_at: number | null;
    status: LearnerStatus;
    progress: number;
    time_ms: number;
    last_activity_at: number | null;
    certified_at: number | null;
    certificate_revoked_at: number | null;
    total: number;
  }>(sql`with ${learnersCte(set)}, ${learnerStatsCte()}
    select *, count(*) over () as total from stats where ${filterWhere(filter, now)}
    order by ${orderBy(sort, dir)}
    limit ${pageSize} offset ${(Math.max(1, page) - 1) * pageSize}`);
  return {
    total: rows[0]?.total ?? (page > 1 ? learnerRows({ set, filter, sort, dir, page: 1, pageSize: 1, now }).total : 0),
    rows: rows.map((r) => ({
      userId: r.user_id,
      name: r.name,
      deactivated: r.deactivated_at !== null,
      status: r.status,
      progress: r.progress,
      timeOnTaskMs: r.time_ms,
      lastActivityAt: r.last_activity_at === null ? null : new Date(r.last_activity_at),
      certificate: r.certified_at === null ? null : r.certificate_revoked_at === null ? "valid" : "revoked",
      certifiedAt: r.certified_at === null ? null : new Date(r.certified_at),
    })),
  };
}

/** One learner's row of learnerRows (the same figures), without the paging: their dashboard's. */
export function learnerFigures(userId: string): Pick<LearnerRow, "progress" | "timeOnTaskMs" | "certifiedAt"> | undefined {
  ensureCourseStructure();
  const row = cachedGet<{ progress: number; time_ms: number; certified_at: number | null }>(
    sql`with ${learnersCte({ userIds: [userId] })}, ${learnerStatsCte()} select progress, time_ms, certified_at from stats`,
  );
  return row && { progress: row.progress, timeOnTaskMs: row.time_ms, certifiedAt: row.certified_at === null ? null : new Date(row.certified_at) };
}

export interface ModuleCell {
  userId: string;
  slug: string;
  status: ModuleStatus;
  sectionsRead: number;
  sectionsTotal: number;
  hasQuiz: boolean;
  quizPassed: boolean;
  /** The exercise the learner's edition has for the module, or null. */
  exercise: { required: boolean; status: ExerciseStatus; done: boolean } | null;
  startedAt: Date | null;
  lastActivityAt: Date | null;
  completedAt: Date | null;
}

/** The completion matrix: one cell per learner of the set and module of the course, in course order. */
export function moduleCells(set: LearnerSet): ModuleCell[] {
  ensureCourseStructure();
  return cachedAll<{
      user_id: string;
      slug: string;
      sections_read: number;
      sections_total: number;
      has_quiz: number;
      quiz_passed: number;
      started_at: number | null;
      last_activity_at: number | null;
      completed_at: number | null;
      started: number;
      exercise_required: number | null;
      exercise_status: ExerciseStatus;
      exercise_done: number;
    }>(
      sql`with ${learnersCte(set)}
      select l.user_id, cm.slug,
        coalesce(lm.sections_read, 0) as sections_read,
        (select count(*) from course_sections s where s.edition = l.edition and s.module_slug = cm.slug) as sections_total,
        cm.quiz_version is not null as has_quiz,
        coalesce(lm.quiz_passed, 0) as quiz_passed,
        lm.started_at, lm.last_activity_at, mc.completed_at,
        lm.user_id is not null as started,
        x.required as exercise_required, ${exerciseStatusSql("xs")} as exercise_status, coalesce(lm.exercise_done, 0) as exercise_done
      from learners l
      cross join course_modules cm
      left join learner_modules lm on lm.user_id = l.user_id and lm.module_slug = cm.slug
      left join module_completions mc on mc.user_id = l.user_id and mc.module_slug = cm.slug
      ${learnerExerciseJoin("x", sql`l.edition`, sql`cm.slug`)}
      left join exercise_submissions xs on xs.user_id = l.user_id and xs.module_slug = cm.slug
      order by l.user_id, cm.position`,
    )
    .map((r) => ({
      userId: r.user_id,
      slug: r.slug,
      status: r.completed_at !== null ? "completed" : r.started ? "in-progress" : "not-started",
      sectionsRead: r.sections_read,
      sectionsTotal: r.sections_total,
      hasQuiz: Boolean(r.has_quiz),
      quizPassed: Boolean(r.quiz_passed),
      exercise:
        r.exercise_required === null ? null : { required: Boolean(r.exercise_required), status: r.exercise_status, done: Boolean(r.exercise_done) },
      startedAt: r.started_at === null ? null : new Date(r.started_at),
      lastActivityAt: r.last_activity_at === null ? null : new Date(r.last_activity_at),
      completedAt: r.completed_at === null ? null : new Date(r.completed_at),
    }));
}

export interface MasteryCell {
  userId: string;
  objectiveId: string;
  /** The evidence's worth added up: quiz answers 0 or 1, criterion results level ÷ highest level. */
  correct: number;
  /** Pieces of evidence: latest quiz answers and exercise criterion results. */
  answered: number;
  /** Of those, criterion results of practical exercises: the objective was shown in practice. */
  practical: number;
  /** correct / answered, or null when nothing was answered. */
  value: number | null;
  state: MasteryState;
  /** Questions and rubric criteria of the current course (in the learner's edition) aligned with the objective. */
  aligned: number;
}

/**
 * Per edition ('' the standard one) and objective: the pieces of evidence of the current course a
 * learner of that edition can give for it: the questions they can meet (the base questions and the
 * edition's own) and the rubric criteria of the exercises they do, aligned with the objective.
 */
function alignedCte(): SQL {
  // Materialized: flattened into a join, its subqueries would run again for every learner's row.
  return sql`aligned as materialized (
      select e.edition, o.id, o.position,
        (select count(*) from course_question_objectives qo
          join course_questions cq on cq.module_slug = qo.module_slug and cq.question_id = qo.question_id
          where qo.objective_id = o.id and cq.edition in ('', e.edition))
        + (select count(*) from course_criterion_objectives co
          join course_exercises x on x.exercise_edition = co.exercise_edition and x.module_slug = co.module_slug
          where x.edition = e.edition and co.objective_id = o.id) as n
      from (select '' as edition union all select id from course_editions) e
      cross join course_objectives o)`;
}

/**
 * Mastery over each learner's latest answer to every question of the current course, counted
 * toward the question's objectives, by the rule of figures.server (masteryState).
 */
export function masteryCells(set: LearnerSet): MasteryCell[] {
  ensureCourseStructure();
  return getDb()
    .all<{ user_id: string; objective_id: string; correct: number; answered: number; practical: number; aligned: number; threshold: number }>(
      sql`with ${learnersCte(set)},
      ${alignedCte()}
      select l.user_id, a.id as objective_id, coalesce(lo.correct, 0) as correct, coalesce(lo.answered, 0) as answered,
        coalesce(lo.practical, 0) as practical, a.n as aligned, ${masteryThresholdSql} as threshold
      from learners l
      join aligned a on a.edition = l.edition
      left join learner_objectives lo on lo.user_id = l.user_id and lo.objective_id = a.id
      order by l.user_id, a.position`,
    )
    .map((r) => ({
      userId: r.user_id,
      objectiveId: r.objective_id,
      correct: r.correct,
      answered: r.answered,
      practical: r.practical,
      value: r.answered ? r.correct / r.answered : null,
      state: masteryState(r),
      aligned: r.aligned,
    }));
}

export interface CohortObjective {
  objectiveId: string;
  title: string;
  learners: number;
  mastered: number;
  notYet: number;
  notAssessed: number;
  /** Mean of the assessed learners' percentages, or null when nobody was assessed. */
  meanValue: number | null;
  /** Learners who showed the objective in a practical exercise (a criterion result aligned with it). */
  practical: number;
}

/** Cohort-level mastery per objective, over every learner of the cohort. */
export function cohortMastery(cohortId: number): CohortObjective[] {
  ensureCourseStructure();
  return getDb()
    .all<{ objective_id: string; title: string; learners: number; mastered: number; assessed: number; mean_value: number | null; practical: number }>(
      sql`with ${learnersCte({ cohortId })},
      ${alignedCte()},
      assessed as (
        select lo.objective_id,
          sum(${masteryStateSql({
            correct: sql`lo.correct`,
            answered: sql`lo.answered`,
            aligned: sql`a.n`,
            threshold: masteryThresholdSql,
          })} = 'mastered') as mastered,
          count(*) as assessed,
          avg(lo.correct * 1.0 / lo.answered) as mean_value,
          sum(lo.practical > 0) as practical
        from learners l
        join learner_objectives lo on lo.user_id = l.user_id and lo.answered > 0
        join aligned a on a.edition = l.edition and a.id = lo.objective_id
        group by lo.objective_id)
      select o.id as objective_id, o.title, (select count(*) from learners) as learners,
        coalesce(x.mastered, 0) as mastered, coalesce(x.assessed, 0) as assessed, x.mean_value, coalesce(x.practical, 0) as practical
      from course_objectives o left join assessed x on x.objective_id = o.id
      order by o.position`,
    )
    .map((r) => ({
      objectiveId: r.objective_id,
      title: r.title,
      learners: r.learners,
      mastered: r.mastered,
      notYet: r.assessed - r.mastered,
      notAssessed: r.learners - r.assessed,
      meanValue: r.mean_value,
      practical: r.practical,
    }));
}

export interface CohortReportQuery {
  filter: LearnerFilter;
  sort: LearnerSort;
  dir: "asc" | "desc";
  page: number;
}

function byLearner<T extends { userId: string }>(items: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(item.userId);
    if (list) list.push(item);
    else map.set(item.userId, [item]);
  }
  return map;
}

/**
 * The modules and objectives the reports' columns follow, in course order, and the mastery threshold.
 * Modules are named as the cohort's edition names them, as its learners see them.
 */
export function reportColumns(cohortId: number) {
  const db = getDb();
  const edition = db.get<{ edition: string | null }>(sql`select edition from cohorts where id = ${cohortId}`)?.edition ?? null;
  const modules = db.all<{ slug: string; title: string; position: number }>(sql`select slug, title, position from course_modules order by position`);
  return {
    modules: modules.map((m) => ({ ...m, title: getModule(m.slug, edition)?.title ?? m.title })),
    objectives: db.all<{ id: string; title: string }>(sql`select id, title from course_objectives order by position`),
    threshold: db.get<{ t: number }>(sql`select ${masteryThresholdSql} as t`)?.t ?? 0,
  };
}

/** Everything the cohort report page shows: summaries over the whole cohort, matrices for one page. */
export function cohortReport(cohortId: number, query: CohortReportQuery, now = Date.now()) {
  ensureCourseStructure();
  const learners = learnerRows({ set: { cohortId }, ...query, now });
  const page = { userIds: learners.rows.map((r) => r.userId) };
  const cells = byLearner(moduleCells(page));
  const mastery = byLearner(masteryCells(page));
  return {
    summary: cohortSummary(cohortId, now),
    total: learners.total,
    pages: Math.max(1, Math.ceil(learners.total / REPORT_PAGE_SIZE)),
    rows: learners.rows.map((r) => ({ ...r, modules: cells.get(r.userId) ?? [], mastery: mastery.get(r.userId) ?? [] })),
    ...reportColumns(cohortId),
    cohortMastery: cohortMastery(cohortId),
    backlog: reviewBacklog(cohortId),
  };
}

/**
 * The printed report: the same figures as the page, with the completion of every learner of the
 * cohort (not one page of them), by name.
 */
export function cohortPrintReport(cohortId: number, now = Date.now()) {
  ensureCourseStructure();
  const set = { cohortId };
  const learners = learnerRows({ set, pageSize: Number.MAX_SAFE_INTEGER, now });
  const cells = byLearner(moduleCells(set));
  const { modules, objectives } = reportColumns(cohortId);
  return {
    summary: cohortSummary(cohortId, now),
    modules,
    objectives,
    cohortMastery: cohortMastery(cohortId),
    backlog: reviewBacklog(cohortId),
    rows: learners.rows.map((r) => ({ ...r, modules: cells.get(r.userId) ?? [] })),
  };
}
