// Item analysis of the course's quizzes for instructors: how each question of the current course
// structure performs, and where learners stop reading each module. Aggregates only: the result
// never holds a learner's name, email or id.
//
// Definitions
// - A learner's FIRST ATTEMPT at a module's quiz is their earliest submitted attempt at that module
//   (smallest submitted_at; equal times broken by attempt id), whatever the quiz version.
// - Per question of the current structure (course_questions):
//   · attempts       = stored answers to it, from every attempt (first, second, …);
//   · firstAttempts  = first attempts that answered it (a first attempt at an older quiz version
//                      without this question did not answer it);
//   · shareCorrect   = correct answers / firstAttempts, among first attempts;
//   · choices        = for each current choice, the first-attempt answers that included it
//                      (choice_ids is a JSON array, read with json_each) and its share of
//                      firstAttempts; for a multiple-answer question the shares can add up to
//                      more than 100%. Choice ids no longer in the question are not counted.
//   · discrimination = the upper–lower 27% index. The module's N first attempts are ranked by
//                      score (highest first; equal scores broken by attempt id, ascending, so the
//                      ranking is deterministic). The top g and bottom g form the upper and lower
//                      groups, g = round(0.27 · N), at least 1 and at most floor(N / 2) so the
//                      groups never overlap (N < 2: no groups, no index). D = share correct in the
//                      upper group − share correct in the lower group, each among the group's
//                      members who answered the question; null when either group has none.
// - Thresholds: with fewer than MIN_RESPONDENTS first attempts a question shows no statistic at
//   all (no share, no distribution, no index): only the counts of answers, to protect small
//   cohorts. Flags are given only from MIN_FOR_FLAGS first attempts: "too-easy" (share correct
//   > 0.9), "too-hard" (< 0.3), "negative-discrimination" (D < 0).
// - Per module, the STOPPING POINT: among the learners who started the module (a learner_modules
//   row) and have not completed it (no module_completions row), the most frequent last section
//   opened (learner_modules.last_section_id; ties go to the earlier section). `learners` is how
//   many stopped there, `of` how many started without completing. Null when nobody did.
import { sql } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { ensureCourseStructure } from "./structure.server";

export const MIN_RESPONDENTS = 5;
export const MIN_FOR_FLAGS = 10;
export const TOO_EASY_ABOVE = 0.9;
export const TOO_HARD_BELOW = 0.3;
export const GROUP_FRACTION = 0.27;

export type ItemFlag = "too-easy" | "too-hard" | "negative-discrimination";

export const FLAG_LABELS: Record<ItemFlag, string> = {
  "too-easy": "Too easy",
  "too-hard": "Too hard",
  "negative-discrimination": "Negative discrimination",
};

export interface ChoiceStatistic {
  choiceId: string;
  position: number;
  label: string;
  correct: boolean;
  /** First-attempt answers that included this choice. */
  count: number;
  /** count / firstAttempts. */
  share: number;
}

export interface QuestionStatistic {
  questionId: string;
  position: number;
  type: string;
  prompt: string;
  /** Stored answers to the question, all attempts. */
  attempts: number;
  /** First attempts that answered the question. */
  firstAttempts: number;
  /** Null below MIN_RESPONDENTS: nothing is shown about the answers. */
  statistics: {
    shareCorrect: number;
    /** Null when the upper or lower group has no answer to this question. */
    discrimination: number | null;
    upperGroup: number;
    lowerGroup: number;
    choices: ChoiceStatistic[];
    /** Null below MIN_FOR_FLAGS (not enough answers to judge); otherwise possibly empty. */
    flags: ItemFlag[] | null;
  } | null;
}

export interface ModuleStatistic {
  slug: string;
  position: number;
  title: string;
  hasQuiz: boolean;
  /** Learners who submitted at least one attempt at the module's quiz. */
  firstAttempts: number;
  /** Size of each of the upper and lower 27% groups (0 when there are fewer than 2 first attempts). */
  groupSize: number;
  stoppingPoint: { sectionId: string; title: string; learners: number; of: number } | null;
  questions: QuestionStatistic[];
}

export interface QuestionStatistics {
  modules: ModuleStatistic[];
}

