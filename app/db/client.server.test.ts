import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getSqlite, openSqlite, StorageError } from "./client.server";

describe("the database connection", () => {
  it("syncs every commit to disk (synchronous=FULL, ADR 006)", () => {
    expect(getSqlite().pragma("journal_mode", { simple: true })).toBe("wal");
    expect(getSqlite().pragma("synchronous", { simple: true })).toBe(2);
  });

  it("creates missing folders, and refuses a folder as the database with one sentence", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-client-"));
    try {
      const db = openSqlite(path.join(dir, "a", "b", "app.db"));
      expect(db.pragma("synchronous", { simple: true })).toBe(2);
      db.close();
      expect(() => openSqlite(path.join(dir, "a"))).toThrow(StorageError);
      expect(() => openSqlite(path.join(dir, "a"))).toThrow(/^The database path .*a is a folder: DATABASE_PATH must name a file/);
      expect(() => openSqlite(path.join(dir, "a", "b", "app.db", "x.db"))).toThrow(/is a file, not a folder\.$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
