// How an attempt's questions and choice orders are drawn: the one definition of the rule, used
// when an attempt opens (quiz.server.ts). Crypto randomness: no learner can predict a draw.
import { randomInt } from "node:crypto";
import type { PublicQuiz } from "~/content/course.server";

export type BankQuestion = PublicQuiz["questions"][number];

/** Uniform (Fisher–Yates with an unbiased crypto source). */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A learner's bank: the base questions and their edition's own (never another edition's). */
export function learnerBank(quiz: PublicQuiz, edition: string | null): BankQuestion[] {
  return quiz.questions.filter((q) => q.edition === null || q.edition === edition);
}

/**
 * How many of `n` drawn questions each objective gets: in proportion to its share of the bank (a
 * question aligned with two objectives counts half for each), by largest remainder, and at least
 * one for every objective of the bank when `n` allows. Ties are broken at random.
 */
export function objectiveQuotas(bank: readonly BankQuestion[], n: number): Map<string, number> {
  const weight = new Map<string, number>();
  for (const q of bank) for (const o of q.objectives) weight.set(o, (weight.get(o) ?? 0) + 1 / q.objectives.length);
  const total = bank.length;
  const objectives = shuffled([...weight.keys()]);
  const exact = new Map(objectives.map((o) => [o, total ? (n * weight.get(o)!) / total : 0]));
  const quota = new Map(objectives.map((o) => [o, Math.floor(exact.get(o)!)]));
  let left = n - [...quota.values()].reduce((a, b) => a + b, 0);
  // Largest remainder; the random order above breaks ties. The stable sort keeps it.
  for (const o of [...objectives].sort((a, b) => exact.get(b)! - quota.get(b)! - (exact.get(a)! - quota.get(a)!))) {
    if (left <= 0) break;
    quota.set(o, quota.get(o)! + 1);
    left--;
  }
  if (n >= objectives.length) {
    // At least one each: taken from the objectives with the most.
    for (const o of objectives) {
      if (quota.get(o)! > 0) continue;
      const richest = objectives.reduce((a, b) => (quota.get(b)! > quota.get(a)! ? b : a));
      quota.set(richest, quota.get(richest)! - 1);
      quota.set(o, 1);
    }
  }
  return quota;
}

/**
 * Draws `n` questions (the whole bank when null or larger) stratified by objective, preferring
 * questions the learner has not met, at random otherwise. Returns ids in the bank's order.
 */
export function drawQuestions({ bank, n, seen }: { bank: readonly BankQuestion[]; n: number | null; seen: ReadonlySet<string> }): string[] {
  const size = questionsPerAttempt({ draw: n, questionCount: bank.length });
  if (size === bank.length) return bank.map((q) => q.id);
  const quota = objectiveQuotas(bank, size);
  const filled = new Map([...quota.keys()].map((o) => [o, 0]));
  // Unseen questions first, each group in random order: picking the first fit prefers unseen.
  const candidates = [...shuffled(bank.filter((q) => !seen.has(q.id))), ...shuffled(bank.filter((q) => seen.has(q.id)))];
  const chosen = new Set<string>();
  const take = (q: BankQuestion) => {
    chosen.add(q.id);
    candidates.splice(candidates.indexOf(q), 1);
    for (const o of q.objectives) filled.set(o, filled.get(o)! + 1 / q.objectives.length);
  };
  // First one question for each objective (when the quotas give each one), then always for the
  // objective furthest below its quota.
  for (const o of shuffled([...quota.keys()])) {
    if (quota.get(o)! < 1 || filled.get(o)! > 0) continue;
    const q = candidates.find((c) => c.objectives.includes(o));
    if (q) take(q);
  }
  while (chosen.size < size) {
    const open = [...quota.keys()].filter((o) => candidates.some((c) => c.objectives.includes(o)));
    const need = (o: string) => quota.get(o)! - filled.get(o)!;
    const o = shuffled(open).sort((a, b) => need(b) - need(a))[0];
    if (o === undefined) break;
    take(candidates.find((c) => c.objectives.includes(o))!);
  }
  return bank.filter((q) => chosen.has(q.id)).map((q) => q.id);
}

/**
 * Each question's choices in a fresh random order; a true-false question keeps its order (True
 * before False: the compiler puts them so).
 */
export function drawChoiceOrder(questions: readonly BankQuestion[]): Record<string, string[]> {
  return Object.fromEntries(
    questions.map((q) => {
      const ids = q.choices.map((c) => c.id);
      return [q.id, q.type === "true-false" ? ids : shuffled(ids)];
    }),
  );
}

/** How many questions an attempt has: the draw, or the whole bank when it is smaller (or no draw). */
export function questionsPerAttempt(quiz: { draw: number | null; questionCount: number } | null | undefined): number {
  if (!quiz) return 0;
  return Math.min(quiz.draw ?? quiz.questionCount, quiz.questionCount);
}
