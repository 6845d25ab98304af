import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { getEnv } from "~/env.server";
import { CHECKPOINT_EVERY_MS, startCheckpointer } from "./checkpointer.server";
import { getSqlite } from "./client.server";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the checkpoint worker (ADR 011)", () => {
  it("copies the log into the database file off the request thread, and hands checkpoints back when it stops", async () => {
    const file = getEnv().DATABASE_PATH;
    const sqlite = getSqlite();
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const checkpointer = startCheckpointer(file);
    try {
      // The request connection no longer checkpoints at SQLite's 1,000 pages, only as a backstop.
      expect(sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(10_000);
      sqlite.exec("create table if not exists cp_test (v blob)");
      const before = fs.statSync(file).size;
      // About 8 MB in 200 commits: 2,000 pages, more than SQLite's automatic checkpoint would have let pass.
      const insert = sqlite.prepare("insert into cp_test values (randomblob(40000))");
      for (let i = 0; i < 200; i++) insert.run();
      expect(fs.statSync(file).size).toBe(before);
      // Within a few of the worker's rounds the pages are in the database file.
      for (let i = 0; i < 40 && fs.statSync(file).size < before + 7_000_000; i++) await sleep(CHECKPOINT_EVERY_MS);
      expect(fs.statSync(file).size).toBeGreaterThan(before + 7_000_000);
    } finally {
      await checkpointer.stop();
      sqlite.exec("drop table if exists cp_test");
    }
    expect(sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(1_000);
  });
});
