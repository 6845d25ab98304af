import { z } from "zod";

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .transform((v) => v === "1" || v === "true" || v === "yes");

const schema = z.object({
  APP_MODE: z.enum(["demo", "production"]).default("demo"),
  DATABASE_PATH: z.string().min(1).default("data/app.db"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  PUBLIC_ORIGIN: z
    .url({ protocol: /^https?$/ })
    .transform((u) => new URL(u).origin)
    .optional(),
  TRUST_PROXY: booleanFlag.default(false),
  BACKUP_DIR: z.string().min(1).optional(),
  MIGRATIONS_DIR: z.string().min(1).default("drizzle"),
  CONTENT_BUILD_DIR: z.string().min(1).default(".content-build"),
  // The organisation named on certificates and printed reports; it signs what leaves the app.
  ISSUER_NAME: z.string().trim().min(1).max(120, "must be at most 120 characters").default("Cyber Diplomacy Academy"),
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as a shell `VAR=` usually means.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = schema.safeParse(cleaned);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`);
  // Checked by hand so that it is reported together with any other problem.
  if (cleaned.APP_MODE === "production" && !cleaned.PUBLIC_ORIGIN) {
    problems.push("PUBLIC_ORIGIN: is required when APP_MODE=production (e.g. https://academy.example.org)");
  }
  if (!result.success || problems.length) {
    throw new EnvError(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The origin used in links we print or send (invitations, resets). */
export function publicOrigin(env: Env = getEnv()): string {
  return env.PUBLIC_ORIGIN ?? `http://localhost:${env.PORT || 3000}`;
}

/** The origin for links shown to a user: the configured one, or in demo mode the one they used. */
export function originFor(request: Request, env: Env = getEnv()): string {
  return env.PUBLIC_ORIGIN ?? new URL(request.url).origin;
}
