// The authoring format's schemas (course.yml, lesson frontmatter, quiz.yml) and the shapes of the
// compiled artifacts. One source of truth: the compiler validates with these, the server reads
// the artifacts typed by them.
import { z } from "zod";

const id = z
  .string("must be text")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "must be letters, digits, '-' or '_' (e.g. LO1, q3, b)");
const kebab = z.string("must be text").regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case words joined by '-' (e.g. uruguay)");
const text = (what: string) => z.string(`${what} must be text`).trim().min(1, `${what} must not be empty`);

export const courseSchema = z.strictObject({
  title: text("title"),
  description: text("description"),
  masteryThreshold: z.number("must be a number between 0 and 1").min(0).max(1).default(0.8),
  objectives: z
    .array(
      z.strictObject({ id, title: text("title"), description: text("description") }),
      "must be a list of objectives",
    )
    .min(1, "list at least one objective"),
  editions: z.array(z.strictObject({ id: kebab, name: text("name") }), "must be a list of editions").default([]),
});
export type CourseFile = z.infer<typeof courseSchema>;

export const sourceSchema = z.strictObject({
  title: text("title"),
  symbol: z.string().trim().min(1).optional(),
  year: z.union([z.number().int(), z.string().regex(/^\d{4}$/)]).transform(Number).optional(),
  url: z.url("must be a full web address (https://…)").optional(),
});
export type SourceRef = z.infer<typeof sourceSchema>;

export const RESERVED_SECTION_IDS = ["quiz", "print", "exercise"] as const;

export const frontmatterSchema = z.strictObject({
  title: text("title"),
  summary: text("summary"),
  order: z.number("must be a whole number").int("must be a whole number"),
  objectives: z.array(id, "must be a list of objective ids, e.g. [LO1, LO2]").min(1, "list at least one objective"),
  estimatedMinutes: z.number("must be a number of minutes").int("must be a whole number").positive("must be more than 0"),
  sources: z.array(sourceSchema, "must be a list of sources").default([]),
  sectionIds: z.record(z.string(), kebab, "must map heading text to an id").default({}),
  /** When the module's facts were last checked: learners see "content current as of" this date. */
  reviewed: z
    .string("must be a date like 2026-11-30")
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-11-30")
    .optional(),
});
export type Frontmatter = z.infer<typeof frontmatterSchema>;

const choiceSchema = z.strictObject({
  id,
  text: text("text"),
  correct: z.boolean("must be true or false"),
  feedback: z.string().trim().min(1).optional(),
});

export const QUESTION_TYPES = ["single", "multiple", "true-false"] as const;
/** Knowledge items test recall and understanding; application items put a situation to the learner. */
export const QUESTION_KINDS = ["knowledge", "application"] as const;

export const questionSchema = z.strictObject({
  id,
  objectives: z.array(id, "must be a list of objective ids").min(1, "list at least one objective").max(2, "align a question with one or two objectives"),
  /** The lesson section it assesses (its id): "review this" after a wrong answer. */
  section: kebab.optional(),
  kind: z.enum(QUESTION_KINDS, `must be one of: ${QUESTION_KINDS.join(", ")}`).optional(),
  type: z.enum(QUESTION_TYPES, `must be one of: ${QUESTION_TYPES.join(", ")}`),
  prompt: text("prompt"),
  choices: z.array(choiceSchema, "must be a list of choices").optional(),
  answer: z.boolean("must be true or false").optional(),
  explanation: text("explanation"),
});

export const quizSchema = z.strictObject({
  passingScore: z.number("must be a number between 0 and 1").min(0).max(1).default(0.7),
  maxAttempts: z.number().int().positive().optional(),
  shuffle: z.boolean().default(false),
  /** Questions drawn for each attempt from the bank, stratified by objective; all of them when absent. */
  draw: z.number("must be a whole number").int("must be a whole number").positive("must be more than 0").optional(),
  questions: z.array(questionSchema, "must be a list of questions").min(1, "list at least one question"),
});
export type QuizFile = z.infer<typeof quizSchema>;

