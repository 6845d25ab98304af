import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { startCheckpointer } from "~/db/checkpointer.server";
import { getDb, getSqlite, closeDb, StorageError, storageProblem } from "~/db/client.server";
import { backupTo, hasUserTables, pendingMigrations, runMigrations } from "~/db/migrate.server";
import { EnvError, getEnv, type Env } from "~/env.server";
import { ContentMissingError } from "~/content/course.server";
import { seedDemoIfEmpty } from "~/models/demo.server";
import { flushVisits } from "~/models/visits.server";
import { checkIntegrityAtStartup, writeProblem } from "~/models/health.server";
import { ensureCourseStructure } from "~/models/structure.server";
import { listDemoUsers } from "~/models/user.server";
import { createApp } from "./app.server";

export class StartupError extends Error {}

/** Applies pending migrations; in production, after an online backup of the existing file. */
export async function migrateDatabase(env: Env): Promise<void> {
  const sqlite = getSqlite();
  const pending = pendingMigrations(sqlite);
  if (pending > 0 && env.APP_MODE === "production" && hasUserTables(sqlite)) {
    const dir = env.BACKUP_DIR ?? path.join(path.dirname(path.resolve(env.DATABASE_PATH)), "backups");
    const file = path.join(dir, `app-${new Date().toISOString().replace(/[:.]/g, "-")}-before-migration.db`);
    await backupTo(sqlite, file);
    console.log(`Backed up the database to ${file} before applying ${pending} migration(s).`);
  }
  runMigrations(getDb());
}

/** Everything that must hold before the first request: environment, schema, demo data. */
export async function prepare(env: Env): Promise<void> {
  verifyDatabase(env);
  await migrateDatabase(env);
  mirrorCourseStructure();

  if (env.APP_MODE === "demo") {
    if (await seedDemoIfEmpty()) console.log("Seeded the demo cohort and demo accounts (see README).");
    return;
  }
  const demo = listDemoUsers();
  if (demo.length > 0) {
    throw new StartupError(
      `Refusing to start in production: the database holds demo accounts (${demo.map((u) => u.email).join(", ")}).\nRemove them with \`npm run cli -- demo:remove\` (or start from a fresh database file).`,
    );
  }
}

/** Production refuses a damaged or unwritable database; demo mode starts, and /healthz says what is wrong. */
function verifyDatabase(env: Env) {
  const problem = checkIntegrityAtStartup() ?? writeProblem();
  if (!problem) return;
  if (env.APP_MODE === "production") throw new StartupError(`Refusing to start in production: ${problem}`);
  console.warn(`${problem} /healthz answers 503 until this is fixed.`);
}

/** The course's structure goes into the database before the first request (ADR 005). */
function mirrorCourseStructure() {
  try {
    ensureCourseStructure();
  } catch (error) {
    // Without a built course the app still starts and says what to run; nothing to mirror yet.
    if (!(error instanceof ContentMissingError)) throw error;
    console.warn(error.message);
  }
}

export async function startServer(build: ServerBuild): Promise<void> {
  let env: Env;
  try {
    env = getEnv();
    await prepare(env);
  } catch (error) {
    // The operator gets one sentence, not a stack trace, for everything they can fix.
    const problem =
      error instanceof EnvError || error instanceof StartupError || error instanceof StorageError
        ? error.message
        : storageProblem(error, getEnv().DATABASE_PATH);
    if (!problem) throw error;
    console.error(problem);
    process.exit(1);
  }

  const host = env.HOST ?? (env.APP_MODE === "demo" ? "127.0.0.1" : "0.0.0.0");
  // An in-memory database has no log to checkpoint, and no other connection could open it.
  const checkpointer = env.DATABASE_PATH === ":memory:" ? { stop: async () => {} } : startCheckpointer(env.DATABASE_PATH);
  const app = createApp(build, env);
  const server = app.listen(env.PORT, host, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : env.PORT;
    const shown = host === "127.0.0.1" || host === "0.0.0.0" ? "localhost" : host;
    console.log(`Cyber Diplomacy Academy (${env.APP_MODE} mode) at http://${shown}:${port}`);
  });
  server.once("error", (error: NodeJS.ErrnoException) => {
    console.error(listenProblem(error, host, env.PORT));
    process.exit(1);
  });

  const stop = () => {
    server.close(() => {
      flushVisits();
      void checkpointer.stop().finally(() => {
        closeDb();
        process.exit(0);
      });
    });
    // Idle keep-alive connections must not hold the process open.
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

function listenProblem(error: NodeJS.ErrnoException, host: string, port: number): string {
  if (error.code === "EADDRINUSE") {
    return `Port ${port} on ${host} is already in use (is the app already running?): stop the other process or set PORT to a free port.`;
  }
  if (error.code === "EACCES") return `This user may not listen on port ${port} of ${host}: set PORT to 1024 or above.`;
  if (error.code === "EADDRNOTAVAIL") return `${host} is not an address of this machine: set HOST to one of its addresses (or 0.0.0.0).`;
  return `Cannot listen on ${host}:${port} (${error.code ?? error.message}).`;
}
