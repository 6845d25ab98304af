import { and, asc, eq, exists, gt, isNull, lte, sql } from "drizzle-orm";
import { getLesson, getPublicQuiz, getQuizKey, type PublicQuiz } from "~/content/course.server";
import { KEPT_SECONDS } from "~/auth/kept-forms.server";
import { randomId, randomToken, sha256 } from "~/auth/tokens.server";
import { getDb, getSqlite, prepared } from "~/db/client.server";
import { groupCommit } from "~/db/group-commit.server";
import { attemptGrants, pendingAnswers, quizAnswers, quizAttempts } from "~/db/schema";
import { ensureCourseStructure } from "./structure.server";
import type { Queryable } from "./user.server";
import { DomainError } from "./errors.server";
import { learnerEdition, refreshLearner } from "./progress.server";
import { drawChoiceOrder, drawQuestions, learnerBank, shuffled } from "./quiz-draw.server";

export type Attempt = typeof quizAttempts.$inferSelect;

/** Raised for input that no honest form produces; the route answers 400 and stores nothing. */
export class TamperedInput extends DomainError {}
export class AlreadySubmitted extends DomainError {}

function quizOrThrow(slug: string): PublicQuiz {
  const quiz = getPublicQuiz(slug);
  if (!quiz) throw new DomainError("This module has no quiz.");
  return quiz;
}

export function submittedAttempts({ userId, slug }: { userId: string; slug: string }): Attempt[] {
  return getDb()
    .select()
    .from(quizAttempts)
    .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.moduleSlug, slug), sql`${quizAttempts.submittedAt} is not null`))
    .orderBy(asc(quizAttempts.submittedAt))
    .all();
}

/** The quiz's maxAttempts plus any extra attempts a coordinator granted; null when unlimited. */
export function allowedAttempts({ userId, slug }: { userId: string; slug: string }, q: Queryable = getDb()): number | null {
  const quiz = quizOrThrow(slug);
  if (quiz.maxAttempts === null) return null;
  const grant = q
    .select({ extra: attemptGrants.extra })
    .from(attemptGrants)
    .where(and(eq(attemptGrants.userId, userId), eq(attemptGrants.moduleSlug, slug)))
    .get();
  return quiz.maxAttempts + (grant?.extra ?? 0);
}

export function attemptsLeft({ userId, slug }: { userId: string; slug: string }): number | null {
  const allowed = allowedAttempts({ userId, slug });
  if (allowed === null) return null;
  return Math.max(0, allowed - submittedAttempts({ userId, slug }).length);
}

/** A coordinator's grant of one more attempt to a learner who has used up a limited quiz. */
export function grantAttempt({ userId, slug }: { userId: string; slug: string }, q: Queryable = getDb()): number {
  const quiz = getPublicQuiz(slug);
  if (!quiz) throw new DomainError("This module has no quiz.");
  if (quiz.maxAttempts === null) throw new DomainError("This quiz allows unlimited attempts: there is nothing to grant.");
  q.insert(attemptGrants)
    .values({ userId, moduleSlug: slug, extra: 1 })
    .onConflictDoUpdate({ target: [attemptGrants.userId, attemptGrants.moduleSlug], set: { extra: sql`${attemptGrants.extra} + 1` } })
    .run();
  return allowedAttempts({ userId, slug }, q)!;
}

function currentOpenAttempt(q: Queryable, { userId, slug, version }: { userId: string; slug: string; version: string }): Attempt | undefined {
  return q
    .select()
    .from(quizAttempts)
    .where(
      and(
        eq(quizAttempts.userId, userId),
        eq(quizAttempts.moduleSlug, slug),
        eq(quizAttempts.quizVersion, version),
        isNull(quizAttempts.submittedAt),
      ),
    )
    .get();
}

/** The learner's open attempt at the current quiz, if they started one; opens nothing. */
export function findOpenAttempt({ userId, slug }: { userId: string; slug: string }): Attempt | undefined {
  return currentOpenAttempt(getDb(), { userId, slug, version: quizOrThrow(slug).version });
}

/**
 * The learner's open attempt at the current quiz, or a new one. A new attempt draws its questions
 * from the learner's bank (the base questions and their cohort edition's own), stratified by
 * objective and preferring questions the learner has not met in any earlier attempt; it shuffles
 * every question's choices (and the questions when the quiz asks for it). The draw and the orders
 * are stored with the attempt: opening the quiz page twice gives the same attempt, the same form.
 */