/** The module's first attempts, ranked, with their group ('upper', 'lower' or null). */
const FIRST_ATTEMPTS_CTE = sql`
  firsts as (
    select id, module_slug, score from (
      select a.id, a.module_slug, coalesce(a.score, 0) as score,
        row_number() over (partition by a.user_id, a.module_slug order by a.submitted_at, a.id) as k
      from quiz_attempts a
      where a.submitted_at is not null
    ) where k = 1
  ),
  ranked as (
    select id, module_slug,
      row_number() over (partition by module_slug order by score desc, id) as r,
      count(*) over (partition by module_slug) as n
    from firsts
  ),
  sized as (
    select id, module_slug, r, n,
      case when n < 2 then 0
           else min(max(cast(round(${GROUP_FRACTION} * n) as integer), 1), n / 2) end as g
    from ranked
  ),
  grouped as (
    select id, module_slug, n, g,
      case when r <= g then 'upper' when r > n - g then 'lower' end as grp
    from sized
  ),
  first_answers as (
    select qa.module_slug, qa.question_id, qa.correct, qa.choice_ids, g.grp
    from quiz_answers qa
    join grouped g on g.id = qa.attempt_id
  )`;

interface ModuleRow {
  slug: string;
  position: number;
  title: string;
  has_quiz: number;
  first_attempts: number;
  group_size: number;
}

interface QuestionRow {
  module_slug: string;
  question_id: string;
  position: number;
  type: string;
  prompt: string;
  attempts: number;
  first_attempts: number;
  correct_first: number;
  upper_n: number;
  upper_correct: number;
  lower_n: number;
  lower_correct: number;
}

interface ChoiceRow {
  module_slug: string;
  question_id: string;
  choice_id: string;
  position: number;
  label: string;
  correct: number;
  chosen: number;
}

interface StopRow {
  module_slug: string;
  section_id: string;
  title: string;
  learners: number;
  of: number;
}

