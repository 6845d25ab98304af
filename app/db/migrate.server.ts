import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { getEnv } from "~/env.server";
import { ensureParentFolder, type DB } from "./client.server";

function migrationsDir(): string {
  return path.resolve(getEnv().MIGRATIONS_DIR);
}


interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

/** How many committed migrations the database has not applied yet. */
export function pendingMigrations(sqlite: Database.Database): number {
  const journal = JSON.parse(
    fs.readFileSync(path.join(migrationsDir(), "meta", "_journal.json"), "utf8"),
  ) as Journal;
  const hasTable = sqlite
    .prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'")
    .get();
  if (!hasTable) return journal.entries.length;
  const row = sqlite
    .prepare("select max(created_at) as last from __drizzle_migrations")
    .get() as { last: number | null };
  const last = row.last ?? 0;
  return journal.entries.filter((e) => e.when > last).length;
}

/** Whether the file already holds application data worth backing up. */
export function hasUserTables(sqlite: Database.Database): boolean {
  return Boolean(
    sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'users'").get(),
  );
}

export function runMigrations(db: DB): void {
  migrate(db, { migrationsFolder: migrationsDir() });
}

/**
 * An online, consistent copy of the database (SQLite's backup API), safe while other
 * processes write: it is what `db:backup` and the pre-migration backup use.
 */
export async function backupTo(sqlite: Database.Database, destination: string): Promise<void> {
  const target = path.resolve(destination);
  ensureParentFolder(target);
  // Written beside the target and renamed into place, so a failed backup leaves no half file.
  const partial = `${target}.partial-${process.pid}`;
  try {
    await sqlite.backup(partial);
    fs.renameSync(partial, target);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

/** SQLite's own verdict on a database file: "ok", or the problems it found, on one line. */
export function integrityCheck(sqlite: Database.Database, pragma: "integrity_check" | "quick_check" = "integrity_check"): string {
  const rows = sqlite.pragma(pragma) as Record<string, string>[];
  return rows
    .flatMap((r) => String(r[pragma]).split("\n"))
    .filter((line) => line && !line.startsWith("*** in database"))
    .join("; ");
}