export function openAttempt({ userId, slug }: { userId: string; slug: string }): Attempt {
  const quiz = quizOrThrow(slug);
  const db = getDb();
  return db.transaction(
    (tx) => {
      const open = currentOpenAttempt(tx, { userId, slug, version: quiz.version });
      if (open) return open;
      const allowed = allowedAttempts({ userId, slug }, tx);
      if (allowed !== null) {
        const used = tx
          .select({ n: sql<number>`count(*)` })
          .from(quizAttempts)
          .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.moduleSlug, slug), sql`${quizAttempts.submittedAt} is not null`))
          .get()?.n ?? 0;
        if (used >= allowed) throw new DomainError(`You have used all ${allowed} attempts at this quiz.`);
      }
      const bank = learnerBank(quiz, learnerEdition(userId));
      const seen = new Set(
        tx
          .select({ order: quizAttempts.questionOrder })
          .from(quizAttempts)
          .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.moduleSlug, slug)))
          .all()
          .flatMap((a) => a.order),
      );
      const ids = drawQuestions({ bank, n: quiz.draw, seen });
      const drawn = new Set(ids);
      return tx
        .insert(quizAttempts)
        .values({
          id: randomId(),
          userId,
          moduleSlug: slug,
          quizVersion: quiz.version,
          questionOrder: quiz.shuffle ? shuffled(ids) : ids,
          choiceOrder: drawChoiceOrder(bank.filter((q) => drawn.has(q.id))),
          startedAt: new Date(),
        })
        .returning()
        .get();
    },
    { behavior: "immediate" },
  );
}

export function getAttempt({ userId, attemptId }: { userId: string; attemptId: string }): Attempt | undefined {
  // On every quiz page and submission: prepared once, with drizzle's mapping of the columns.
  const query = prepared("attemptOfUser", (db) =>
    db
      .select()
      .from(quizAttempts)
      .where(and(eq(quizAttempts.id, sql.placeholder("attemptId")), eq(quizAttempts.userId, sql.placeholder("userId"))))
      .prepare(),
  );
  return query.get({ attemptId, userId });
}

/**
 * The attempt's drawn questions in its order, each with its choices in the attempt's order (the
 * authored order for attempts opened before choices were shuffled). Questions no longer in the
 * quiz are left out.
 */
export function attemptQuestions(attempt: Pick<Attempt, "questionOrder" | "choiceOrder">, quiz: PublicQuiz): PublicQuiz["questions"] {
  const byId = new Map(quiz.questions.map((q) => [q.id, q]));
  return attempt.questionOrder.flatMap((id) => {
    const q = byId.get(id);
    if (!q) return [];
    const order = attempt.choiceOrder?.[id];
    if (!order) return [q];
    const rank = new Map(order.map((c, i) => [c, i]));
    const choices = [...q.choices].sort((a, b) => (rank.get(a.id) ?? order.length) - (rank.get(b.id) ?? order.length));
    return [{ ...q, choices }];
  });
}

export interface SubmitResult {
  attempt: Attempt;
  /** Questions left unanswered: the form is shown again, nothing stored. */
  unanswered?: string[];
}

/**
 * Grades an attempt against the server-only key and stores it with every answer, once.
 * `answers` maps question ids to the chosen choice ids, as the form sent them.
 */
