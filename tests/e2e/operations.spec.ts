// Honest operations: what /healthz reports, what start-up refuses (one sentence, exit 1), and
// which answers a shared computer's browser may keep.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { getDb } from "~/db/client.server";
import { certificates } from "~/db/schema";
import { apiAs, createCoordinatorWithCohort, createUser, freePort, startExpectingFailure, startServer, unique } from "../support/e2e";

const PRODUCTION = { APP_MODE: "production", PUBLIC_ORIGIN: "https://academy.example.org" };

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "cda-ops-"));
}

/** One sentence on one line, no stack trace. */
function expectOneLine(output: string, pattern: RegExp) {
  const lines = output.trim().split("\n");
  expect(lines, output).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

async function healthOf(url: string) {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string> } };
}

// A demo database made by the server itself, closed cleanly (no -wal left), copied per test.
let seeded: string;
test.beforeAll(async () => {
  seeded = path.join(tempDir(), "seeded.db");
  const server = await startServer({ APP_MODE: "demo", DATABASE_PATH: seeded });
  await server.stop();
});

function copyOfSeeded(dir = tempDir()) {
  const file = path.join(dir, "app.db");
  fs.copyFileSync(seeded, file);
  return file;
}

test("/healthz answers 200 with every check when all is well", async ({ baseURL }) => {
  const { status, body } = await healthOf(baseURL!);
  expect(status).toBe(200);
  expect(body).toEqual({ status: "ok", checks: { database: "ok", writable: "ok", disk: "ok", content: "ok" } });
});

test("answers with personal data are never kept by the browser; static files keep their caching", async ({ baseURL }) => {
  const { coordinator, cohort } = await createCoordinatorWithCohort();
  const learner = await createUser({ role: "learner", cohortId: cohort.id, name: "Cache Learner" });
  const code = unique("CERT").toUpperCase();
  getDb()
    .insert(certificates)
    .values({ userId: learner.id, code, learnerName: "Cache Learner", courseTitle: "Course", completedAt: new Date(), objectivesMastered: [] })
    .run();

  const anonymous = await apiAs(baseURL!);
  const asLearner = await apiAs(baseURL!, learner.email);
  const asCoordinator = await apiAs(baseURL!, coordinator.email);
  const cohortPath = `/coordinator/cohorts/${cohort.slug}`;
  const dynamic = [
    [anonymous, "/login"],
    [anonymous, `/certificates/${code}`],
    [asLearner, "/"],
    [asLearner, "/_root.data"],
    [asLearner, "/progress"],
    [asLearner, "/certificate"],
    [asLearner, "/account"],
    [asCoordinator, cohortPath],
    [asCoordinator, `${cohortPath}.data`],
    [asCoordinator, `${cohortPath}/learners/${learner.id}`],
    [asCoordinator, `${cohortPath}/learners/${learner.id}/export.json`],
    [asCoordinator, `${cohortPath}/exports/completion.csv`],
    [asCoordinator, `${cohortPath}/exports/xapi.ndjson`],
    [asCoordinator, `${cohortPath}/audit`],
    [asCoordinator, "/no/such/page"],
  ] as const;
  for (const [api, url] of dynamic) {
    const res = await api.get(url, { maxRedirects: 0 });
    expect(res.status(), url).toBeLessThan(500);
    expect(res.headers()["cache-control"], url).toBe("private, no-store");
  }
  expect(await (await asLearner.get("/certificate")).text()).toContain("Cache Learner");

  const html = await (await anonymous.get("/login")).text();
  const asset = html.match(/(?:src|href)="(\/build\/[^"]+\.(?:js|css))"/)?.[1];
  expect(asset).toBeTruthy();
  expect((await anonymous.get(asset!)).headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect((await anonymous.get("/favicon.ico")).headers()["cache-control"]).toBe("public, max-age=3600");
});

