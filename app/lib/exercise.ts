// The exercise statuses' one vocabulary, for every page, report and export (the browser cannot
// import *.server, and components take their labels from here).
export type ExerciseStatus = "not-started" | "draft" | "submitted" | "reviewed";

export const EXERCISE_STATUS_LABELS: Record<ExerciseStatus, string> = {
  "not-started": "Not started",
  draft: "Draft",
  submitted: "Submitted",
  reviewed: "Reviewed",
};

/** A rubric level, as the pages know it. */
type Level = { score: number; label: string };

/**
 * A level given, worded the same on every page ("2 of 3 · Sound"): a radio's label, a review's
 * levels, a result. A peers' median may fall between two levels and then has no label.
 */
export function levelText(levels: Level[], score: number | null): string {
  if (score === null) return "No level";
  const max = Math.max(...levels.map((l) => l.score));
  const label = levels.find((l) => l.score === score)?.label;
  return label ? `${score} of ${max} · ${label}` : `${score} of ${max}`;
}

export const RESULT_SOURCE_LABELS = { instructor: "instructor's level", peers: "median of the peers" } as const;

/** A criterion's counted result with where it comes from: "2 of 3 · Sound (instructor's level)". */
export const resultText = (levels: Level[], result: { score: number; source: keyof typeof RESULT_SOURCE_LABELS }) =>
  `${levelText(levels, result.score)} (${RESULT_SOURCE_LABELS[result.source]})`;
