// What /healthz reports and start-up refuses: whether this process can do its work. Every check
// is cheap, because /healthz is polled. A full integrity check reads the whole file (seconds on a
// large database), so SQLite's quick_check runs once at start-up, and damage found later is
// learnt from the queries that meet it (`noteDatabaseFailure`): both stay until a restart.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { contentProblem } from "~/content/course.server";
import { getSqlite, storageProblem } from "~/db/client.server";
import { integrityCheck } from "~/db/migrate.server";
import { getEnv } from "~/env.server";

export type CheckName = "database" | "writable" | "disk" | "content";

export interface Health {
  ok: boolean;
  /** "ok", or one sentence saying what is wrong. */
  checks: Record<CheckName, string>;
}

/** Below this much free space the next writes (WAL growth, checkpoints, backups) may fail. */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;
/** How long a failed write keeps /healthz at 503 after the last one. */
export const WRITE_FAILURE_WINDOW_MS = 60_000;

// Until a restart, which re-runs quick_check.
let damage: string | null = null;
let writeFailure: { problem: string; at: number } | null = null;

function databasePath(): string {
  return getEnv().DATABASE_PATH;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `PRAGMA quick_check` (b-tree structure and record format; not index contents) and keeps
 * the verdict for /healthz. Returns the problem, or null.
 */
export function checkIntegrityAtStartup(): string | null {
  const verdict = integrityCheck(getSqlite(), "quick_check");
  damage = verdict === "ok" ? null : `The database ${databasePath()} is damaged (quick_check: ${verdict.length > 300 ? `${verdict.slice(0, 300)}…` : verdict}).`;
  return damage;
}

/** Remembers an SQLite error that a request met, when it says the file is damaged or cannot be written. */
export function noteDatabaseFailure(error: unknown): void {
  if (!(error instanceof Database.SqliteError)) return;
  const problem = storageProblem(error, databasePath());
  if (!problem) return;
  if (error.code === "SQLITE_NOTADB" || error.code.startsWith("SQLITE_CORRUPT")) damage = problem;
  else writeFailure = { problem, at: Date.now() };
}

function databaseCheck(): string {
  if (damage) return damage;
  try {
    getSqlite().prepare("select 1 from users limit 1").get();
    return "ok";
  } catch (error) {
    return storageProblem(error, databasePath()) ?? `The database does not answer (${errorText(error)}).`;
  }
}

/** Whether a write transaction can begin now, the file is writable, and no write failed lately. */
export function writeProblem(): string | null {
  const file = databasePath();
  try {
    // Takes the write lock and lets it go: refused on a file SQLite opened read-only, or locked too long.
    const sqlite = getSqlite();
    sqlite.exec("BEGIN IMMEDIATE");
    sqlite.exec("ROLLBACK");
    if (file !== ":memory:") fs.accessSync(file, fs.constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EROFS") return `The database ${file} is on a read-only file system.`;
    if (code === "EACCES") return `The database ${file} is read-only for this process (no write permission).`;
    return storageProblem(error, file) ?? `A write transaction cannot begin (${errorText(error)}).`;
  }
  if (writeFailure && Date.now() - writeFailure.at < WRITE_FAILURE_WINDOW_MS) {
    return `A write failed ${Math.round((Date.now() - writeFailure.at) / 1000)} s ago: ${writeFailure.problem}`;
  }
  return null;
}

function diskCheck(): string {
  const file = databasePath();
  if (file === ":memory:") return "ok";
  try {
    const { bavail, bsize } = fs.statfsSync(path.dirname(path.resolve(file)));
    const free = bavail * bsize;
    if (free < MIN_FREE_BYTES) return `Only ${(free / 1024 / 1024).toFixed(1)} MB free on the disk of the database (at least ${MIN_FREE_BYTES / 1024 / 1024} MB needed).`;
    return "ok";
  } catch (error) {
    return `The database's disk cannot be inspected (${errorText(error)}).`;
  }
}

export function checkHealth(): Health {
  const checks: Record<CheckName, string> = {
    database: databaseCheck(),
    writable: writeProblem() ?? "ok",
    disk: diskCheck(),
    content: contentProblem() ?? "ok",
  };
  return { ok: Object.values(checks).every((c) => c === "ok"), checks };
}
