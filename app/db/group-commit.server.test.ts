import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { getEnv } from "~/env.server";
import { getSqlite } from "./client.server";
import { groupCommit, groupCommitStats } from "./group-commit.server";

// A table of its own, written through the app's connection and read through a second one: what
// another process would see on disk.
function setup() {
  getSqlite().exec("create table if not exists gc_test (k text primary key, v text not null)");
  getSqlite().exec("delete from gc_test");
  const other = new Database(getEnv().DATABASE_PATH, { readonly: true });
  const seen = () => (other.prepare("select k from gc_test order by k").pluck().all() as string[]).join(",");
  return { other, seen };
}
const insert = (k: string) => () => getSqlite().prepare("insert into gc_test (k, v) values (?, 'x')").run(k).changes;

describe("group commit (ADR 011)", () => {
  it("writes handed over in one turn share one commit, and each is answered only after it", async () => {
    const { other, seen } = setup();
    const before = { ...groupCommitStats };
    const writes = [groupCommit(insert("a")), groupCommit(insert("b")), groupCommit(insert("c"))];
    // Nothing is written yet: the batch runs after the current turn.
    expect(seen()).toBe("");
    let committed = "";
    await Promise.all(writes.map((w) => w.then(() => (committed ||= seen()))));
    // The first answer came when another connection could already read all three.
    expect(committed).toBe("a,b,c");
    expect(await writes[0]).toBe(1);
    expect(groupCommitStats.batches - before.batches).toBe(1);
    expect(groupCommitStats.writes - before.writes).toBe(3);
    other.close();
  });

  it("a write that fails is rolled back alone, and its caller gets its error", async () => {
    const { other, seen } = setup();
    const failing = () => {
      getSqlite().prepare("insert into gc_test (k, v) values ('half', 'x')").run();
      throw new Error("refused after a half write");
    };
    const results = await Promise.allSettled([groupCommit(insert("a")), groupCommit(failing), groupCommit(insert("a")), groupCommit(insert("b"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/refused after a half write/);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(seen()).toBe("a,b");
    other.close();
  });

  it("batches that follow each other are separate commits", async () => {
    const { other, seen } = setup();
    const before = groupCommitStats.batches;
    await groupCommit(insert("a"));
    expect(seen()).toBe("a");
    await groupCommit(insert("b"));
    expect(seen()).toBe("a,b");
    expect(groupCommitStats.batches - before).toBe(2);
    other.close();
  });
});
