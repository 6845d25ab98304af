// Limits that both the server rules and the forms' hints need (the browser cannot import *.server).
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
export const DEFAULT_INVITATION_DAYS = 14;
export const MAX_INVITATION_DAYS = 90;
export const MAX_INVITATIONS_AT_ONCE = 200;

export const ROLES = ["learner", "instructor", "coordinator"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Time on task: a section visit counts until the learner's next recorded event (a visit, a section
 * read, a quiz submission), at most this long; a visit with nothing after it counts nothing yet.
 */
export const VISIT_CAP_MS = 10 * 60_000;
/** A learner with no activity for this long is "inactive" in the cohort report. */
export const ACTIVE_DAYS = 14;
/** A peer review not completed this long after it was given goes back to the pool. */
export const REVIEW_HOLD_MS = 48 * 3_600_000;
/** Longest peer comment or instructor feedback, in characters. */
export const MAX_REVIEW_COMMENT = 5_000;
