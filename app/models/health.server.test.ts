import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { backupTo } from "~/db/migrate.server";
import { getSqlite } from "~/db/client.server";
import { checkHealth, checkIntegrityAtStartup, noteDatabaseFailure } from "./health.server";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cda-health-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The error a statement meets on a database of its own (made by `setup`). */
function errorFrom(name: string, setup: (db: Database.Database) => void, statement: string, options: Database.Options = {}) {
  const file = path.join(scratch, `${name}.db`);
  const init = new Database(file);
  init.exec("create table t (x)");
  init.close();
  const db = new Database(file, options);
  setup(db);
  try {
    db.exec(statement);
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
  throw new Error(`${statement} did not fail`);
}

/** A copy of the test database with one table's root page overwritten, as a disk fault would. */
async function corruptCopy(table: string) {
  const file = path.join(scratch, "copy.db");
  await backupTo(getSqlite(), file);
  const copy = new Database(file);
  const { rootpage } = copy.prepare("select rootpage from sqlite_master where name = ?").get(table) as { rootpage: number };
  const pageSize = copy.pragma("page_size", { simple: true }) as number;
  copy.close();
  const fd = fs.openSync(file, "r+");
  fs.writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (rootpage - 1) * pageSize);
  fs.closeSync(fd);
  return file;
}

describe("health", () => {
  it("is ok on a sound, writable database with a content release", () => {
    expect(checkIntegrityAtStartup()).toBeNull();
    expect(checkHealth()).toEqual({ ok: true, checks: { database: "ok", writable: "ok", disk: "ok", content: "ok" } });
  });

  it("remembers a write that failed on a read-only file, and says why", () => {
    const error = errorFrom("ro", () => {}, "insert into t values (1)", { readonly: true });
    expect(error).toMatchObject({ code: "SQLITE_READONLY" });
    noteDatabaseFailure(error);
    const health = checkHealth();
    expect(health.ok).toBe(false);
    expect(health.checks.writable).toMatch(/^A write failed 0 s ago: The database .* is read-only for this process/);
    expect(health.checks.database).toBe("ok");
  });

  it("remembers a write that failed on a full disk", () => {
    // SQLite's own "database or disk is full", from a file not allowed to grow.
    const error = errorFrom("full", (db) => db.pragma("max_page_count = 2"), "insert into t select zeroblob(4000) from (select 1 union all select 2)");
    expect(error).toMatchObject({ code: "SQLITE_FULL" });
    noteDatabaseFailure(error);
    expect(checkHealth().checks.writable).toMatch(/^A write failed 0 s ago: The disk holding the database .* is full\.$/);
  });

  it("remembers damage that a query met, until a restart", async () => {
    const copy = new Database(await corruptCopy("password_resets"));
    let error: unknown;
    try {
      copy.prepare("select * from password_resets").all();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: expect.stringMatching(/^SQLITE_CORRUPT/) });
    expect(copy.pragma("quick_check", { simple: true })).not.toBe("ok");
    copy.close();
    noteDatabaseFailure(error);
    noteDatabaseFailure(new Error("not a database error"));
    const health = checkHealth();
    expect(health.ok).toBe(false);
    expect(health.checks.database).toMatch(/^The database .* is damaged \(database disk image is malformed\): restore it from a backup/);
  });
});
