import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

import { ROLES, type Role } from "~/lib/rules";

export { ROLES, type Role };

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    // Stored trimmed and lower-cased; the unique index on lower(email) is the guarantee.
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    country: text("country"),
    // NULL until the person sets a password through a one-time link (CLI-created accounts).
    passwordHash: text("password_hash"),
    isDemo: integer("is_demo", { mode: "boolean" }).notNull().default(false),
    deactivatedAt: integer("deactivated_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_lower_unique").on(sql`lower(${t.email})`)],
);

// Shape required by lucia's drizzle adapter: expires_at holds unix seconds.
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const cohorts = sqliteTable("cohorts", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  edition: text("edition"),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

export const cohortMemberships = sqliteTable(
  "cohort_memberships",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.cohortId] }),
    // Covering: a cohort's learners are read from the index alone, as every report starts there.
    index("cohort_memberships_cohort_idx").on(t.cohortId, t.role, t.userId),
    // A learner studies in at most one cohort.
    uniqueIndex("cohort_memberships_one_learner_cohort")
      .on(t.userId)
      .where(sql`role = 'learner'`),
  ],
);

export const invitations = sqliteTable(
  "invitations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    // SHA-256 of the code: a leaked database does not leak usable links.
    codeHash: text("code_hash").notNull().unique(),
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    email: text("email"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    usedBy: text("used_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("invitations_cohort_idx").on(t.cohortId)],
);

export const passwordResets = sqliteTable(
  "password_resets",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("password_resets_user_idx").on(t.userId)],
);

// Failed sign-ins, kept in the database so throttling survives a restart.
export const signInFailures = sqliteTable(
  "sign_in_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    // "device": a trusted device's own failures on its account (its token hash as key).
    scope: text("scope", { enum: ["account", "ip", "device"] }).notNull(),
    key: text("key").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("sign_in_failures_key_idx").on(t.scope, t.key, t.at)],
);

// Browsers that have signed in to an account before: the throttle spares them within their own
// budget, so an attacker who hammers a named account (or its address) cannot lock its owner out.
export const trustedDevices = sqliteTable(
  "trusted_devices",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("trusted_devices_user_idx").on(t.userId)],
);

export type User = typeof users.$inferSelect;
export type Cohort = typeof cohorts.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;

// ---- the learner's journey -------------------------------------------------------------------
// Module and section ids are the content's stable slugs: progress survives rebuilds of the course.

export const sectionReads = sqliteTable(
  "section_reads",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleSlug: text("module_slug").notNull(),
    sectionId: text("section_id").notNull(),
    readAt: integer("read_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.moduleSlug, t.sectionId] })],
);

/** Each opening of a section page: the basis of the time-on-task estimate. */
export const sectionVisits = sqliteTable(
  "section_visits",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleSlug: text("module_slug").notNull(),
    sectionId: text("section_id").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("section_visits_user_idx").on(t.userId, t.at)],
);

export const quizAttempts = sqliteTable(
  "quiz_attempts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleSlug: text("module_slug").notNull(),
    quizVersion: text("quiz_version").notNull(),
    /**
     * The questions drawn for this attempt from the learner's bank, in the order shown (shuffled
     * when the quiz asks for it). Only these may be answered.
     */
    questionOrder: text("question_order", { mode: "json" }).$type<string[]>().notNull(),
    /**
     * Each drawn question's choice ids in the order shown, shuffled on the server when the attempt
     * opened. NULL for attempts opened before choices were shuffled: the authored order.
     */
    choiceOrder: text("choice_order", { mode: "json" }).$type<Record<string, string[]>>(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }),
    correctCount: integer("correct_count"),
    questionCount: integer("question_count"),
    score: real("score"),
    passed: integer("passed", { mode: "boolean" }),
  },
  (t) => [
    index("quiz_attempts_user_module_idx").on(t.userId, t.moduleSlug, t.startedAt),
    // Every lesson page asks for the latest passed attempt: answered from the index alone, without
    // reading attempt rows (each holds its drawn questions and choices as JSON).
    index("quiz_attempts_passed_idx").on(t.userId, t.moduleSlug, t.submittedAt, t.id).where(sql`${t.passed}`),
  ],
);

