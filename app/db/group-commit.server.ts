// Group commit (ADR 011). Every commit is synced to disk (ADR 006) and better-sqlite3 syncs on the
// one thread that serves every request, so N writers arriving together used to wait N syncs in a
// row. Writes handed to `groupCommit` in one turn of the event loop run one after another in a
// single transaction, each in its own savepoint, and share one sync. Each caller is answered only
// after that commit returned: an acknowledged write is as durable as before.
import { getSqlite } from "./client.server";

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

let pending: Pending[] = [];
let scheduled = false;

/** Batches written so far and the writes in them (for the benchmark and the tests). */
export const groupCommitStats = { batches: 0, writes: 0 };

/**
 * Runs `work` (synchronous; it may open its own transactions, which nest as savepoints) in the
 * next group commit. Resolves with its result once the batch is on disk; rejects with its own
 * error, which rolled back its writes and no one else's, or with the commit's error, which
 * rolled back the whole batch.
 */
export function groupCommit<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
    if (scheduled) return;
    scheduled = true;
    // After the poll phase: every request whose bytes arrived while the last batch synced joins this one.
    setImmediate(flush);
  });
}

function flush() {
  scheduled = false;
  const batch = pending;
  pending = [];
  const sqlite = getSqlite();
  const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
  try {
    sqlite
      .transaction(() => {
        for (const item of batch) {
          try {
            // A nested better-sqlite3 transaction is a savepoint: a failed write leaves the others.
            outcomes.push({ ok: true, value: sqlite.transaction(item.work)() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })
      .immediate();
  } catch (error) {
    for (const item of batch) item.reject(error);
    return;
  }
  groupCommitStats.batches += 1;
  groupCommitStats.writes += batch.length;
  batch.forEach((item, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) item.resolve(outcome.value);
    else item.reject(outcome.error);
  });
}