/** An edition's own questions (`editions/<edition>.quiz.yml`), drawn only for that edition's cohorts. */
export const editionQuizSchema = z.strictObject({
  questions: z.array(questionSchema, "must be a list of questions").min(1, "list at least one question"),
});

const words = (what: string) => z.number(`${what} must be a whole number`).int(`${what} must be a whole number`).positive(`${what} must be more than 0`);

export const exerciseTaskSchema = z.strictObject({
  id,
  /** Markdown: what the learner writes. */
  prompt: text("prompt"),
  minWords: words("minWords"),
  maxWords: words("maxWords"),
});

export const rubricLevelSchema = z.strictObject({
  score: z.number("must be a whole number from 0 up").int("must be a whole number from 0 up").min(0, "must be a whole number from 0 up"),
  label: text("label"),
  descriptor: text("descriptor"),
});

export const rubricCriterionSchema = z.strictObject({
  id,
  criterion: text("criterion"),
  objectives: z.array(id, "must be a list of objective ids").min(1, "list at least one objective"),
  levels: z.array(rubricLevelSchema, "must be a list of levels").min(2, "give at least two levels (scores 0 and 1)"),
});

export const reviewSchema = z.strictObject({
  self: z.boolean("must be true or false"),
  /** Peer reviews each submission needs; 0 for none. */
  peers: z.number("must be a whole number (0 for no peer review)").int("must be a whole number (0 for no peer review)").min(0, "must be 0 or more"),
  instructor: z.boolean("must be true or false"),
});

/** A module's practical exercise (`exercise.yml`). */
export const exerciseSchema = z.strictObject({
  title: text("title"),
  /** Markdown: the situation. */
  brief: text("brief"),
  tasks: z.array(exerciseTaskSchema, "must be a list of tasks").min(1, "list at least one task"),
  rubric: z.array(rubricCriterionSchema, "must be a list of criteria").min(1, "list at least one criterion"),
  /** Markdown; server-only until the learner has submitted. */
  modelAnswer: text("modelAnswer"),
  review: reviewSchema,
  /** Whether the module's completion needs the exercise submitted. */
  required: z.boolean("must be true or false"),
});
export type ExerciseFile = z.infer<typeof exerciseSchema>;

/** An edition's exercise (`editions/<edition>.exercise.yml`): same fields; it replaces the base exercise for that edition's learners. */
export const editionExerciseSchema = exerciseSchema;

// ---- compiled artifacts --------------------------------------------------------------------

export interface SectionMeta {
  id: string;
  title: string;
  wordCount: number;
}

export interface Section extends SectionMeta {
  /** As part of the whole lesson (print view, preview): its `##` title is an h2. */
  html: string;
  /** As its own page, under an h1 with its title: without that title, every heading one level up. */
  pageHtml: string;
}

export interface GlossaryEntry {
  term: string;
  html: string;
  module: string;
}

/** One lesson (the base or an edition), as the learner sees it. */
export interface LessonArtifact {
  slug: string;
  edition: string | null;
  title: string;
  summary: string;
  estimatedMinutes: number;
  wordCount: number;
  sections: Section[];
  glossary: GlossaryEntry[];
  sources: SourceRef[];
  /** When its facts were last checked (YYYY-MM-DD): "content current as of". An edition without its own date has the base lesson's. */
  reviewed?: string | null;
}

/**
 * A module's quiz bank as the server reads it to draw attempts: the base questions and every
 * edition's own ones (`edition` set), with no correct flags, feedback or explanations. The server
 * sends a learner only the questions drawn for their attempt.
 */
