import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { cohorts, invitations, users } from "~/db/schema";
import { findCohortBySlug, listMembers } from "~/models/cohort.server";
import { makeUser } from "~/models/factories.server";
import { lookupInvitation } from "~/models/invitation.server";
import { lookupPasswordReset } from "~/models/password-reset.server";
import { findUserByEmail } from "~/models/user.server";
import { runCli } from "./commands";

async function cli(argv: string[], stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => stdin });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function rowCounts() {
  const db = getDb();
  const count = (t: typeof users | typeof cohorts | typeof invitations) =>
    db.select({ n: sql<number>`count(*)` }).from(t).get()?.n ?? 0;
  return { users: count(users), cohorts: count(cohorts), invitations: count(invitations) };
}

const codeOf = (link: string) => link.split("/join/")[1] ?? "";

describe("operator CLI", () => {
  it("prints help, and usage with exit code 2 for unknown commands", async () => {
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    for (const c of ["user:create", "cohort:create", "invite:create", "user:set-role", "user:deactivate", "user:reset-password", "db:backup"]) {
      expect(help.out).toContain(c);
    }
    const unknown = await cli(["user:explode"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown command/);
    expect((await cli([])).code).toBe(2);
  });

  it("creates the first coordinator with a password from stdin", async () => {
    const r = await cli(
      ["user:create", "--email", "First@Ministry.example", "--name", "First Coordinator", "--role", "coordinator", "--password-stdin"],
      "granite meadow lamp 9\n",
    );
    expect(r).toMatchObject({ code: 0 });
    const user = findUserByEmail("first@ministry.example");
    expect(user).toMatchObject({ role: "coordinator", name: "First Coordinator" });
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("without --password-stdin prints a one-time set-password link", async () => {
    const r = await cli(["user:create", "--email", "nopass@ministry.example", "--name", "No Pass", "--role", "instructor"]);
    expect(r.code).toBe(0);
    const link = r.out.split("\n").find((l) => l.includes("/reset/"));
    expect(link).toMatch(/^http:\/\/localhost:3000\/reset\//);
    expect(lookupPasswordReset(link!.split("/reset/")[1]!)?.email).toBe("nopass@ministry.example");
  });

  it("refuses bad user:create input with the right exit code and writes nothing", async () => {
    const before = rowCounts();
    expect((await cli(["user:create", "--email", "x@y.example", "--name", "X Y"])).code).toBe(2); // no role
    expect((await cli(["user:create", "--email", "not-an-email", "--name", "X Y", "--role", "learner"])).code).toBe(2);
    expect((await cli(["user:create", "--email", "x@y.example", "--name", "X Y", "--role", "king"])).code).toBe(2);
    expect((await cli(["user:create", "--email", "x@y.example", "--name", "X Y", "--role", "learner", "--bogus"])).code).toBe(2);
    const override = await cli(["user:create", "--email", "x@y.example", "--name", "Ana \u202Ezerép", "--role", "learner"]);
    expect(override.code).toBe(2);
    expect(override.err).toMatch(/--name .*invisible or control characters/);
    const weak = await cli(["user:create", "--email", "x@y.example", "--name", "X Y", "--role", "learner", "--password-stdin"], "password1234");
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/too common/);
    await makeUser({ email: "dupe@y.example", passwordHash: null });
    const after = rowCounts();
    const dupe = await cli(["user:create", "--email", "DUPE@y.example", "--name", "Dupe", "--role", "learner"]);
    expect(dupe.code).toBe(1);
    expect(dupe.err).toMatch(/already exists/);
    expect(rowCounts()).toEqual(after);
    expect(after.users).toBe(before.users + 1);
  });

  it("creates a cohort with an edition and a coordinator, then invitations for it", async () => {
    await makeUser({ email: "coord@cli.example", role: "coordinator", passwordHash: null });
    const created = await cli(["cohort:create", "--slug", "mvd-2026", "--name", "Montevideo 2026", "--edition", "uruguay", "--coordinator", "coord@cli.example"]);
    expect(created.code).toBe(0);
    const cohort = findCohortBySlug("mvd-2026");
    expect(cohort).toMatchObject({ name: "Montevideo 2026", edition: "uruguay" });
    expect(listMembers({ cohortId: cohort!.id }).rows.map((m) => [m.email, m.role])).toEqual([["coord@cli.example", "coordinator"]]);

    const invites = await cli(["invite:create", "--cohort", "mvd-2026", "--role", "learner", "--count", "3", "--expires-days", "7"]);
    expect(invites.code).toBe(0);
    const links = invites.out.split("\n");
    expect(links).toHaveLength(3);
    for (const link of links) {
      expect(link).toMatch(/^http:\/\/localhost:3000\/join\/[\w-]{43}$/);
      expect(lookupInvitation(codeOf(link)).status).toBe("pending");
    }
    const bound = await cli(["invite:create", "--cohort", "mvd-2026", "--role", "instructor", "--email", "Prof@cli.example"]);
    const found = lookupInvitation(codeOf(bound.out));
    expect(found.status === "pending" && found.invitation).toMatchObject({ role: "instructor", email: "prof@cli.example" });
  });

  it("refuses bad cohort and invitation arguments without writing", async () => {
    await cli(["cohort:create", "--slug", "taken", "--name", "Taken"]);
    const before = rowCounts();
    expect((await cli(["cohort:create", "--slug", "Bad Slug", "--name", "X"])).code).toBe(2);
    expect((await cli(["cohort:create", "--slug", "ok-slug", "--name", "X Y", "--edition", "atlantis"])).code).toBe(2);
    expect((await cli(["cohort:create", "--slug", "taken", "--name", "Again"])).code).toBe(1);
    expect((await cli(["cohort:create", "--slug", "ok-slug", "--name", "X Y", "--coordinator", "ghost@cli.example"])).code).toBe(1);
    expect((await cli(["invite:create", "--cohort", "taken", "--role", "learner", "--count", "0"])).code).toBe(2);
    expect((await cli(["invite:create", "--cohort", "taken", "--role", "learner", "--count", "many"])).code).toBe(2);
    expect((await cli(["invite:create", "--cohort", "taken", "--role", "learner", "--count", "2", "--email", "a@b.example"])).code).toBe(1);
    expect((await cli(["invite:create", "--cohort", "missing", "--role", "learner"])).code).toBe(1);
    expect((await cli(["invite:create", "--cohort", "taken"])).code).toBe(2);
    expect(rowCounts()).toEqual(before);
  });

  it("takes whole-number options only as plain decimal digits", async () => {
    await cli(["cohort:create", "--slug", "digits", "--name", "Digits"]);
    const before = rowCounts();
    for (const count of ["1e2", "0x10", "1.0", " 5", "+3", "5 "]) {
      const r = await cli(["invite:create", "--cohort", "digits", "--role", "learner", "--count", count]);
      expect(r, count).toMatchObject({ code: 2 });
      expect(r.err).toMatch(/--count must be a whole number written in digits/);
    }
    expect((await cli(["invite:create", "--cohort", "digits", "--role", "learner", "--expires-days", "1e1"])).code).toBe(2);
    expect(rowCounts()).toEqual(before);
    expect((await cli(["invite:create", "--cohort", "digits", "--role", "learner", "--count", "2", "--expires-days", "07"])).code).toBe(0);
    expect(rowCounts().invitations).toBe(before.invitations + 2);
  });

  it("sets roles, deactivates and reactivates, and prints reset links", async () => {
    await makeUser({ email: "person@cli.example", role: "learner", password: "granite meadow lamp 9" });
    expect((await cli(["user:set-role", "--email", "person@cli.example", "--role", "instructor"])).code).toBe(0);
    expect(findUserByEmail("person@cli.example")?.role).toBe("instructor");
    expect((await cli(["user:set-role", "--email", "ghost@cli.example", "--role", "instructor"])).code).toBe(1);
    expect((await cli(["user:set-role", "--email", "person@cli.example", "--role", "admin"])).code).toBe(2);

    expect((await cli(["user:deactivate", "--email", "person@cli.example"])).code).toBe(0);
    expect(findUserByEmail("person@cli.example")?.deactivatedAt).toBeInstanceOf(Date);
    const refused = await cli(["user:reset-password", "--email", "person@cli.example"]);
    expect(refused.code).toBe(1);
    expect((await cli(["user:deactivate", "--email", "person@cli.example", "--undo"])).code).toBe(0);
    expect(findUserByEmail("person@cli.example")?.deactivatedAt).toBeNull();

    const reset = await cli(["user:reset-password", "--email", "PERSON@cli.example"]);
    expect(reset.code).toBe(0);
    expect(lookupPasswordReset(reset.out.split("/reset/")[1]!)?.email).toBe("person@cli.example");
    expect((await cli(["user:reset-password"])).code).toBe(2);
  });

  it("backs up to a new file that passes integrity_check, and never overwrites", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-backup-"));
    const target = path.join(dir, "copy.db");
    const r = await cli(["db:backup", target]);
    expect(r.code).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    expect((copy.prepare("select count(*) as n from users").get() as { n: number }).n).toBe(rowCounts().users);
    copy.close();
    expect((await cli(["db:backup", target])).code).toBe(1);
    expect((await cli(["db:backup"])).code).toBe(2);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a backup or a database under /proc with a sentence instead of hanging", async () => {
    // A hang is a synchronous loop in mkdir: only a separate process with a timeout can show it.
    const run = promisify(execFile);
    const options = { env: process.env, timeout: 15_000 };
    const backup = await run("npx", ["tsx", "scripts/cli.ts", "db:backup", "/proc/x/y.db"], options).catch((e: { code: number; stderr: string }) => e);
    expect(backup).toMatchObject({ code: 1 });
    expect((backup as { stderr: string }).stderr.trim()).toBe("Error: Cannot create the folder /proc/x for /proc/x/y.db (ENOENT).");

    const database = await run("npx", ["tsx", "scripts/cli.ts", "demo:remove"], { ...options, env: { ...process.env, DATABASE_PATH: "/proc/x/app.db" } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(database).toMatchObject({ code: 1 });
    expect((database as { stderr: string }).stderr.trim()).toBe("Error: Cannot create the folder /proc/x for /proc/x/app.db (ENOENT).");
  });

  it("runs as a real process through npm run cli, with exit code 2 on bad arguments", async () => {
    const run = promisify(execFile);
    const error = await run("npx", ["tsx", "scripts/cli.ts", "invite:create", "--cohort"], { env: process.env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toMatch(/Usage: npm run cli -- invite:create/);
  });
});