test("a damaged database: production refuses it in one line, demo mode starts and /healthz answers 503 saying why", async () => {
  const file = copyOfSeeded();
  // A disk fault in an index that start-up does not read: only an integrity check sees it.
  const db = new Database(file);
  const { rootpage } = db.prepare("select rootpage from sqlite_master where name = 'users_email_lower_unique'").get() as { rootpage: number };
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  db.close();
  const fd = fs.openSync(file, "r+");
  fs.writeSync(fd, Buffer.alloc(6, 0x7f), 0, 6, (rootpage - 1) * pageSize + 8);
  fs.closeSync(fd);

  const refused = await startExpectingFailure({ ...PRODUCTION, DATABASE_PATH: file });
  expect(refused.code).toBe(1);
  expectOneLine(refused.output, /^Refusing to start in production: The database .*app\.db is damaged \(quick_check: Tree \d+ page \d+ cell \d+: .*\)\.$/);

  const server = await startServer({ APP_MODE: "demo", DATABASE_PATH: file }, { healthy: false });
  try {
    const { status, body } = await healthOf(server.url);
    expect(status).toBe(503);
    expect(body.status).toBe("error");
    expect(body.checks.database).toMatch(/^The database .* is damaged \(quick_check: /);
    expect(body.checks).toMatchObject({ writable: "ok", disk: "ok", content: "ok" });
  } finally {
    await server.stop();
  }
});

test("a read-only database: production refuses it, demo mode's /healthz answers 503 saying why", async () => {
  const dir = tempDir();
  const file = copyOfSeeded(dir);
  // chmod does not stop root: as root the server runs as nobody, the file staying root's (0644);
  // the folder stays writable so that SQLite can make its shared-memory file, as it may in production.
  const root = process.getuid?.() === 0;
  const as = root ? { uid: 65534, gid: 65534 } : {};
  fs.chmodSync(dir, 0o777);
  fs.chmodSync(file, root ? 0o644 : 0o444);
  // nobody must reach the checkout's server.mjs: a checkout under a private folder (mktemp -d makes
  // 0700 ones) is opened for traversal while the test runs, and closed again after.
  const opened = root ? openForTraversal(process.cwd()) : [];

  try {
    const refused = await startExpectingFailure({ ...PRODUCTION, DATABASE_PATH: file }, as);
    expect(refused.code).toBe(1);
    expectOneLine(refused.output, /^Refusing to start in production: The database .*app\.db is read-only for this process/);

    const server = await startServer({ APP_MODE: "demo", DATABASE_PATH: file }, { healthy: false, ...as });
    try {
      const { status, body } = await healthOf(server.url);
      expect(status).toBe(503);
      expect(body.checks.writable).toMatch(/^The database .*app\.db is read-only for this process/);
      expect(body.checks).toMatchObject({ database: "ok", disk: "ok", content: "ok" });
    } finally {
      await server.stop();
    }
  } finally {
    for (const [folder, mode] of opened) fs.chmodSync(folder, mode);
  }
});

/** Adds others' search permission to `folder` and each parent lacking it; returns the modes to restore. */
function openForTraversal(folder: string): [string, number][] {
  const changed: [string, number][] = [];
  for (let at = path.resolve(folder); ; at = path.dirname(at)) {
    const mode = fs.statSync(at).mode & 0o7777;
    if (!(mode & 0o001)) {
      fs.chmodSync(at, mode | 0o001);
      changed.push([at, mode]);
    }
    if (path.dirname(at) === at) return changed;
  }
}

test("no content build: /healthz answers 503 naming it", async () => {
  const server = await startServer({ APP_MODE: "demo", DATABASE_PATH: copyOfSeeded(), CONTENT_BUILD_DIR: tempDir() }, { healthy: false });
  try {
    const { status, body } = await healthOf(server.url);
    expect(status).toBe(503);
    expect(body.checks.content).toMatch(/^The course content has not been built .*Run: npm run content:build$/);
    expect(body.checks).toMatchObject({ database: "ok", writable: "ok", disk: "ok" });
  } finally {
    await server.stop();
  }
});

test("start-up problems an operator can fix print one sentence and exit 1", async () => {
  const dir = tempDir();
  const cases: [string, Record<string, string>, RegExp, { cwd?: string }?][] = [];

  cases.push(["folder", { DATABASE_PATH: dir }, /^The database path .* is a folder: DATABASE_PATH must name a file/]);
  cases.push(["procfs", { DATABASE_PATH: "/proc/cda/app.db" }, /^Cannot create the folder \/proc\/cda for \/proc\/cda\/app\.db \(ENOENT\)\.$/]);

  const garbage = path.join(dir, "garbage.db");
  fs.writeFileSync(garbage, Buffer.alloc(8192, "not a database "));
  cases.push(["not a database", { DATABASE_PATH: garbage }, /^The database .*garbage\.db is not an SQLite database or its header is damaged: restore it from a backup/]);

  const truncated = copyOfSeeded(fs.mkdtempSync(path.join(dir, "t-")));
  fs.truncateSync(truncated, Math.floor(fs.statSync(truncated).size / 2));
  cases.push(["truncated", { ...PRODUCTION, DATABASE_PATH: truncated }, /^The database .*app\.db is damaged \(database disk image is malformed\): restore it from a backup/]);

  const noBuild = fs.mkdtempSync(path.join(dir, "nobuild-"));
  cases.push(["no build", { DATABASE_PATH: copyOfSeeded() }, /^There is no build \(.*build\/index\.js is missing\): run `npm run build`/, { cwd: noBuild }]);

  const broken = fs.mkdtempSync(path.join(dir, "broken-"));
  fs.mkdirSync(path.join(broken, "build"));
  fs.writeFileSync(path.join(broken, "build", "index.js"), "export const entry = {;\n");
  cases.push(["broken build", { DATABASE_PATH: copyOfSeeded() }, /^The build in .*build cannot be loaded \(Unexpected token .*\): rebuild it with `npm run build`\.$/, { cwd: broken }]);

  for (const [name, env, pattern, options] of cases) {
    const result = await startExpectingFailure({ APP_MODE: "demo", ...env }, options);
    expect(result.code, `${name}: ${result.output}`).toBe(1);
    expectOneLine(result.output, pattern);
  }

  // A port already taken by another process.
  const port = await freePort();
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", resolve));
  try {
    const result = await startExpectingFailure({ APP_MODE: "demo", DATABASE_PATH: copyOfSeeded(), PORT: String(port) });
    expect(result.code).toBe(1);
    expectOneLine(result.output, new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use \\(is the app already running\\?\\): stop the other process or set PORT to a free port\\.$`));
  } finally {
    holder.close();
  }
});
