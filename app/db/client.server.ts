import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { getEnv } from "~/env.server";
import * as schema from "./schema";

export type DB = BetterSQLite3Database<typeof schema>;

interface Client {
  path: string;
  sqlite: Database.Database;
  db: DB;
}

// NOTE: kept on globalThis so that dev rebuilds reuse the one connection of the process.
const holder = globalThis as typeof globalThis & { __cdaDb?: Client };

export function openSqlite(file: string): Database.Database {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  return sqlite;
}

function client(): Client {
  const file = getEnv().DATABASE_PATH;
  if (!holder.__cdaDb || holder.__cdaDb.path !== file) {
    holder.__cdaDb?.sqlite.close();
    const sqlite = openSqlite(file);
    holder.__cdaDb = { path: file, sqlite, db: drizzle(sqlite, { schema }) };
  }
  return holder.__cdaDb;
}

/** The drizzle client of this process. */
export function getDb(): DB {
  return client().db;
}

/** The raw connection, for pragmas and the online backup API. */
export function getSqlite(): Database.Database {
  return client().sqlite;
}

export function closeDb(): void {
  holder.__cdaDb?.sqlite.close();
  holder.__cdaDb = undefined;
}

const preparedCache = new WeakMap<DB, Map<string, unknown>>();

/**
 * A statement built and prepared once per connection, for queries on every request's path
 * (building and preparing SQL costs more than running these small indexed queries).
 */
export function prepared<T>(name: string, build: (db: DB) => T): T {
  const db = getDb();
  let statements = preparedCache.get(db);
  if (!statements) {
    statements = new Map();
    preparedCache.set(db, statements);
  }
  if (!statements.has(name)) statements.set(name, build(db));
  return statements.get(name) as T;
}
