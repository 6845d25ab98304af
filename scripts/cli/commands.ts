// The operator CLI: what must work with no browser (first coordinator of a fresh install,
// cohorts, invitations, account rescue, backups). `npm run cli -- --help` lists it.
import fs from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import Database from "better-sqlite3";
import { z } from "zod";
import { hashPassword, passwordProblem } from "~/auth/password.server";
import { editionName, listEditions } from "~/content/course.server";
import { closeDb, getSqlite, StorageError } from "~/db/client.server";
import { backupTo, integrityCheck } from "~/db/migrate.server";
import { ROLES, type Role } from "~/db/schema";
import { EnvError, getEnv, publicOrigin } from "~/env.server";
import { cohortFields, createCohort, findCohortBySlug } from "~/models/cohort.server";
import { removeDemoData } from "~/models/demo.server";
import { DomainError } from "~/models/errors.server";
import { makeUserSync } from "~/models/factories.server";
import { createInvitations, invitationPath } from "~/models/invitation.server";
import { fullName } from "~/lib/form-schemas.server";
import { DEFAULT_INVITATION_DAYS, MAX_INVITATION_DAYS, MAX_INVITATIONS_AT_ONCE } from "~/lib/rules";
import { createPasswordReset, resetPath } from "~/models/password-reset.server";
import { findUserByEmail, setUserActive, setUserRole } from "~/models/user.server";
import { migrateDatabase } from "~/server/boot.server";

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  readStdin: () => Promise<string>;
}

/** Wrong arguments: usage is printed and the exit code is 2. */
class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

interface Command {
  usage: string;
  summary: string;
  options: Options;
  positionals?: number;
  /** Whether the command needs the database migrated first. */
  database?: boolean;
  run: (args: { values: ReturnType<typeof parseArgs>["values"]; positionals: string[]; io: CliIO }) => Promise<void> | void;
}

const email = z.email("must be an email address").trim();
const role = z.enum(ROLES, `must be one of ${ROLES.join(", ")}`);
// Plain decimal digits only: Number() would also take "1e2", "0x10" or " 5 ".
const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, "must be a whole number written in digits")
    .transform(Number)
    .pipe(z.number().min(1, "must be at least 1").max(max, `must be at most ${max}`));

