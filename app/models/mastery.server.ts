import { getCourse, listModules } from "~/content/course.server";
import { learnerEdition } from "./progress.server";
import { masteryCells, type MasteryState } from "./report.server";

export type { MasteryState };

export interface ObjectiveMastery {
  id: string;
  title: string;
  description: string;
  /** Evidence's worth and count: quiz answers (0 or 1) and criterion results (level ÷ highest). */
  correct: number;
  answered: number;
  /** Of that evidence, criterion results of practical exercises: shown in practice when above 0. */
  practical: number;
  /** correct / answered, or null when nothing was answered. */
  value: number | null;
  state: MasteryState;
  /** Questions in the current course aligned with the objective. */
  aligned: number;
  /** Modules whose questions assess it, for review. */
  modules: { slug: string; title: string }[];
}

/** The learner's own mastery: the cohort report's query for a set of one, with the objectives' texts. */
export function objectiveMastery({ userId }: { userId: string }): ObjectiveMastery[] {
  const course = getCourse();
  const cells = new Map(masteryCells({ userIds: [userId] }).map((c) => [c.objectiveId, c]));
  const modules = listModules(learnerEdition(userId));
  return course.objectives.map((o) => {
    const cell = cells.get(o.id);
    return {
      id: o.id,
      title: o.title,
      description: o.description,
      correct: cell?.correct ?? 0,
      answered: cell?.answered ?? 0,
      practical: cell?.practical ?? 0,
      value: cell?.value ?? null,
      state: cell?.state ?? "not-assessed",
      aligned: cell?.aligned ?? 0,
      modules: modules
        .filter((m) => (m.quiz?.questionsPerObjective[o.id] ?? 0) > 0)
        .map((m) => ({ slug: m.slug, title: m.title })),
    };
  });
}
