// The roll-ups (learner_modules, learner_stats, latest_answers, learner_objectives) are derived
// from the raw records by the set-based SQL below: for one learner inside each write, for everyone
// when the course structure changes. Reports read them instead of scanning millions of answers.
import { sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { getSqlite, prepared } from "~/db/client.server";
import { VISIT_CAP_MS } from "~/lib/rules";
import { criterionResultsCte, learnerEditionJoin } from "./figures.server";
import type { Queryable } from "./user.server";

/**
 * Part of the course structure's fingerprint: raise it when a rule below changes, and every
 * database rebuilds its roll-ups under the new rule once, at the next start.
 */
export const ROLLUP_RULES_VERSION = 4;

function userFilter(column: SQL, users: "all" | string[]): SQL {
  if (users === "all") return sql`1`;
  if (users.length === 0) return sql`0`;
  return sql`${column} in (${sql.join(
    users.map((u) => sql`${u}`),
    sql`, `,
  )})`;
}

/** Each user and the edition they read ('' when standard or no longer published). */
function learnerEditionCte(f: Filter): SQL {
  const { joins, edition } = learnerEditionJoin(sql`u.id`);
  return sql`learner_edition as (
    select u.id as user_id, ${edition} as edition
    from users u ${joins}
    where ${f("u.id")}
  )`;
}

/** Selects the rows of the users being rebuilt, given the name of a user id column. */
type Filter = (column: string) => SQL;

/** Atomic: a writer in another process never sees (or slips rows into) a half-rebuilt roll-up. */
export function rebuildRollups(q: Queryable, users: "all" | string[]): void {
  if (users !== "all" && users.length === 1) {
    // After every write of a learner: the same statements, prepared once with the user as a
    // parameter (preparing them was most of a quiz submission's time).
    const statements = prepared("rebuildOneLearner", () =>
      rebuildStatements((column) => sql.raw(`${column} = @userId`)).map((statement) => {
        const query = dialect.sqlToQuery(statement);
        return { statement: getSqlite().prepare(query.sql), params: query.params };
      }),
    );
    const userId = users[0]!;
    getSqlite()
      .transaction(() => {
        for (const { statement, params } of statements) statement.run(...params, { userId });
      })
      .immediate();
    return;
  }
  const statements = rebuildStatements((column) => userFilter(sql.raw(column), users));
  q.transaction((tx) => statements.forEach((statement) => tx.run(statement)), { behavior: "immediate" });
}

const dialect = new SQLiteSyncDialect();

/** The rebuild in order: each roll-up's rows of the filtered users deleted, then derived again. */
function rebuildStatements(f: Filter): SQL[] {
  const never = sql.raw("9000000000000000");
  const statements: SQL[] = [];

  statements.push(sql`delete from learner_modules where ${f("user_id")}`);
  statements.push(sql`
    with ${learnerEditionCte(f)},
    v as (select user_id, module_slug, min(at) as first_at, max(at) as last_at
          from section_visits where ${f("user_id")} group by user_id, module_slug),
    vl as (select user_id, module_slug, section_id, max(at)
           from section_visits where ${f("user_id")} group by user_id, module_slug),
    r as (select sr.user_id, sr.module_slug, min(sr.read_at) as first_at, max(sr.read_at) as last_at, count(cs.section_id) as n
          from section_reads sr
          join learner_edition le on le.user_id = sr.user_id
          left join course_sections cs on cs.edition = le.edition and cs.module_slug = sr.module_slug and cs.section_id = sr.section_id
          where ${f("sr.user_id")} group by sr.user_id, sr.module_slug),
    a as (select user_id, module_slug, min(submitted_at) as first_at, max(submitted_at) as last_at, max(passed) as passed
          from quiz_attempts where submitted_at is not null and ${f("user_id")} group by user_id, module_slug),
    -- The exercise counts as done once submitted and, when its exercise asks for it, self-assessed.
    x as (select s.user_id, s.module_slug, s.created_at as first_at, max(s.updated_at, coalesce(s.submitted_at, 0)) as last_at,
            s.submitted_at is not null and (not coalesce(ce.self_review, 0) or exists (
              select 1 from exercise_reviews sr where sr.submission_id = s.id and sr.kind = 'self' and sr.completed_at is not null)) as done
          from exercise_submissions s
          left join course_exercises ce on ce.edition = s.edition and ce.module_slug = s.module_slug
          where ${f("s.user_id")}),
    k as (select user_id, module_slug from v union select user_id, module_slug from r union select user_id, module_slug from a
          union select user_id, module_slug from x)
    insert into learner_modules (user_id, module_slug, started_at, last_activity_at, last_section_id, sections_read, quiz_passed, exercise_done)
    select k.user_id, k.module_slug,
      nullif(min(coalesce(v.first_at, ${never}), coalesce(r.first_at, ${never}), coalesce(a.first_at, ${never}), coalesce(x.first_at, ${never})), ${never}),
      nullif(max(coalesce(v.last_at, 0), coalesce(r.last_at, 0), coalesce(a.last_at, 0), coalesce(x.last_at, 0)), 0),
      vl.section_id, coalesce(r.n, 0), coalesce(a.passed, 0), coalesce(x.done, 0)
    from k
    left join v on v.user_id = k.user_id and v.module_slug = k.module_slug
    left join vl on vl.user_id = k.user_id and vl.module_slug = k.module_slug
    left join r on r.user_id = k.user_id and r.module_slug = k.module_slug
    left join a on a.user_id = k.user_id and a.module_slug = k.module_slug
    left join x on x.user_id = k.user_id and x.module_slug = k.module_slug`);

  statements.push(sql`delete from learner_stats where ${f("user_id")}`);
  statements.push(sql`
    with ${learnerEditionCte(f)},
    events as (select user_id, at, 1 as visit from section_visits where ${f("user_id")}
               union all select user_id, read_at, 0 from section_reads where ${f("user_id")}
               union all select user_id, submitted_at, 0 from quiz_attempts where submitted_at is not null and ${f("user_id")}),
    gaps as (select user_id, at, visit, lead(at) over (partition by user_id order by at, visit) as next_at from events),
    tt as (select user_id, sum(case when visit and next_at is not null then min(next_at - at, ${VISIT_CAP_MS}) else 0 end) as ms,
             max(case when visit then at end) as last_visit
           from gaps group by user_id)
    insert into learner_stats (user_id, units_done, modules_completed, time_on_task_ms, last_visit_at, last_activity_at)
    select le.user_id,
      coalesce((select sum(case when mc.completed_at is not null
                                  then (select count(*) from course_sections cs where cs.edition = le.edition and cs.module_slug = cm.slug)
                                    + (cm.quiz_version is not null) + coalesce(ce.required, 0)
                                else coalesce(lm.sections_read, 0) + coalesce(lm.quiz_passed, 0)
                                  + (coalesce(lm.exercise_done, 0) and coalesce(ce.required, 0)) end)
                from course_modules cm
                left join learner_modules lm on lm.user_id = le.user_id and lm.module_slug = cm.slug
                left join module_completions mc on mc.user_id = le.user_id and mc.module_slug = cm.slug
                left join course_exercises ce on ce.edition = le.edition and ce.module_slug = cm.slug), 0),
      (select count(*) from module_completions mc join course_modules cm on cm.slug = mc.module_slug where mc.user_id = le.user_id),
      coalesce(tt.ms, 0), tt.last_visit,
      (select max(last_activity_at) from learner_modules lm where lm.user_id = le.user_id)
    from learner_edition le left join tt on tt.user_id = le.user_id`);

  statements.push(sql`delete from latest_answers where ${f("user_id")}`);
  // SQLite takes the bare columns of a max() aggregate from the row holding the maximum.
  statements.push(sql`
    insert into latest_answers (user_id, module_slug, question_id, correct, answered_at)
    select user_id, module_slug, question_id, correct, max(answered_at)
    from quiz_answers where ${f("user_id")} group by user_id, module_slug, question_id`);

  statements.push(sql`delete from exercise_results where ${f("user_id")}`);
  statements.push(sql`
    with ${criterionResultsCte(f("s.user_id"))}
    insert into exercise_results (submission_id, user_id, module_slug, criterion_id, score, max_score, source)
    select submission_id, user_id, module_slug, criterion_id, score, max_score, source from criterion_results`);

  statements.push(sql`delete from exercise_progress where ${f("user_id")}`);
  statements.push(sql`
    insert into exercise_progress (submission_id, user_id, module_slug, peers_needed, peer_reviews, instructor_needed, instructor_done, reviewed)
    select s.id, s.user_id, s.module_slug, coalesce(ce.peers, 0),
      (select count(*) from exercise_reviews r where r.submission_id = s.id and r.kind = 'peer'
        and r.completed_at is not null and r.removed_at is null),
      coalesce(ce.instructor_review, 0),
      exists (select 1 from exercise_reviews r where r.submission_id = s.id and r.kind = 'instructor'
        and r.completed_at is not null and r.removed_at is null),
      exists (select 1 from exercise_results er where er.submission_id = s.id)
    from exercise_submissions s
    left join course_exercises ce on ce.edition = s.edition and ce.module_slug = s.module_slug
    where s.submitted_at is not null and ${f("s.user_id")}`);

  // Each latest quiz answer is worth 0 or 1, each criterion result its level ÷ the highest level.
  statements.push(sql`delete from learner_objectives where ${f("user_id")}`);
  statements.push(sql`
    insert into learner_objectives (user_id, objective_id, correct, answered, practical)
    select user_id, objective_id, sum(worth), count(*), sum(practical) from (
      select la.user_id, qo.objective_id, la.correct * 1.0 as worth, 0 as practical
      from latest_answers la
      join course_question_objectives qo on qo.module_slug = la.module_slug and qo.question_id = la.question_id
      where ${f("la.user_id")}
      union all
      select er.user_id, co.objective_id, er.score * 1.0 / er.max_score, 1
      from exercise_results er
      join exercise_submissions s on s.id = er.submission_id
      join course_criterion_objectives co on co.exercise_edition = s.edition and co.module_slug = er.module_slug and co.criterion_id = er.criterion_id
      where ${f("er.user_id")})
    group by user_id, objective_id`);
  return statements;
}

/**
 * The hot path of every lesson page: two upserts instead of a rebuild. The new visit ends the
 * previous one unless a read or a submission (which rebuild the roll-ups) already ended it, so the
 * sum equals the rebuild's.
 */
export function recordVisitRollups({ userId, slug, sectionId, at }: { userId: string; slug: string; sectionId: string; at: Date }) {
  const moduleUpsert = prepared("visitModuleRollup", () =>
    getSqlite().prepare(`
      insert into learner_modules (user_id, module_slug, started_at, last_activity_at, last_section_id)
      values (@userId, @slug, @at, @at, @sectionId)
      on conflict (user_id, module_slug) do update set
        started_at = min(coalesce(started_at, excluded.started_at), excluded.started_at),
        last_activity_at = max(coalesce(last_activity_at, 0), excluded.last_activity_at),
        last_section_id = excluded.last_section_id`),
  );
  const statsUpsert = prepared("visitStatsRollup", () =>
    getSqlite().prepare(`
      insert into learner_stats (user_id, time_on_task_ms, last_visit_at, last_activity_at)
      values (@userId, 0, @at, @at)
      on conflict (user_id) do update set
        time_on_task_ms = time_on_task_ms + case when last_visit_at is null or last_activity_at > last_visit_at then 0
          else min(max(excluded.last_visit_at - last_visit_at, 0), ${VISIT_CAP_MS}) end,
        last_visit_at = max(coalesce(last_visit_at, 0), excluded.last_visit_at),
        last_activity_at = max(coalesce(last_activity_at, 0), excluded.last_activity_at)`),
  );
  const params = { userId, slug, sectionId, at: at.getTime() };
  moduleUpsert.run(params);
  statsUpsert.run(params);
}
