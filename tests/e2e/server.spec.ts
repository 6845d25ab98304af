// Whole-process behaviour: production mode, restarts, two processes on one file, online backups.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { PASSWORD, startExpectingFailure, startServer, unique } from "../support/e2e";

const run = promisify(execFile);

function tempDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-e2e-"));
  return { dir, file: path.join(dir, "app.db") };
}

/** The operator CLI against a given database, as a separate process. */
async function cli(env: Record<string, string>, ...args: string[]) {
  return run("npx", ["tsx", "scripts/cli.ts", ...args], { env: { ...process.env, ...env } });
}

function countRows(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

test("production mode refuses to start without PUBLIC_ORIGIN, listing every bad variable", async () => {
  const { file } = tempDb();
  const result = await startExpectingFailure({ APP_MODE: "production", DATABASE_PATH: file, PORT: "nope" });
  expect(result.code).toBe(1);
  expect(result.output).toContain("PUBLIC_ORIGIN");
  expect(result.output).toContain("PORT");
});

test("production mode refuses to start while demo accounts exist, and starts once they are removed", async () => {
  const { file } = tempDb();
  const demo = await startServer({ APP_MODE: "demo", DATABASE_PATH: file });
  await demo.stop();
  expect(countRows(file, "users")).toBe(3);

  const production = { APP_MODE: "production", DATABASE_PATH: file, PUBLIC_ORIGIN: "https://academy.example.org" };
  const refused = await startExpectingFailure(production);
  expect(refused.code).toBe(1);
  expect(refused.output).toMatch(/Refusing to start in production: the database holds demo accounts/);
  expect(refused.output).toContain("coordinator@example.org");

  await cli(production, "demo:remove");
  const server = await startServer(production);
  try {
    expect(countRows(file, "users")).toBe(0); // production never seeds
    const res = await fetch(`${server.url}/login`);
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");

    // Origin is checked against PUBLIC_ORIGIN, not against whatever Host the request names.
    const local = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.example&password=x",
    });
    expect(local.status).toBe(403);

    // The first coordinator of a fresh production install comes from the CLI; the cookie is Secure.
    await run("sh", ["-c", `printf '%s' "${PASSWORD}" | npx tsx scripts/cli.ts user:create --email first@academy.example --name "First Coordinator" --role coordinator --password-stdin`], {
      env: { ...process.env, ...production },
    });
    const signIn = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: "https://academy.example.org", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "first@academy.example", password: PASSWORD }),
    });
    expect(signIn.status).toBe(302);
    const cookies = signIn.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith("__Host-cda_session="))).toMatch(/HttpOnly.*Secure|Secure.*HttpOnly/);
  } finally {
    await server.stop();
  }
});

test("production start-up backs the database up before applying pending migrations", async () => {
  const { dir, file } = tempDb();
  const production = { APP_MODE: "production", DATABASE_PATH: file, PUBLIC_ORIGIN: "https://academy.example.org" };
  await cli(production, "user:create", "--email", "op@academy.example", "--name", "Operator", "--role", "coordinator");
  expect(fs.existsSync(path.join(dir, "backups"))).toBe(false);

  // An upgrade: the committed migrations plus one the database has not seen.
  const migrations = path.join(dir, "migrations");
  fs.cpSync("drizzle", migrations, { recursive: true });
  const journalFile = path.join(migrations, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: { idx: number; when: number; tag: string }[] };
  const last = journal.entries.at(-1)!;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: "9999_upgrade_probe" });
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  fs.writeFileSync(path.join(migrations, "9999_upgrade_probe.sql"), "CREATE TABLE `upgrade_probe` (`id` integer);");

  const server = await startServer({ ...production, MIGRATIONS_DIR: migrations });
  await server.stop();
  const backups = fs.readdirSync(path.join(dir, "backups"));
  expect(backups).toHaveLength(1);
  expect(backups[0]).toMatch(/before-migration\.db$/);
  const backup = path.join(dir, "backups", backups[0]!);
  expect(countRows(backup, "users")).toBe(1);
  expect(() => countRows(backup, "upgrade_probe")).toThrow(/no such table/);
  expect(countRows(file, "upgrade_probe")).toBe(0);
});

test("sign-in throttling answers 429 with Retry-After, and survives a restart", async () => {
  const { file } = tempDb();
  let server = await startServer({ APP_MODE: "demo", DATABASE_PATH: file });
  const attempt = (password: string) =>
    fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "learner@example.org", password }),
    });
  try {
    for (let i = 0; i < 5; i++) expect((await attempt("wrong password here")).status).toBe(400);
    const blocked = await attempt("Demo-Learner-2026");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.text()).toMatch(/Too many failed sign-in attempts/);
  } finally {
    await server.stop();
  }
  server = await startServer({ APP_MODE: "demo", DATABASE_PATH: file });
  try {
    expect((await attempt("Demo-Learner-2026")).status).toBe(429);
  } finally {
    await server.stop();
  }
});

test("one invitation used at once through two server processes creates one account", async () => {
  const { file } = tempDb();
  const a = await startServer({ APP_MODE: "demo", DATABASE_PATH: file });
  const b = await startServer({ APP_MODE: "demo", DATABASE_PATH: file });
  try {
    const { stdout } = await cli({ DATABASE_PATH: file }, "invite:create", "--cohort", "demo-cohort", "--role", "learner", "--count", "5");
    const codes = stdout.trim().split("\n").map((l) => l.split("/join/")[1]!);
    expect(codes).toHaveLength(5);
    const usersBefore = countRows(file, "users");
    const register = (url: string, code: string, i: number) =>
      fetch(`${url}/join/${code}`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          name: `Racer ${i}`,
          email: `${unique("racer")}@e2e.example`,
          password: "copper falcon meadow 5",
          country: "Chile",
        }),
      }).then((r) => r.status);
    for (const code of codes) {
      const statuses = await Promise.all([register(a.url, code, 1), register(b.url, code, 2), register(a.url, code, 3), register(b.url, code, 4)]);
      expect(statuses.filter((s) => s === 302)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 302).every((s) => s === 400)).toBe(true);
    }
    expect(countRows(file, "users")).toBe(usersBefore + codes.length);
    expect(countRows(file, "cohort_memberships")).toBe(3 + codes.length);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

test("db:backup while the server is under writes yields a file that passes integrity_check", async () => {
  const { dir, file } = tempDb();
  const server = await startServer({ APP_MODE: "demo", DATABASE_PATH: file });
  let writing = true;
  let writes = 0;
  // Failed sign-ins are writes (throttle rows); spread over many accounts so none is throttled.
  const writer = (async () => {
    while (writing) {
      await fetch(`${server.url}/login`, {
        method: "POST",
        headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: `${unique("w")}@e2e.example`, password: "wrong password here" }),
      });
      writes++;
    }
  })();
  try {
    await new Promise((r) => setTimeout(r, 300));
    const target = path.join(dir, "backup.db");
    const { stdout } = await cli({ DATABASE_PATH: file }, "db:backup", target);
    expect(stdout).toMatch(/integrity ok/);
    writing = false;
    await writer;
    expect(writes).toBeGreaterThan(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    expect((copy.prepare("select count(*) as n from users").get() as { n: number }).n).toBe(3);
    copy.close();
  } finally {
    writing = false;
    await server.stop();
  }
});