export function questionStatistics(): QuestionStatistics {
  ensureCourseStructure();
  const db = getDb();

  const modules = db.all<ModuleRow>(sql`
    with ${FIRST_ATTEMPTS_CTE},
    per_module as (select module_slug, max(n) as n, max(g) as g from grouped group by module_slug)
    select cm.slug, cm.position, cm.title, cm.quiz_version is not null as has_quiz,
      coalesce(pm.n, 0) as first_attempts, coalesce(pm.g, 0) as group_size
    from course_modules cm
    left join per_module pm on pm.module_slug = cm.slug
    order by cm.position, cm.slug`);

  const questions = db.all<QuestionRow>(sql`
    with ${FIRST_ATTEMPTS_CTE},
    all_answers as (
      select module_slug, question_id, count(*) as attempts from quiz_answers group by module_slug, question_id
    ),
    first_counts as (
      select module_slug, question_id,
        count(*) as first_attempts,
        sum(correct) as correct_first,
        sum(grp = 'upper') as upper_n,
        sum(grp = 'upper' and correct) as upper_correct,
        sum(grp = 'lower') as lower_n,
        sum(grp = 'lower' and correct) as lower_correct
      from first_answers group by module_slug, question_id
    )
    select cq.module_slug, cq.question_id, cq.position, cq.type, cq.prompt,
      coalesce(aa.attempts, 0) as attempts,
      coalesce(fc.first_attempts, 0) as first_attempts,
      coalesce(fc.correct_first, 0) as correct_first,
      coalesce(fc.upper_n, 0) as upper_n,
      coalesce(fc.upper_correct, 0) as upper_correct,
      coalesce(fc.lower_n, 0) as lower_n,
      coalesce(fc.lower_correct, 0) as lower_correct
    from course_questions cq
    left join all_answers aa on aa.module_slug = cq.module_slug and aa.question_id = cq.question_id
    left join first_counts fc on fc.module_slug = cq.module_slug and fc.question_id = cq.question_id
    order by cq.module_slug, cq.position`);

  const choices = db.all<ChoiceRow>(sql`
    with ${FIRST_ATTEMPTS_CTE},
    picks as (
      select fa.module_slug, fa.question_id, j.value as choice_id, count(*) as chosen
      from first_answers fa, json_each(fa.choice_ids) j
      group by fa.module_slug, fa.question_id, j.value
    )
    select cc.module_slug, cc.question_id, cc.choice_id, cc.position, cc.label, cc.correct,
      coalesce(p.chosen, 0) as chosen
    from course_choices cc
    left join picks p on p.module_slug = cc.module_slug and p.question_id = cc.question_id and p.choice_id = cc.choice_id
    order by cc.module_slug, cc.question_id, cc.position`);

  const stops = db.all<StopRow>(sql`
    with stopped as (
      select lm.module_slug, lm.last_section_id
      from learner_modules lm
      left join module_completions mc on mc.user_id = lm.user_id and mc.module_slug = lm.module_slug
      where mc.user_id is null
    ),
    totals as (select module_slug, count(*) as n from stopped group by module_slug),
    counts as (
      select module_slug, last_section_id as section_id, count(*) as learners
      from stopped where last_section_id is not null
      group by module_slug, last_section_id
    ),
    titled as (
      select c.module_slug, c.section_id, c.learners,
        coalesce(
          (select title from course_sections s where s.edition = '' and s.module_slug = c.module_slug and s.section_id = c.section_id),
          (select title from course_sections s where s.module_slug = c.module_slug and s.section_id = c.section_id order by s.edition limit 1),
          c.section_id) as title,
        coalesce(
          (select min(position) from course_sections s where s.module_slug = c.module_slug and s.section_id = c.section_id),
          1000000) as position
      from counts c
    ),
    best as (
      select *, row_number() over (partition by module_slug order by learners desc, position, section_id) as k from titled
    )
    select b.module_slug, b.section_id, b.title, b.learners, t.n as of
    from best b join totals t on t.module_slug = b.module_slug
    where b.k = 1`);

  const choicesByQuestion = new Map<string, ChoiceRow[]>();
  for (const c of choices) {
    const key = `${c.module_slug}\u0000${c.question_id}`;
    const list = choicesByQuestion.get(key) ?? [];
    list.push(c);
    choicesByQuestion.set(key, list);
  }
  const questionsByModule = new Map<string, QuestionStatistic[]>();
  for (const q of questions) {
    const list = questionsByModule.get(q.module_slug) ?? [];
    list.push(toQuestion(q, choicesByQuestion.get(`${q.module_slug}\u0000${q.question_id}`) ?? []));
    questionsByModule.set(q.module_slug, list);
  }
  const stopByModule = new Map(stops.map((s) => [s.module_slug, s]));

  return {
    modules: modules.map((m) => {
      const stop = stopByModule.get(m.slug);
      return {
        slug: m.slug,
        position: m.position,
        title: m.title,
        hasQuiz: Boolean(m.has_quiz),
        firstAttempts: m.first_attempts,
        groupSize: m.group_size,
        stoppingPoint: stop ? { sectionId: stop.section_id, title: stop.title, learners: stop.learners, of: stop.of } : null,
        questions: questionsByModule.get(m.slug) ?? [],
      };
    }),
  };
}

function toQuestion(q: QuestionRow, choices: ChoiceRow[]): QuestionStatistic {
  const base = {
    questionId: q.question_id,
    position: q.position,
    type: q.type,
    prompt: q.prompt,
    attempts: q.attempts,
    firstAttempts: q.first_attempts,
  };
  if (q.first_attempts < MIN_RESPONDENTS) return { ...base, statistics: null };
  const shareCorrect = q.correct_first / q.first_attempts;
  const discrimination = q.upper_n > 0 && q.lower_n > 0 ? q.upper_correct / q.upper_n - q.lower_correct / q.lower_n : null;
  let flags: ItemFlag[] | null = null;
  if (q.first_attempts >= MIN_FOR_FLAGS) {
    flags = [];
    if (shareCorrect > TOO_EASY_ABOVE) flags.push("too-easy");
    if (shareCorrect < TOO_HARD_BELOW) flags.push("too-hard");
    // A tiny tolerance: 1/3 − 1/3 computed in floating point must not read as negative.
    if (discrimination !== null && discrimination < -1e-9) flags.push("negative-discrimination");
  }
  return {
    ...base,
    statistics: {
      shareCorrect,
      discrimination,
      upperGroup: q.upper_n,
      lowerGroup: q.lower_n,
      choices: choices.map((c) => ({
        choiceId: c.choice_id,
        position: c.position,
        label: c.label,
        correct: Boolean(c.correct),
        count: c.chosen,
        share: c.chosen / q.first_attempts,
      })),
      flags,
    },
  };
}
