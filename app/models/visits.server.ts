// Section visits (the basis of time on task) are written in small batches: with every commit synced
// to disk (ADR 006), one commit per page view would cap lesson pages at the disk's commit rate. A
// crash loses at most the visits of the last VISIT_FLUSH_MS; everything else is written at once
// (ADR 010). Every write or read of the figures that visits feed flushes the queue first, so
// nobody, in this process, ever sees a figure without a visit already served.
import { getDb, getSqlite, prepared } from "~/db/client.server";
import { noteDatabaseFailure } from "./health.server";
import { recordVisitRollups } from "./rollups.server";

/** The longest a served visit waits in memory before its commit. */
export const VISIT_FLUSH_MS = 200;
/**
 * A queue this long is committed at once, not at the timer: each visit costs about 45 µs to write,
 * and one commit of a whole 200 ms of a busy server's visits held every other request up for tens
 * of milliseconds (the lesson page's p99).
 */
const FLUSH_AT = 512;
/** While the database refuses writes, visits wait in memory up to this many (the oldest go first). */
const MAX_QUEUED = 50_000;

interface Visit {
  userId: string;
  slug: string;
  sectionId: string;
  at: Date;
}

let queue: Visit[] = [];
let timer: NodeJS.Timeout | null = null;

function flushSoon() {
  try {
    flushVisits();
  } catch (error) {
    // Kept for the next attempt; /healthz reports the failing disk meanwhile.
    noteDatabaseFailure(error);
    console.error(error);
  }
}

function schedule() {
  timer ??= setTimeout(() => {
    timer = null;
    flushSoon();
  }, VISIT_FLUSH_MS);
  // A pending flush must not keep a finished process (a script, a test worker) alive.
  timer.unref?.();
}

/** Queues a visit; it is committed within VISIT_FLUSH_MS, or before anything reads or rebuilds the figures. */
export function queueVisit(visit: Visit): void {
  queue.push(visit);
  if (queue.length > MAX_QUEUED) queue.splice(0, queue.length - MAX_QUEUED);
  if (queue.length === FLUSH_AT) setImmediate(flushSoon);
  schedule();
}

/** Commits the queued visits, in the order they were served, in one transaction; throws (keeping them) if it cannot. */
export function flushVisits(): void {
  if (queue.length === 0) return;
  const visits = queue;
  queue = [];
  // A learner deleted since their visit takes the visit with them.
  const insert = prepared("queuedVisit", () =>
    getSqlite().prepare(
      `insert into section_visits (user_id, module_slug, section_id, at)
       select @userId, @slug, @sectionId, @at where exists (select 1 from users where id = @userId)`,
    ),
  );
  try {
    getDb().transaction(() => {
      for (const v of visits) {
        if (insert.run({ userId: v.userId, slug: v.slug, sectionId: v.sectionId, at: v.at.getTime() }).changes) recordVisitRollups(v);
      }
    });
  } catch (error) {
    queue = visits.concat(queue);
    schedule();
    throw error;
  }
}

/** How many served visits are not committed yet (for tests and the shutdown). */
export function queuedVisits(): number {
  return queue.length;
}
