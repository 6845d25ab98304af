import { z } from "zod";

const schema = z.object({
  APP_MODE: z.enum(["demo", "production"]).default("demo"),
  DATABASE_PATH: z.string().min(1).default("data/app.db"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  PUBLIC_ORIGIN: z
    .url({ protocol: /^https?$/ })
    .transform((u) => new URL(u).origin)
    .optional(),
  // How many reverse proxies stand in front of the app: the client address is read that many
  // hops from the right of X-Forwarded-For, never from the client-supplied left end.
  // The former flag values stay valid: yes/true mean one proxy, no/false none.
  TRUST_PROXY: z
    .union([z.enum(["true", "yes"]).transform(() => 1), z.enum(["false", "no"]).transform(() => 0), z.coerce.number()])
    .pipe(z.number().int("must be a whole number of proxies, like 1").min(0).max(10))
    .default(0),
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