export const quizAnswers = sqliteTable(
  "quiz_answers",
  {
    attemptId: text("attempt_id")
      .notNull()
      .references(() => quizAttempts.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleSlug: text("module_slug").notNull(),
    questionId: text("question_id").notNull(),
    choiceIds: text("choice_ids", { mode: "json" }).$type<string[]>().notNull(),
    correct: integer("correct", { mode: "boolean" }).notNull(),
    /** The objectives the question assessed when it was answered. */
    objectives: text("objectives", { mode: "json" }).$type<string[]>().notNull(),
    quizVersion: text("quiz_version").notNull(),
    answeredAt: integer("answered_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.attemptId, t.questionId] }),
    index("quiz_answers_user_idx").on(t.userId, t.moduleSlug, t.questionId, t.answeredAt),
  ],
);

/**
 * Answers to an open attempt that arrived after the learner's session had ended, kept (answers
 * only, one row per attempt) under a random token held in an HttpOnly cookie, until the learner
 * signs in again and the quiz page puts them back into the form; they expire after an hour.
 */
export const pendingAnswers = sqliteTable(
  "pending_answers",
  {
    attemptId: text("attempt_id")
      .primaryKey()
      .references(() => quizAttempts.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    answers: text("answers", { mode: "json" }).$type<Record<string, string[]>>().notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("pending_answers_token_unique").on(t.tokenHash), index("pending_answers_expires_idx").on(t.expiresAt)],
);

/** Stored when earned and never recomputed: a later content edit does not take it away. */
export const moduleCompletions = sqliteTable(
  "module_completions",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleSlug: text("module_slug").notNull(),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.moduleSlug] })],
);

export const certificates = sqliteTable("certificates", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  code: text("code").notNull().unique(),
  learnerName: text("learner_name").notNull(),
  courseTitle: text("course_title").notNull(),
  completedAt: integer("completed_at", { mode: "timestamp_ms" }).notNull(),
  objectivesMastered: text("objectives_mastered", { mode: "json" }).$type<string[]>().notNull(),
  /**
   * Of those, the objectives shown in a practical exercise (a criterion result counted toward them)
   * at issue: stored, like the mastered ones, so the certificate never changes after it is issued.
   */
  objectivesPractical: text("objectives_practical", { mode: "json" }).$type<string[]>().notNull().default([]),
  revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
});

// ---- the course's structure, mirrored from the current content release -------------------------
// Written at start-up (and when a new release is published) so that reports are SQL joins over
// learners and structure; rewritten whole when the structure's fingerprint changes.

export const courseStructure = sqliteTable("course_structure", {
  id: integer("id").primaryKey(),
  fingerprint: text("fingerprint").notNull(),
  courseTitle: text("course_title").notNull(),
  masteryThreshold: real("mastery_threshold").notNull(),
  syncedAt: integer("synced_at", { mode: "timestamp_ms" }).notNull(),
});

export const courseObjectives = sqliteTable("course_objectives", {
  id: text("id").primaryKey(),
  position: integer("position").notNull(),
  title: text("title").notNull(),
});

export const courseEditions = sqliteTable("course_editions", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
});

export const courseModules = sqliteTable("course_modules", {
  slug: text("slug").primaryKey(),
  position: integer("position").notNull(),
  title: text("title").notNull(),
  /** NULL for a module without a quiz. */
  quizVersion: text("quiz_version"),
  passingScore: real("passing_score"),
  maxAttempts: integer("max_attempts"),
});