export function submitAttempt({
  userId,
  slug,
  attemptId,
  answers,
}: {
  userId: string;
  slug: string;
  attemptId: string;
  answers: Map<string, string[]>;
}): SubmitResult {
  const quiz = quizOrThrow(slug);
  const key = getQuizKey(slug);
  const attempt = getAttempt({ userId, attemptId });
  if (!attempt || attempt.moduleSlug !== slug) throw new TamperedInput("This quiz attempt does not exist or is not yours.");
  if (attempt.submittedAt) throw new AlreadySubmitted("This attempt has already been submitted; each attempt is graded once.");
  if (!key || attempt.quizVersion !== quiz.version || key.version !== quiz.version) {
    throw new DomainError("The quiz was updated since you opened it. Please open it again and answer the new version.");
  }

  // Only the questions drawn for this attempt may be answered.
  const questions = new Map(attemptQuestions(attempt, quiz).map((q) => [q.id, q]));
  for (const [questionId, choiceIds] of answers) {
    const question = questions.get(questionId);
    if (!question) throw new TamperedInput(`The answers name a question that is not in this attempt ("${questionId}").`);
    const valid = new Set(question.choices.map((c) => c.id));
    if (choiceIds.some((c) => !valid.has(c))) throw new TamperedInput(`An answer to question "${questionId}" is not one of its choices.`);
    if (question.type !== "multiple" && choiceIds.length > 1) {
      throw new TamperedInput(`Question "${questionId}" takes exactly one answer.`);
    }
    if (new Set(choiceIds).size !== choiceIds.length) throw new TamperedInput(`An answer to question "${questionId}" is repeated.`);
  }
  const unanswered = attempt.questionOrder.filter((id) => !(answers.get(id)?.length));
  if (unanswered.length) return { attempt, unanswered };

  const keys = new Map(key.questions.map((q) => [q.id, q]));
  const now = new Date();
  const graded = attempt.questionOrder.map((id) => {
    const chosen = [...(answers.get(id) ?? [])].sort();
    const correct = [...(keys.get(id)?.correct ?? [])].sort();
    // A multiple question is right only with exactly the correct choices.
    const right = chosen.length === correct.length && chosen.every((c, i) => c === correct[i]);
    return { questionId: id, choiceIds: chosen, correct: right, objectives: questions.get(id)?.objectives ?? [] };
  });
  const correctCount = graded.filter((g) => g.correct).length;
  const score = graded.length ? correctCount / graded.length : 0;
  const passed = score >= quiz.passingScore;

  // Every submission: two statements prepared once (a submission is a learner's commonest write).
  const finish = prepared("finishAttempt", () =>
    getSqlite().prepare(
      `update quiz_attempts set submitted_at = @now, correct_count = @correctCount, question_count = @questionCount,
         score = @score, passed = @passed
       where id = @id and submitted_at is null`,
    ),
  );
  const insertAnswer = prepared("insertAnswer", () =>
    getSqlite().prepare(
      `insert into quiz_answers (attempt_id, user_id, module_slug, question_id, choice_ids, correct, objectives, quiz_version, answered_at)
       values (@attemptId, @userId, @slug, @questionId, @choiceIds, @correct, @objectives, @quizVersion, @now)`,
    ),
  );
  const stored = getDb().transaction(
    (tx) => {
      const changed = finish.run({ id: attempt.id, now: now.getTime(), correctCount, questionCount: graded.length, score, passed: passed ? 1 : 0 });
      if (!changed.changes) throw new AlreadySubmitted("This attempt has already been submitted; each attempt is graded once.");
      for (const g of graded) {
        insertAnswer.run({
          attemptId: attempt.id,
          userId,
          slug,
          questionId: g.questionId,
          choiceIds: JSON.stringify(g.choiceIds),
          correct: g.correct ? 1 : 0,
          objectives: JSON.stringify(g.objectives),
          quizVersion: quiz.version,
          now: now.getTime(),
        });
      }
      refreshLearner(tx, userId);
      return { ...attempt, submittedAt: now, correctCount, questionCount: graded.length, score, passed };
    },
    { behavior: "immediate" },
  );
  return { attempt: stored };
}

/**
 * A quiz form's fields (`attemptId`, `q.<questionId>` once per chosen choice), read in one pass into
 * one list per question; `unexpected` is the first field that is neither, if any. Used by the route
 * and by the server's fast path for a graded submission, on a FormData or URLSearchParams alike.
 */
export function readAnswers(form: Iterable<[string, FormDataEntryValue]>) {
  const answers = new Map<string, string[]>();
  let attemptId: FormDataEntryValue | null = null;
  let unexpected: string | undefined;
  for (const [name, value] of form) {
    if (name === "attemptId") {
      attemptId ??= value;
      continue;
    }
    if (!name.startsWith("q.") || typeof value !== "string") {
      unexpected ??= name;
      continue;
    }
    // Appended in place: copying the list for every repeat made a repeated field quadratic.
    const chosen = answers.get(name.slice(2));
    if (chosen) chosen.push(value);
    else answers.set(name.slice(2), [value]);
  }
  return { attemptId, answers, unexpected };
}

/**
 * submitAttempt for a request: stored in the group commit of the submissions that arrive at the
 * same moment (ADR 011), so eight learners submitting together wait for one disk sync, not eight.
 */
export function submitAttemptDurably(args: Parameters<typeof submitAttempt>[0]): Promise<SubmitResult> {
  return groupCommit(() => submitAttempt(args));
}

/**
 * Keeps the answers of a quiz form that arrived without a session, so that the learner finds them
 * again after signing in. Only an open attempt at this module's quiz is kept for, and only choices
 * that quiz has: a row stays small, and there is at most one per open attempt (a later post
 * replaces it). Returns the token for the browser's cookie, or null when nothing was kept.
 */
