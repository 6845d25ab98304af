import { desc, eq } from "drizzle-orm";
import { getCourse, getPublicQuiz } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import { quizAnswers } from "~/db/schema";

export type MasteryState = "not-assessed" | "in-progress" | "mastered";

export interface ObjectiveMastery {
  id: string;
  title: string;
  description: string;
  correct: number;
  answered: number;
  /** correct / answered, or null when nothing was answered. */
  value: number | null;
  state: MasteryState;
  /** Questions in the current course aligned with the objective. */
  aligned: number;
  /** Modules whose questions assess it, for review. */
  modules: { slug: string; title: string }[];
}

/**
 * Mastery over the learner's latest answer to each question, counted toward the objectives
 * stored with the answer, for questions that still exist in the current quiz.
 */
export function objectiveMastery({ userId }: { userId: string }): ObjectiveMastery[] {
  const course = getCourse();
  const current = new Map<string, Set<string>>();
  for (const m of course.modules) {
    const quiz = m.quiz ? getPublicQuiz(m.slug) : undefined;
    if (quiz) current.set(m.slug, new Set(quiz.questions.map((q) => q.id)));
  }
  const answers = getDb()
    .select({
      moduleSlug: quizAnswers.moduleSlug,
      questionId: quizAnswers.questionId,
      correct: quizAnswers.correct,
      objectives: quizAnswers.objectives,
    })
    .from(quizAnswers)
    .where(eq(quizAnswers.userId, userId))
    .orderBy(desc(quizAnswers.answeredAt))
    .all();
  const seen = new Set<string>();
  const tally = new Map<string, { correct: number; answered: number }>();
  for (const a of answers) {
    const key = `${a.moduleSlug}/${a.questionId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!current.get(a.moduleSlug)?.has(a.questionId)) continue;
    for (const o of a.objectives) {
      const t = tally.get(o) ?? { correct: 0, answered: 0 };
      t.answered++;
      if (a.correct) t.correct++;
      tally.set(o, t);
    }
  }
  return course.objectives.map((o) => {
    const aligned = course.modules.reduce((n, m) => n + (m.quiz?.questionsPerObjective[o.id] ?? 0), 0);
    const { correct, answered } = tally.get(o.id) ?? { correct: 0, answered: 0 };
    const value = answered ? correct / answered : null;
    const state: MasteryState =
      value === null
        ? "not-assessed"
        : value >= course.masteryThreshold && answered >= Math.min(3, aligned)
          ? "mastered"
          : "in-progress";
    return {
      id: o.id,
      title: o.title,
      description: o.description,
      correct,
      answered,
      value,
      state,
      aligned,
      modules: course.modules
        .filter((m) => (m.quiz?.questionsPerObjective[o.id] ?? 0) > 0)
        .map((m) => ({ slug: m.slug, title: m.title })),
    };
  });
}