/** The sections a learner of each edition reads ('' is the standard edition): the full list per edition. */
export const courseSections = sqliteTable(
  "course_sections",
  {
    edition: text("edition").notNull(),
    moduleSlug: text("module_slug").notNull(),
    sectionId: text("section_id").notNull(),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    words: integer("words").notNull(),
  },
  (t) => [primaryKey({ columns: [t.edition, t.moduleSlug, t.sectionId] })],
);

export const courseQuestions = sqliteTable(
  "course_questions",
  {
    moduleSlug: text("module_slug").notNull(),
    questionId: text("question_id").notNull(),
    position: integer("position").notNull(),
    type: text("type").notNull(),
    /** '' for a base question; else the edition whose cohorts alone draw it. */
    edition: text("edition").notNull().default(""),
    /** The lesson section it assesses, or NULL. */
    sectionId: text("section_id"),
    /** Plain text of the prompt, for reports and exports. */
    prompt: text("prompt").notNull(),
  },
  (t) => [primaryKey({ columns: [t.moduleSlug, t.questionId] })],
);

export const courseChoices = sqliteTable(
  "course_choices",
  {
    moduleSlug: text("module_slug").notNull(),
    questionId: text("question_id").notNull(),
    choiceId: text("choice_id").notNull(),
    position: integer("position").notNull(),
    label: text("label").notNull(),
    correct: integer("correct", { mode: "boolean" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.moduleSlug, t.questionId, t.choiceId] })],
);

export const courseQuestionObjectives = sqliteTable(
  "course_question_objectives",
  {
    moduleSlug: text("module_slug").notNull(),
    questionId: text("question_id").notNull(),
    objectiveId: text("objective_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.moduleSlug, t.questionId, t.objectiveId] }), index("course_question_objectives_objective_idx").on(t.objectiveId)],
);

/**
 * The exercise a learner of each edition does ('' the standard edition), per module with one:
 * `exerciseEdition` is '' for the base exercise or the edition whose own exercise replaces it.
 */
export const courseExercises = sqliteTable(
  "course_exercises",
  {
    edition: text("edition").notNull(),
    moduleSlug: text("module_slug").notNull(),
    exerciseEdition: text("exercise_edition").notNull(),
    version: text("version").notNull(),
    title: text("title").notNull(),
    required: integer("required", { mode: "boolean" }).notNull(),
    selfReview: integer("self_review", { mode: "boolean" }).notNull(),
    peers: integer("peers").notNull(),
    instructorReview: integer("instructor_review", { mode: "boolean" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.edition, t.moduleSlug] })],
);

/** Each exercise's rubric criteria, keyed by the exercise ('' the base one, else the edition's own). */
export const courseCriteria = sqliteTable(
  "course_criteria",
  {
    exerciseEdition: text("exercise_edition").notNull(),
    moduleSlug: text("module_slug").notNull(),
    criterionId: text("criterion_id").notNull(),
    position: integer("position").notNull(),
    criterion: text("criterion").notNull(),
    maxScore: integer("max_score").notNull(),
  },
  (t) => [primaryKey({ columns: [t.exerciseEdition, t.moduleSlug, t.criterionId] })],
);

export const courseCriterionObjectives = sqliteTable(
  "course_criterion_objectives",
  {
    exerciseEdition: text("exercise_edition").notNull(),
    moduleSlug: text("module_slug").notNull(),
    criterionId: text("criterion_id").notNull(),
    objectiveId: text("objective_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.exerciseEdition, t.moduleSlug, t.criterionId, t.objectiveId] })],
);

// ---- per-learner roll-ups of the raw records above ----------------------------------------------
// Derived data only: app/models/rollups.server.ts rebuilds them from the raw tables with the same
// set-based SQL, for one learner after each write and for everyone when the structure changes.

export const learnerModules = sqliteTable(
  "learner_modules",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleSlug: text("module_slug").notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    lastActivityAt: integer("last_activity_at", { mode: "timestamp_ms" }),
    /** The section the learner opened last: where they stopped, if they did. */
    lastSectionId: text("last_section_id"),
    sectionsRead: integer("sections_read").notNull().default(0),
    quizPassed: integer("quiz_passed", { mode: "boolean" }).notNull().default(false),
    /** The exercise is submitted and, when it asks for one, self-assessed: what completion needs of it. */
    exerciseDone: integer("exercise_done", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.userId, t.moduleSlug] })],
);

