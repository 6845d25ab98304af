// Checkpoints off the request thread (ADR 011). In WAL mode a commit that finds the log past
// `wal_autocheckpoint` pages copies the log into the database file and syncs it, on the thread
// that serves every request: a lesson page or a quiz submission waited for it. The server's
// checkpointer is a worker thread with its own connection that runs passive checkpoints (which
// never block readers or writers) a few times a second, so the log stays short; the request
// connection keeps an automatic checkpoint only as a backstop, at a threshold the worker never
// lets the log reach.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { getSqlite } from "./client.server";

/** How often the worker checkpoints. */
export const CHECKPOINT_EVERY_MS = 250;
/** The request connection's own automatic checkpoint while the worker runs (pages of 4 KB: 40 MB). */
const BACKSTOP_PAGES = 10_000;
/** SQLite's default, restored when the worker stops. */
const DEFAULT_PAGES = 1_000;

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 5000");
db.pragma("synchronous = FULL");
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    parentPort.postMessage(String(error && error.message || error));
  }
}, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  process.exit(0);
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts the checkpointing worker for `file` (the request connection's database). */
export function startCheckpointer(file: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS } });
  getSqlite().pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  worker.on("message", (problem) => console.error(`Checkpoint failed: ${problem}`));
  const restore = () => {
    try {
      getSqlite().pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
    } catch {
      // The database may already be closed.
    }
  };
  let stopping = false;
  // A worker that died (it should not) leaves the request connection to checkpoint as SQLite does.
  worker.once("error", (error) => console.error(`The checkpoint worker stopped: ${error.message}`));
  worker.once("exit", () => {
    if (!stopping) restore();
  });
  worker.unref();
  return {
    stop: () =>
      new Promise((resolve) => {
        stopping = true;
        restore();
        worker.once("exit", () => resolve());
        worker.postMessage("stop");
      }),
  };
}