function option<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--${name} ${parsed.error.issues[0]?.message ?? "is not valid"}`);
  return parsed.data;
}

function required(values: Record<string, unknown>, ...names: string[]) {
  const missing = names.filter((n) => values[n] === undefined || values[n] === "");
  if (missing.length) throw new UsageError(`missing ${missing.map((n) => `--${n}`).join(", ")}`);
}

function userByEmail(address: string) {
  const user = findUserByEmail(address);
  if (!user) throw new DomainError(`No account has the email address ${address}.`);
  return user;
}

const COMMANDS: Record<string, Command> = {
  "user:create": {
    usage: "user:create --email <email> --name <name> --role <learner|instructor|coordinator> [--country <country>] [--password-stdin]",
    summary:
      "Create an account (how the first coordinator of a fresh install is made). Without --password-stdin, prints a one-time link to set the password.",
    options: {
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      country: { type: "string" },
      "password-stdin": { type: "boolean" },
    },
    database: true,
    async run({ values, io }) {
      required(values, "email", "name", "role");
      const address = option(email, values.email, "email");
      const name = option(fullName, values.name, "name");
      const userRole: Role = option(role, values.role, "role");
      let passwordHash: string | null = null;
      if (values["password-stdin"]) {
        const password = (await io.readStdin()).replace(/\r?\n$/, "");
        const problem = passwordProblem(password, [address, name]);
        if (problem) throw new DomainError(`Password not accepted: ${problem}`);
        passwordHash = await hashPassword(password);
      }
      const user = makeUserSync({
        email: address,
        name,
        role: userRole,
        country: typeof values.country === "string" ? values.country.trim() : null,
        passwordHash,
      });
      io.out(`Created ${user.role} ${user.name} <${user.email}>.`);
      if (!passwordHash) {
        const { token, expiresAt } = createPasswordReset({ userId: user.id });
        io.out(`Set-password link (one use, until ${expiresAt.toISOString()}):`);
        io.out(`${publicOrigin()}${resetPath(token)}`);
      }
    },
  },
  "cohort:create": {
    usage: "cohort:create --slug <slug> --name <name> [--edition <edition-id>] [--coordinator <email>]",
    summary: "Create a cohort, optionally with a country edition and its first coordinator.",
    options: {
      slug: { type: "string" },
      name: { type: "string" },
      edition: { type: "string" },
      coordinator: { type: "string" },
    },
    database: true,
    run({ values, io }) {
      required(values, "slug", "name");
      const slug = option(cohortFields.slug, values.slug, "slug");
      const name = option(cohortFields.name, values.name, "name");
      const edition = typeof values.edition === "string" && values.edition ? values.edition : null;
      if (edition && !listEditions().some((e) => e.id === edition)) {
        const known = listEditions().map((e) => e.id);
        throw new UsageError(`--edition must be one of: ${known.join(", ") || "(no editions in content/course.yml)"}`);
      }
      let coordinatorId: string | null = null;
      if (typeof values.coordinator === "string") {
        const coordinator = userByEmail(option(email, values.coordinator, "coordinator"));
        if (coordinator.role !== "coordinator") {
          throw new DomainError(`${coordinator.email} is a ${coordinator.role}, not a coordinator.`);
        }
        coordinatorId = coordinator.id;
      }
      const cohort = createCohort({ slug, name, edition, coordinatorId });
      io.out(
        `Created cohort ${cohort.slug} (“${cohort.name}”${edition ? `, ${editionName(edition)} edition` : ""})` +
          `${coordinatorId ? `, coordinated by ${String(values.coordinator)}` : ""}.`,
      );
    },
  },
  "invite:create": {
    usage:
      "invite:create --cohort <slug> --role <learner|instructor|coordinator> [--count <n>] [--email <email>] [--expires-days <days>]",
    summary: "Create invitation links for a cohort and print them (they cannot be shown again).",
    options: {
      cohort: { type: "string" },
      role: { type: "string" },
      count: { type: "string" },
      email: { type: "string" },
      "expires-days": { type: "string" },
    },
    database: true,
    run({ values, io }) {
      required(values, "cohort", "role");
      const invitedRole = option(role, values.role, "role");
      const count = values.count === undefined ? 1 : option(positiveInt(MAX_INVITATIONS_AT_ONCE), values.count, "count");
      const boundEmail = values.email === undefined ? null : option(email, values.email, "email");
      const expiresDays =
        values["expires-days"] === undefined
          ? DEFAULT_INVITATION_DAYS
          : option(positiveInt(MAX_INVITATION_DAYS), values["expires-days"], "expires-days");
      const cohort = findCohortBySlug(String(values.cohort));
      if (!cohort) throw new DomainError(`No cohort has the slug ${String(values.cohort)}.`);
      const { codes, expiresAt } = createInvitations({
        cohortId: cohort.id,
        role: invitedRole,
        count,
        email: boundEmail,
        expiresDays,
        createdBy: null,
      });
      io.err(`${codes.length} ${invitedRole} invitation(s) for ${cohort.slug}, valid until ${expiresAt.toISOString()}:`);
      for (const code of codes) io.out(`${publicOrigin()}${invitationPath(code)}`);
    },
  },
  "user:set-role": {
    usage: "user:set-role --email <email> --role <learner|instructor|coordinator>",
    summary: "Change an account's role (its cohort memberships follow).",
    options: { email: { type: "string" }, role: { type: "string" } },
    database: true,
    run({ values, io }) {
      required(values, "email", "role");
      const user = userByEmail(option(email, values.email, "email"));
      const newRole = option(role, values.role, "role");
      setUserRole({ userId: user.id, role: newRole });
      io.out(`${user.email} is now a ${newRole}.`);
    },
  },
  "user:deactivate": {
    usage: "user:deactivate --email <email> [--undo]",
    summary: "Deactivate an account and end all its sessions (--undo reactivates it).",
    options: { email: { type: "string" }, undo: { type: "boolean" } },
    database: true,
    run({ values, io }) {
      required(values, "email");
      const user = userByEmail(option(email, values.email, "email"));
      const active = values.undo === true;
      setUserActive({ userId: user.id, active });
      io.out(active ? `${user.email} is active again.` : `${user.email} is deactivated and signed out everywhere.`);
    },
  },
  "user:reset-password": {
    usage: "user:reset-password --email <email>",
    summary: "Print a one-time link with which the person sets a new password.",
    options: { email: { type: "string" } },
    database: true,
    run({ values, io }) {
      required(values, "email");
      const user = userByEmail(option(email, values.email, "email"));
      if (user.deactivatedAt) throw new DomainError(`${user.email} is deactivated: reactivate it first.`);
      const { token, expiresAt } = createPasswordReset({ userId: user.id });
      io.err(`One-time password link for ${user.email}, valid until ${expiresAt.toISOString()}:`);
      io.out(`${publicOrigin()}${resetPath(token)}`);
    },
  },
  "db:backup": {
    usage: "db:backup <file>",
    summary: "Write a consistent online copy of the database to <file> (safe while the app runs).",
    options: {},
    positionals: 1,
    database: true,
    async run({ positionals, io }) {
      const target = path.resolve(positionals[0] ?? "");
      if (fs.existsSync(target)) throw new DomainError(`${target} already exists; choose a new file name.`);
      await backupTo(getSqlite(), target);
      const copy = new Database(target, { readonly: true });
      try {
        const verdict = integrityCheck(copy);
        if (verdict !== "ok") throw new DomainError(`The backup failed its integrity check: ${verdict}`);
      } finally {
        copy.close();
      }
      io.out(`Backed up ${getEnv().DATABASE_PATH} to ${target} (${fs.statSync(target).size} bytes, integrity ok).`);
    },
  },
  "demo:remove": {
    usage: "demo:remove",
    summary: "Delete the demo accounts (and the demo cohort if it is left empty) before going to production.",
    options: {},
    database: true,
    run({ io }) {
      io.out(`Removed ${removeDemoData()} demo account(s).`);
    },
  },
};

function help(io: CliIO, write: (line: string) => void = io.out) {
  write("Usage: npm run cli -- <command> [options]");
  write("");
  for (const command of Object.values(COMMANDS)) {
    write(`  ${command.usage}`);
    write(`      ${command.summary}`);
  }
  write("");
  write("Environment: DATABASE_PATH (default data/app.db), APP_MODE, PUBLIC_ORIGIN (for printed links).");
  write("Exit codes: 0 done, 1 refused (nothing changed), 2 bad arguments.");
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    help(io, name ? io.out : io.err);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`Unknown command: ${name}`);
    help(io, io.err);
    return 2;
  }
  try {
    if (rest.includes("--help") || rest.includes("-h")) {
      io.out(`Usage: npm run cli -- ${command.usage}`);
      io.out(command.summary);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const expected = command.positionals ?? 0;
    if (parsed.positionals.length !== expected) {
      throw new UsageError(
        expected ? `expected ${expected} argument(s), got ${parsed.positionals.length}` : `unexpected argument: ${parsed.positionals[0]}`,
      );
    }
    if (command.database) await migrateDatabase(getEnv());
    await command.run({ values: parsed.values, positionals: parsed.positionals, io });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`Error: ${error.message}`);
      io.err(`Usage: npm run cli -- ${command.usage}`);
      return 2;
    }
    if (error instanceof DomainError || error instanceof EnvError || error instanceof StorageError) {
      io.err(`Error: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    closeDb();
  }
}