export interface PublicQuiz {
  /** Changes whenever quiz.yml or an edition's quiz file changes. */
  version: string;
  passingScore: number;
  maxAttempts: number | null;
  shuffle: boolean;
  /** Questions drawn per attempt; null: the whole bank. */
  draw: number | null;
  questions: {
    id: string;
    type: (typeof QUESTION_TYPES)[number];
    objectives: string[];
    /** The lesson section it assesses (in the lesson of its edition, or the base lesson), or null. */
    section: string | null;
    kind: (typeof QUESTION_KINDS)[number] | null;
    /** null: a base question, drawn for every learner; else drawn only for that edition's cohorts. */
    edition: string | null;
    promptHtml: string;
    choices: { id: string; html: string }[];
  }[];
}

/** The answer key, read on the server only after a submission (and by instructors). */
export interface QuizKey {
  version: string;
  questions: {
    id: string;
    correct: string[];
    feedbackHtml: Record<string, string>;
    explanationHtml: string;
  }[];
}

/** A module's exercise as a learner may see it before submitting: no model answer. */
export interface PublicExercise {
  slug: string;
  /** null: the base exercise; else the edition's own, which replaces it for that edition. */
  edition: string | null;
  /** Changes whenever the exercise file changes. */
  version: string;
  title: string;
  briefHtml: string;
  tasks: { id: string; promptHtml: string; minWords: number; maxWords: number }[];
  rubric: {
    id: string;
    criterion: string;
    objectives: string[];
    levels: { score: number; label: string; descriptor: string }[];
  }[];
  review: { self: boolean; peers: number; instructor: boolean };
  required: boolean;
}

/** The model answer: read on the server only, shown after the learner has submitted. */
export interface ModelAnswer {
  slug: string;
  edition: string | null;
  version: string;
  html: string;
}

export interface ModuleSummary {
  slug: string;
  title: string;
  summary: string;
  order: number;
  objectives: string[];
  estimatedMinutes: number;
  wordCount: number;
  sections: SectionMeta[];
  editions: { id: string; wordCount: number; sections: SectionMeta[] }[];
  /** The base bank; `editions` adds each edition's own questions (a reader of that edition meets both). */
  quiz: {
    version: string;
    draw: number | null;
    questionCount: number;
    questionsPerObjective: Record<string, number>;
    editions?: Record<string, { questionCount: number; questionsPerObjective: Record<string, number> }>;
  } | null;
  /** The base exercise's settings (an edition's own exercise may differ: read it with getPublicExercise), or null. */
  exercise?: { required: boolean; review: { self: boolean; peers: number; instructor: boolean }; editions: string[] } | null;
  warnings: string[];
}

export interface CourseArtifact {
  /** Every key term of the base lessons, for the course glossary page. */
  glossary: GlossaryEntry[];
  /** Every source cited, with the modules that cite it. */
  sources: (SourceRef & { modules: string[] })[];
  title: string;
  description: string;
  masteryThreshold: number;
  objectives: CourseFile["objectives"];
  editions: CourseFile["editions"];
  modules: ModuleSummary[];
  builtAt: string;
  warnings: string[];
  /** The quality gate's figures (absent in releases built before the gate). */
  quality?: QualityReport;
}

/** The quality gate's figures of one bank (a module's quiz, or its edition's), or of the whole course. */
export interface QualityFigures {
  label: string;
  module: string | null;
  edition: string | null;
  questions: number;
  draw: number | null;
  perObjective: Record<string, number>;
  application: number;
  applicationShare: number;
  /** Single-choice questions, and the share of them whose key is strictly the longest choice. */
  single: number;
  keyLongestShare: number | null;
  keyShortestShare: number | null;
  /** Mean key length over mean distractor length, single-choice questions. */
  keyLengthRatio: number | null;
  /** Keys of single-choice questions per position (index 0 is the first choice). */
  keyPositions: number[];
  multiple: number;
  /** Share of multiple-choice questions whose keys are exactly the first choices. */
  multiplePrefixShare: number | null;
  trueFalse: { true: number; false: number };
  /** Problems the gate found in this bank (absent for the course row). */
  errors?: number;
  warnings?: number;
}

export interface QualityReport {
  thresholds: Record<string, number>;
  quizzes: QualityFigures[];
  course: QualityFigures;
}