export function keepPendingAnswers({ slug, attemptId, answers }: { slug: string; attemptId: string; answers: Map<string, string[]> }): string | null {
  const quiz = getPublicQuiz(slug);
  const db = getDb();
  // Checked before any write: a post from nowhere costs one indexed read.
  const open =
    quiz &&
    db
      .select({ id: quizAttempts.id, questionOrder: quizAttempts.questionOrder })
      .from(quizAttempts)
      .where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.moduleSlug, slug), isNull(quizAttempts.submittedAt)))
      .get();
  if (!quiz || !open) return null;
  const kept: Record<string, string[]> = {};
  // The attempt's own questions only (its draw).
  for (const question of attemptQuestions({ questionOrder: open.questionOrder, choiceOrder: null }, quiz)) {
    const chosen = new Set(answers.get(question.id) ?? []);
    const ids = question.choices.map((c) => c.id).filter((id) => chosen.has(id));
    if (ids.length) kept[question.id] = ids;
  }
  const token = randomToken();
  const now = new Date();
  const row = { tokenHash: sha256(token), answers: kept, expiresAt: new Date(now.getTime() + KEPT_SECONDS.answers * 1000) };
  db.transaction(
    (tx) => {
      tx.delete(pendingAnswers).where(lte(pendingAnswers.expiresAt, now)).run();
      tx.insert(pendingAnswers).values({ attemptId, ...row }).onConflictDoUpdate({ target: pendingAnswers.attemptId, set: row }).run();
    },
    { behavior: "immediate" },
  );
  return token;
}

/**
 * The answers kept under this token for the learner's open attempt, used up as they are returned.
 * Someone else's attempt, a submitted attempt, another attempt or an expired token give nothing.
 */
export function takePendingAnswers({ token, userId, attemptId }: { token: string; userId: string; attemptId: string }): Record<string, string[]> | null {
  const db = getDb();
  const row = db
    .delete(pendingAnswers)
    .where(
      and(
        eq(pendingAnswers.tokenHash, sha256(token)),
        eq(pendingAnswers.attemptId, attemptId),
        gt(pendingAnswers.expiresAt, new Date()),
        exists(
          db
            .select({ id: quizAttempts.id })
            .from(quizAttempts)
            .where(and(eq(quizAttempts.id, pendingAnswers.attemptId), eq(quizAttempts.userId, userId), isNull(quizAttempts.submittedAt))),
        ),
      ),
    )
    .returning({ answers: pendingAnswers.answers })
    .get();
  return row?.answers ?? null;
}

export interface AttemptReview {
  attempt: Attempt;
  /** Correct answers and explanations are shown once the quiz is passed or no attempts remain. */
  revealed: boolean;
  attemptsLeft: number | null;
  questions: {
    id: string;
    promptHtml: string;
    type: string;
    choices: { id: string; html: string; chosen: boolean; correct: boolean | null; feedbackHtml: string | null }[];
    correct: boolean;
    explanationHtml: string | null;
    /** The section of the learner's lesson the question assesses ("review this"), when it has one there. */
    section: { id: string; title: string } | null;
  }[];
}

export function reviewAttempt({ userId, slug, attemptId }: { userId: string; slug: string; attemptId: string }): AttemptReview | undefined {
  const attempt = getAttempt({ userId, attemptId });
  if (!attempt || attempt.moduleSlug !== slug || !attempt.submittedAt) return undefined;
  const quiz = quizOrThrow(slug);
  const key = getQuizKey(slug);
  const submitted = submittedAttempts({ userId, slug });
  const allowed = allowedAttempts({ userId, slug });
  const left = allowed === null ? null : Math.max(0, allowed - submitted.length);
  const revealed = submitted.some((a) => a.passed) || left === 0;
  const answers = new Map(
    getDb()
      .select()
      .from(quizAnswers)
      .where(eq(quizAnswers.attemptId, attempt.id))
      .all()
      .map((a) => [a.questionId, a]),
  );
  // An attempt at an older version is reviewed with the questions that still exist.
  const sameVersion = attempt.quizVersion === quiz.version;
  const keys = new Map((key?.questions ?? []).map((q) => [q.id, q]));
  const sections = new Map((getLesson(slug, learnerEdition(userId))?.sections ?? []).map((s) => [s.id, s.title]));
  const questions = attemptQuestions(attempt, quiz).map((q) => {
    const answer = answers.get(q.id);
    const k = keys.get(q.id);
    const chosen = new Set(answer?.choiceIds ?? []);
    return {
      id: q.id,
      promptHtml: q.promptHtml,
      type: q.type,
      correct: answer?.correct ?? false,
      explanationHtml: revealed && sameVersion ? (k?.explanationHtml ?? null) : null,
      section: q.section && sections.has(q.section) ? { id: q.section, title: sections.get(q.section)! } : null,
      choices: q.choices.map((c) => {
        const isCorrect = k?.correct.includes(c.id) ?? false;
        // Before the answers are revealed, feedback is shown only where it cannot give a correct
        // choice away: on the learner's wrong choices, or on a question they got right.
        const showFeedback = sameVersion && (revealed || (chosen.has(c.id) && (answer?.correct || !isCorrect)));
        return {
          id: c.id,
          html: c.html,
          chosen: chosen.has(c.id),
          correct: revealed && sameVersion ? isCorrect : null,
          feedbackHtml: showFeedback ? (k?.feedbackHtml[c.id] ?? null) : null,
        };
      }),
    };
  });
  return { attempt, revealed, attemptsLeft: left, questions };
}