export const learnerStats = sqliteTable("learner_stats", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** Sections read plus quizzes passed, with completed modules counted whole. */
  unitsDone: integer("units_done").notNull().default(0),
  modulesCompleted: integer("modules_completed").notNull().default(0),
  /** Visits ended by a later event (VISIT_CAP_MS); the last visit counts once something follows it. */
  timeOnTaskMs: integer("time_on_task_ms").notNull().default(0),
  lastVisitAt: integer("last_visit_at", { mode: "timestamp_ms" }),
  lastActivityAt: integer("last_activity_at", { mode: "timestamp_ms" }),
});

export const latestAnswers = sqliteTable(
  "latest_answers",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleSlug: text("module_slug").notNull(),
    questionId: text("question_id").notNull(),
    correct: integer("correct", { mode: "boolean" }).notNull(),
    answeredAt: integer("answered_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.moduleSlug, t.questionId] })],
);

/**
 * Each criterion's result of a submitted exercise, by the rule of figures.server
 * (criterionResultsSql): the instructor's level, else the peers' median once enough are in.
 */
export const exerciseResults = sqliteTable(
  "exercise_results",
  {
    submissionId: text("submission_id")
      .notNull()
      .references(() => exerciseSubmissions.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleSlug: text("module_slug").notNull(),
    criterionId: text("criterion_id").notNull(),
    /** A peer median may fall between two levels. */
    score: real("score").notNull(),
    maxScore: integer("max_score").notNull(),
    source: text("source", { enum: ["instructor", "peers"] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.submissionId, t.criterionId] }), index("exercise_results_user_idx").on(t.userId, t.moduleSlug)],
);

/**
 * Where each submitted exercise stands in its reviews, for the backlog: derived from the reviews and
 * results by the roll-ups, for the author after each write.
 */
export const exerciseProgress = sqliteTable(
  "exercise_progress",
  {
    submissionId: text("submission_id")
      .primaryKey()
      .references(() => exerciseSubmissions.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleSlug: text("module_slug").notNull(),
    /** Peer reviews the exercise asks for, and those completed and not removed. */
    peersNeeded: integer("peers_needed").notNull(),
    peerReviews: integer("peer_reviews").notNull(),
    instructorNeeded: integer("instructor_needed", { mode: "boolean" }).notNull(),
    instructorDone: integer("instructor_done", { mode: "boolean" }).notNull(),
    /** A result is out (exercise_results). */
    reviewed: integer("reviewed", { mode: "boolean" }).notNull(),
  },
  // Covering: a cohort's backlog reads these from the index alone, starting from its learners.
  (t) => [index("exercise_progress_user_idx").on(t.userId, t.moduleSlug, t.peersNeeded, t.peerReviews, t.instructorNeeded, t.instructorDone, t.reviewed)],
);

export const learnerObjectives = sqliteTable(
  "learner_objectives",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    objectiveId: text("objective_id").notNull(),
    /**
     * The evidence's worth added up: each latest quiz answer 0 or 1, each exercise criterion result
     * level ÷ highest level (so not a whole number once an exercise counts).
     */
    correct: real("correct").notNull(),
    /** Pieces of evidence: latest quiz answers plus exercise criterion results. */
    answered: integer("answered").notNull(),
    /** Of those, exercise criterion results: the objective was shown in a practical exercise. */
    practical: integer("practical").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.objectiveId] }),
    // Covering: cohort mastery aggregates these columns for thousands of learners without table reads.
    index("learner_objectives_cover_idx").on(t.userId, t.objectiveId, t.answered, t.correct),
  ],
);

// ---- practical exercises ---------------------------------------------------------------------

