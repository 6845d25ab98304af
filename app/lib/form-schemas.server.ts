// Every form's zod schema. They live in a .server module so that zod never reaches the browser
// bundle (a schema at the top of a route module would be kept there).
import { z } from "zod";
import { passwordProblem } from "~/auth/password.server";
import { nameProblem, normalizeName } from "~/lib/names";
import type { PublicExercise } from "~/content/course.server";
import { MAX_INVITATION_DAYS, MAX_INVITATIONS_AT_ONCE, MAX_REVIEW_COMMENT, ROLES } from "~/lib/rules";
import { cohortFields } from "~/models/cohort.server";
import { checkLevels, LevelErrors } from "~/models/exercise.server";
import { QUEUE_VIEWS } from "~/models/exercise-queue.server";
import { LEARNER_FILTERS, LEARNER_SORTS, type LearnerFilter, type LearnerSort } from "~/models/report.server";

/** A person's name, by the one rule of ~/lib/names (also enforced where users are stored). */
export const fullName = z
  .string("Enter your full name.")
  .transform(normalizeName)
  .superRefine((name, ctx) => {
    const problem = nameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
const newPassword = (message: string) => z.string().min(1, message).max(1000);

export const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(1000),
  redirectTo: z.string().optional(),
});

export const joinSchema = z
  .object({
    name: fullName,
    email: z.email("Enter a valid email address, like name@ministry.gov.").trim().max(254),
    password: newPassword("Choose a password."),
    country: z.string().trim().min(2, "Enter the country you serve.").max(80, "Use at most 80 characters."),
  })
  // Run even when other fields failed, so that a person sees every problem in one round.
  .superRefine(
    ({ name, email, password }, ctx) => {
      if (typeof password !== "string" || !password) return;
      const personal = [email, name].filter((v): v is string => typeof v === "string");
      const problem = passwordProblem(password, personal);
      if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
    },
    { when: () => true },
  );

export const accountSchemas = {
  name: z.object({ name: fullName }),
  password: z.object({
    currentPassword: z.string().min(1, "Enter your current password."),
    newPassword: newPassword("Choose a new password."),
  }),
};

export const resetSchema = z.object({ password: newPassword("Choose a password.") });

export function cohortSchema(editionIds: string[]) {
  return z.object({
    ...cohortFields,
    edition: z
      .string()
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || editionIds.includes(v), "Choose one of the listed editions."),
  });
}

const optionalEmail = z
  .string()
  .trim()
  .transform((v) => v || null)
  .pipe(z.email("Enter a valid email address, or leave it empty.").nullable());

export const cohortPageSchemas = {
  invite: z.object({
    role: z.enum(ROLES, "Choose a role."),
    count: z.coerce
      .number("Enter a number.")
      .int("Enter a whole number.")
      .min(1, "Create at least 1 invitation.")
      .max(MAX_INVITATIONS_AT_ONCE, `Create at most ${MAX_INVITATIONS_AT_ONCE} at a time.`),
    email: optionalEmail.optional().transform((v) => v ?? null),
    expiresDays: z.coerce
      .number("Enter a number of days.")
      .int("Enter a whole number of days.")
      .min(1, "At least 1 day.")
      .max(MAX_INVITATION_DAYS, `At most ${MAX_INVITATION_DAYS} days.`),
  }),
  invitation: z.object({ id: z.coerce.number().int().positive() }),
  member: z.object({ userId: z.string().min(1) }),
  coordinator: z.object({ email: z.email("Enter a valid email address.").trim() }),
};

/**
 * A page of a long list, from the query string. Like the rest of a query string, anything that is
 * not a page number we could show (1e308, -1, NaN, a word) falls back to the first page.
 */
export const pageNumber = z.coerce.number().int().positive().max(100_000).catch(1);

/** The page number that the query string of `url` gives under `name`. */
export const pageParam = (url: URL, name = "page") => pageNumber.parse(url.searchParams.get(name));

/** The report's query string: anything unexpected falls back to the default view. */
export const reportQuerySchema = z.object({
  status: z.enum(LEARNER_FILTERS as [LearnerFilter, ...LearnerFilter[]]).catch("all"),
  sort: z.enum(LEARNER_SORTS as [LearnerSort, ...LearnerSort[]]).catch("name"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  page: pageNumber,
});

export const learnerPageSchemas = {
  grant: z.object({ module: z.string().trim().min(1, "Choose a quiz.").max(100) }),
  /** Deleting needs the learner's name typed out: a slip of the mouse cannot remove a person's records. */
  delete: (name: string) =>
    z.object({
      confirmName: z
        .string()
        .trim()
        .refine((v) => v.toLowerCase() === name.trim().toLowerCase(), `Type the learner's name, ${name}, to confirm.`),
    }),
};

/**
 * A rubric form, the one reading of every page that gives levels (self-assessment, peer review,
 * instructor's review): a level per criterion (`criterion.<criterionId>`, checked by the model's one
 * rule, checkLevels, whose message is shown beside each group) and, when the form has one, an
 * optional text (`comment` or `feedback`), counted as the model stores it. The model checks the
 * levels again: this is what lets level and text errors show in one round.
 */
export function rubricFormSchema(exercise: Pick<PublicExercise, "rubric">, text?: { name: "comment" | "feedback"; label: string }) {
  const levelsOf = (fields: Record<string, unknown>) => Object.fromEntries(exercise.rubric.map((c) => [c.id, fields[`criterion.${c.id}`]]));
  const shape: Record<string, z.ZodType<string | undefined>> = Object.fromEntries(
    exercise.rubric.map((c) => [`criterion.${c.id}`, z.string().optional()]),
  );
  if (text) {
    shape[text.name] = z
      .string()
      .optional()
      // A browser sends each line break as two characters; the model stores one.
      .transform((v) => (v ?? "").replace(/\r\n?/g, "\n").trim())
      .pipe(z.string().max(MAX_REVIEW_COMMENT, `Keep the ${text.label} to ${MAX_REVIEW_COMMENT} characters.`));
  }
  return z
    .object(shape)
    // Run even when the text failed, so that a person sees every problem in one round.
    .superRefine(
      (fields, ctx) => {
        try {
          checkLevels(exercise, levelsOf(fields));
        } catch (error) {
          if (!(error instanceof LevelErrors)) throw error;
          for (const [id, message] of Object.entries(error.errors)) ctx.addIssue({ code: "custom", path: [`criterion.${id}`], message });
        }
      },
      { when: () => true },
    )
    .transform((fields) => ({ levels: levelsOf(fields), text: text ? (fields[text.name] ?? "") : null }));
}

/** The instructor queue's query string: a view and two filters; anything unexpected shows everything waiting. */
export const exerciseQueueQuerySchema = z.object({
  show: z.enum(QUEUE_VIEWS).catch("waiting"),
  module: z.string().max(100).catch(""),
  cohort: z.string().max(100).catch(""),
});

export const staffSubmissionSchemas = {
  removeReview: z.object({
    reviewId: z.string().min(1).max(100),
    reason: z.string("Say why this review is removed.").trim().min(1, "Say why this review is removed.").max(500, "Use at most 500 characters."),
  }),
};

/** What the exercise page's buttons ask for (/modules/:slug/exercise). */
export const exerciseIntentSchema = z.object({
  intent: z.enum(["save", "submit", "self-assess"], "Use one of the page's buttons: save, submit or send the self-assessment."),
});