export interface AttemptRecord {
  id: string;
  moduleSlug: string;
  moduleTitle: string;
  /** 1 for the learner's first submitted attempt at the module, and so on. */
  number: number;
  startedAt: Date;
  submittedAt: Date;
  score: number;
  correctCount: number;
  questionCount: number;
  passed: boolean;
  answers: { questionId: string; prompt: string; chosen: string[]; correct: boolean }[];
}

/** Every submitted attempt of a learner with its answers, for the coordinator's drill-down. */
export function attemptHistory(userId: string): AttemptRecord[] {
  ensureCourseStructure();
  const db = getDb();
  const attempts = db.all<{
    id: string;
    module_slug: string;
    title: string | null;
    number: number;
    started_at: number;
    submitted_at: number;
    score: number;
    correct_count: number;
    question_count: number;
    passed: number;
  }>(sql`select a.id, a.module_slug, cm.title, a.started_at, a.submitted_at, a.score, a.correct_count, a.question_count, a.passed,
      row_number() over (partition by a.module_slug order by a.submitted_at, a.id) as number
    from quiz_attempts a left join course_modules cm on cm.slug = a.module_slug
    where a.user_id = ${userId} and a.submitted_at is not null
    order by coalesce(cm.position, 1e9), a.submitted_at, a.id`);
  const answers = db.all<{ attempt_id: string; module_slug: string; question_id: string; prompt: string | null; choice_ids: string; correct: number }>(
    sql`select qa.attempt_id, qa.module_slug, qa.question_id, cq.prompt, qa.choice_ids, qa.correct
      from quiz_answers qa left join course_questions cq on cq.module_slug = qa.module_slug and cq.question_id = qa.question_id
      where qa.user_id = ${userId} order by coalesce(cq.position, 1e9), qa.question_id`,
  );
  const labels = new Map(
    db
      .all<{ key: string; label: string }>(sql`select module_slug || '/' || question_id || '/' || choice_id as key, label from course_choices`)
      .map((c) => [c.key, c.label]),
  );
  return attempts.map((a) => ({
    id: a.id,
    moduleSlug: a.module_slug,
    moduleTitle: a.title ?? a.module_slug,
    number: a.number,
    startedAt: new Date(a.started_at),
    submittedAt: new Date(a.submitted_at),
    score: a.score,
    correctCount: a.correct_count,
    questionCount: a.question_count,
    passed: Boolean(a.passed),
    answers: answers
      .filter((x) => x.attempt_id === a.id)
      .map((x) => ({
        questionId: x.question_id,
        prompt: x.prompt ?? `${x.question_id} (no longer in the quiz)`,
        chosen: (JSON.parse(x.choice_ids) as string[]).map((c) => labels.get(`${x.module_slug}/${x.question_id}/${c}`) ?? c),
        correct: Boolean(x.correct),
      })),
  }));
}

/** The quizzes with an attempt limit, and where the learner stands against it. */
export function attemptAllowances(userId: string) {
  ensureCourseStructure();
  return getDb().all<{ slug: string; title: string; max_attempts: number; extra: number; used: number }>(sql`
    select cm.slug, cm.title, cm.max_attempts, coalesce(g.extra, 0) as extra,
      (select count(*) from quiz_attempts a where a.user_id = ${userId} and a.module_slug = cm.slug and a.submitted_at is not null) as used
    from course_modules cm left join attempt_grants g on g.user_id = ${userId} and g.module_slug = cm.slug
    where cm.max_attempts is not null order by cm.position`);
}
