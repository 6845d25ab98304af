// The exercise statuses' one vocabulary, for every page, report and export (the browser cannot
// import *.server, and components take their labels from here).
export type ExerciseStatus = "not-started" | "draft" | "submitted" | "reviewed";

export const EXERCISE_STATUS_LABELS: Record<ExerciseStatus, string> = {
  "not-started": "Not started",
  draft: "Draft",
  submitted: "Submitted",
  reviewed: "Reviewed",
};
