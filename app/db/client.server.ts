import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
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

/** A database or folder the app cannot use; the message is one sentence for the operator. */
export class StorageError extends Error {}

/**
 * Creates the folder of `file` and any missing parents. Not `mkdirSync({ recursive: true })`:
 * under /proc and /sys `mkdir` answers ENOENT below an existing parent, and Node's recursive
 * mkdir retries that forever (the process hangs).
 */
export function ensureParentFolder(file: string): void {
  const missing: string[] = [];
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(dir);
    } catch (error) {
      const parent = path.dirname(dir);
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || parent === dir) {
        throw new StorageError(`Cannot use the folder ${dir} for ${file} (${(error as NodeJS.ErrnoException).code}).`);
      }
      missing.unshift(dir);
      dir = parent;
      continue;
    }
    if (!stat.isDirectory()) throw new StorageError(`Cannot create ${file}: ${dir} is a file, not a folder.`);
    break;
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") throw new StorageError(`Cannot create the folder ${folder} for ${file} (${code}).`);
    }
  }
}

/**
 * One sentence for an SQLite error that says the file or its disk cannot be used (damaged,
 * read-only, full, unreadable), or undefined for any other error.
 */
export function storageProblem(error: unknown, file: string): string | undefined {
  if (!(error instanceof Database.SqliteError)) return undefined;
  const code = error.code;
  const restore = `restore it from a backup (README, "Backups and restore")`;
  if (code === "SQLITE_NOTADB") return `The database ${file} is not an SQLite database or its header is damaged: ${restore}.`;
  if (code.startsWith("SQLITE_CORRUPT")) return `The database ${file} is damaged (${error.message}): ${restore}.`;
  if (code.startsWith("SQLITE_READONLY")) return `The database ${file} is read-only for this process (${error.message}): the app must be able to write the file and its folder.`;
  if (code === "SQLITE_FULL") return `The disk holding the database ${file} is full.`;
  if (code.startsWith("SQLITE_CANTOPEN")) return `Cannot open the database ${file}: check that this user may read and write it and its folder.`;
  if (code.startsWith("SQLITE_IOERR")) return `Input/output error on the database ${file} (${code}): check the disk.`;
  return undefined;
}

export function openSqlite(file: string): Database.Database {
  if (file !== ":memory:") {
    ensureParentFolder(file);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
      throw new StorageError(`The database path ${file} is a folder: DATABASE_PATH must name a file, e.g. ${path.join(file, "app.db")}.`);
    }
  }
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    // An acknowledged write must survive a power cut (ADR 006): in WAL mode FULL syncs the log at every commit.
    sqlite.pragma("synchronous = FULL");
    return sqlite;
  } catch (error) {
    sqlite?.close();
    const problem = storageProblem(error, file);
    throw problem ? new StorageError(problem) : error;
  }
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

const dialect = new SQLiteSyncDialect();

/**
 * A raw statement prepared once per connection from drizzle SQL whose values are named parameters
 * (`sql.raw("@userId")`): for the hot path's queries built from shared SQL fragments, which drizzle
 * would otherwise prepare again on every call.
 */
export function preparedSql(name: string, build: () => SQL): Database.Statement {
  return prepared(name, () => {
    const query = dialect.sqlToQuery(build());
    // A bound value would be dropped here: the statement takes only its named parameters.
    if (query.params.length) throw new Error(`preparedSql ${name}: bound values (${query.params.length}) where only named parameters may be`);
    return getSqlite().prepare(query.sql);
  });
}

const statementCaches = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/** Distinct statement texts kept per connection (a report's `in (…)` list makes one per set size). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The statement for this SQL text, prepared once per connection and kept (the least recently used
 * dropped first). For queries built from shared fragments on every call: drizzle would prepare them
 * again each time, and preparing a report's query costs more than running it for one learner.
 * Its statements are only ever run whole (`all`, `get`, `run`), never iterated or switched to raw.
 */
function cachedStatement(source: string): Database.Statement {
  const sqlite = getSqlite();
  let cache = statementCaches.get(sqlite);
  if (!cache) {
    cache = new Map();
    statementCaches.set(sqlite, cache);
  }
  let statement = cache.get(source);
  if (statement) {
    cache.delete(source);
  } else {
    statement = sqlite.prepare(source);
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(source, statement);
  return statement;
}

/** `getDb().all(query)` through the statement cache. */
export function cachedAll<T>(query: SQL): T[] {
  const { sql: source, params } = dialect.sqlToQuery(query);
  return cachedStatement(source).all(...params) as T[];
}

/** `getDb().get(query)` through the statement cache. */
export function cachedGet<T>(query: SQL): T | undefined {
  const { sql: source, params } = dialect.sqlToQuery(query);
  return cachedStatement(source).get(...params) as T | undefined;
}