/**
 * A learner's text for a module's exercise: one per learner and module, a draft until submitted,
 * read-only after. `edition` is the exercise it answers ('' the base one, else the edition's own).
 */
export const exerciseSubmissions = sqliteTable(
  "exercise_submissions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleSlug: text("module_slug").notNull(),
    edition: text("edition").notNull().default(""),
    exerciseVersion: text("exercise_version").notNull(),
    /** Task id → the learner's text. */
    texts: text("texts", { mode: "json" }).$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("exercise_submissions_user_module_unique").on(t.userId, t.moduleSlug),
    // The peer pool and the instructor queue: submitted texts of a module, oldest first.
    index("exercise_submissions_module_idx").on(t.moduleSlug, t.submittedAt),
  ],
);

export const REVIEW_KINDS = ["self", "peer", "instructor"] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/**
 * An assessment of a submission against its rubric: the learner's own (one), a peer's (allocated
 * first, completed later; one per peer) or the instructor's (one; a later save replaces it).
 */
export const exerciseReviews = sqliteTable(
  "exercise_reviews",
  {
    id: text("id").primaryKey(),
    submissionId: text("submission_id")
      .notNull()
      .references(() => exerciseSubmissions.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: REVIEW_KINDS }).notNull(),
    reviewerId: text("reviewer_id").references(() => users.id, { onDelete: "set null" }),
    /** When a peer was given it; an uncompleted peer review older than REVIEW_HOLD_MS is back in the pool. */
    assignedAt: integer("assigned_at", { mode: "timestamp_ms" }).notNull(),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    /** A peer's comment, or the instructor's feedback. */
    comment: text("comment"),
    /** A coordinator removed it as inappropriate: it no longer counts or shows. */
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
    removedBy: text("removed_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("exercise_reviews_peer_unique").on(t.submissionId, t.reviewerId).where(sql`kind = 'peer'`),
    uniqueIndex("exercise_reviews_single_unique").on(t.submissionId, t.kind).where(sql`kind in ('self', 'instructor')`),
    // Every read of a submission's reviews, of any kind: the partial indexes above serve only
    // queries that repeat their exact condition.
    index("exercise_reviews_submission_idx").on(t.submissionId, t.kind),
    index("exercise_reviews_reviewer_idx").on(t.reviewerId, t.kind, t.assignedAt),
  ],
);

/** The level a review gave each criterion. */
export const exerciseReviewLevels = sqliteTable(
  "exercise_review_levels",
  {
    reviewId: text("review_id")
      .notNull()
      .references(() => exerciseReviews.id, { onDelete: "cascade" }),
    criterionId: text("criterion_id").notNull(),
    score: integer("score").notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.criterionId] })],
);

/**
 * Drafts that arrived after the learner's session had ended, kept under a random token held in an
 * HttpOnly cookie until the learner signs in again and the exercise page puts them back.
 */
export const pendingDrafts = sqliteTable(
  "pending_drafts",
  {
    tokenHash: text("token_hash").primaryKey(),
    moduleSlug: text("module_slug").notNull(),
    texts: text("texts", { mode: "json" }).$type<Record<string, string>>().notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("pending_drafts_expires_idx").on(t.expiresAt)],
);

/** Extra quiz attempts a coordinator granted beyond the quiz's maxAttempts. */
export const attemptGrants = sqliteTable(
  "attempt_grants",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleSlug: text("module_slug").notNull(),
    extra: integer("extra").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.moduleSlug] })],
);

/**
 * Who did what, when: every export, drill-down view and coordinator action. No foreign keys, so
 * the record outlives a deleted learner or actor; names are copied at the time of the act.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    actorId: text("actor_id"),
    actorName: text("actor_name").notNull(),
    cohortId: integer("cohort_id"),
    action: text("action").notNull(),
    subjectId: text("subject_id"),
    subjectName: text("subject_name"),
    detail: text("detail"),
  },
  (t) => [index("audit_log_cohort_idx").on(t.cohortId, t.at)],
);
