// An objective's mastery states, named once for the model, every page and the CSV exports: the key
// is what an export's cell holds (the label, hyphenated), the label is how a page says it.
export const MASTERY_STATE_LABELS = {
  mastered: "mastered",
  "not-yet": "not yet",
  "not-assessed": "not assessed",
} as const;

export type MasteryState = keyof typeof MASTERY_STATE_LABELS;

/**
 * An objective is mastered only once at least this many of its aligned questions are answered (or
 * all of them, when fewer are aligned): one lucky answer is not mastery. Here, not in a model, as
 * the learner's page states the rule.
 */
export const MASTERY_MIN_ANSWERS = 3;

/** The label as a badge or heading shows it: "Not yet". */
export function masteryStateTitle(state: MasteryState): string {
  const label = MASTERY_STATE_LABELS[state];
  return label.charAt(0).toUpperCase() + label.slice(1);
}
