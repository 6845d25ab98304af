// The exercises part of `npm run bench`: seeds three submitted exercises for each of the journey's
// learners (30,000 submissions for 10,000), with self-assessments, peer reviews and some instructor
// reviews, rebuilds the roll-ups, and measures the instructor queue and the cohort report (SQL alone
// and through the server) and the learner's exercise page under 32 connections.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type autocannon from "autocannon";

type Row = { rps: number; p50: number; p99: number };

export interface ExerciseBenchInput {
  base: string;
  cohortId: number;
  cohortSlug: string;
  learnerIds: string[];
  learnerCookies: string[];
  instructorCookie: string;
  coordinatorCookie: string;
  run: (opts: autocannon.Options) => Promise<Row>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function seedExercises(learnerIds: string[]) {
  const { getSqlite, getDb } = await import("~/db/client.server");
  const { ensureCourseStructure } = await import("~/models/structure.server");
  const { rebuildRollups } = await import("~/models/rollups.server");
  const { getPublicExercise } = await import("~/content/course.server");
  ensureCourseStructure();
  const sqlite = getSqlite();
  const slugs = (sqlite.prepare("select module_slug from course_exercises where edition = '' order by module_slug limit 3").all() as { module_slug: string }[]).map(
    (r) => r.module_slug,
  );
  const exercises = slugs.map((slug) => getPublicExercise(slug)!);
  const insertSubmission = sqlite.prepare(
    "insert into exercise_submissions (id, user_id, module_slug, edition, exercise_version, texts, created_at, updated_at, submitted_at) values (?, ?, ?, '', ?, ?, ?, ?, ?)",
  );
  const insertReview = sqlite.prepare(
    "insert into exercise_reviews (id, submission_id, kind, reviewer_id, assigned_at, completed_at, comment) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const insertLevel = sqlite.prepare("insert into exercise_review_levels (review_id, criterion_id, score) values (?, ?, ?)");
  const id = () => randomBytes(12).toString("base64url");
  const rnd = random(7);
  const day = 86_400_000;
  const start = Date.now() - 30 * day;
  const texts = (ex: (typeof exercises)[number]) =>
    JSON.stringify(Object.fromEntries(ex.tasks.map((t) => [t.id, "word ".repeat(Math.ceil((t.minWords + t.maxWords) / 2)).trim()])));
  const t0 = performance.now();
  let submissions = 0;
  let reviews = 0;
  sqlite.transaction(() => {
    for (const [e, ex] of exercises.entries()) {
      const body = texts(ex);
      const submitted: string[] = [];
      for (const [i, userId] of learnerIds.entries()) {
        const sid = id();
        const at = start + Math.floor((i / learnerIds.length) * 20 * day) + e * day;
        insertSubmission.run(sid, userId, ex.slug, ex.version, body, at - 3_600_000, at, at);
        submissions++;
        const self = id();
        insertReview.run(self, sid, "self", userId, at, at, null);
        for (const c of ex.rubric) insertLevel.run(self, c.id, c.levels[Math.floor(rnd() * c.levels.length)]!.score);
        submitted.push(sid);
      }
      // Learner i reviews the submissions of learners i+1 and i+2: two reviews each, a fifth of
      // them still held; a third of the submissions have an instructor's review too.
      for (const [i, sid] of submitted.entries()) {
        for (const k of [1, 2]) {
          const reviewer = learnerIds[(i + learnerIds.length - k) % learnerIds.length]!;
          const rid = id();
          const at = start + 21 * day + Math.floor(rnd() * 8 * day);
          const done = rnd() < 0.8;
          insertReview.run(rid, sid, "peer", reviewer, at, done ? at + 3_600_000 : null, done ? "A clear, well-argued note." : null);
          reviews++;
          if (done) for (const c of ex.rubric) insertLevel.run(rid, c.id, c.levels[Math.floor(rnd() * c.levels.length)]!.score);
        }
        if (rnd() < 0.33) {
          const rid = id();
          const at = start + 29 * day;
          insertReview.run(rid, sid, "instructor", null, at, at, "Good structure; sharpen the recommendation.");
          reviews++;
          for (const c of ex.rubric) insertLevel.run(rid, c.id, c.levels[Math.floor(rnd() * c.levels.length)]!.score);
        }
      }
    }
  })();
  const seedMs = performance.now() - t0;
  const t1 = performance.now();
  rebuildRollups(getDb(), "all");
  const rollupMs = performance.now() - t1;
  const results = (sqlite.prepare("select count(*) as n from exercise_results").get() as { n: number }).n;
  return { slugs, seedMs, rollupMs, submissions, reviews, results };
}

async function timed(url: string, cookie: string) {
  const t = performance.now();
  const res = await fetch(url, { headers: { cookie, "accept-encoding": "identity" } });
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  const bytes = (await res.arrayBuffer()).byteLength;
  return { ms: performance.now() - t, bytes };
}

/** Median of 15 sequential requests after one warm-up: what the person waits for. */
async function pageMs(url: string, cookie: string) {
  await timed(url, cookie);
  const runs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 15; i++) {
    const r = await timed(url, cookie);
    runs.push(r.ms);
    bytes = r.bytes;
  }
  return { ms: median(runs), bytes };
}

export async function benchExercises(input: ExerciseBenchInput) {
  const seeded = await seedExercises(input.learnerIds);
  const { reviewQueue, reviewQueueCount } = await import("~/models/exercise-queue.server");
  const { cohortReport } = await import("~/models/report.server");
  const { closeDb, getSqlite } = await import("~/db/client.server");
  const instructorId = (getSqlite().prepare("select id from users where email = 'bench-instructor@example.test'").get() as { id: string }).id;

  const sqlMs = (fn: () => unknown) => {
    fn();
    const runs: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      fn();
      runs.push(performance.now() - t);
    }
    return median(runs);
  };
  const staff = { id: instructorId, role: "instructor" as const };
  const sql = {
    count: sqlMs(() => reviewQueueCount(staff)),
    queue: sqlMs(() => reviewQueue({ staff })),
    queueFiltered: sqlMs(() => reviewQueue({ staff, filters: { module: seeded.slugs[1], cohort: input.cohortSlug } })),
    report: sqlMs(() => cohortReport(input.cohortId, { filter: "all", sort: "name", dir: "asc", page: 1 })),
  };
  // The seeding's log is copied into the database now, as its own commits would have done: the
  // server's checkpoint worker (ADR 011) must not spend the measurement on another process's seeding.
  getSqlite().pragma("wal_checkpoint(TRUNCATE)");
  closeDb();

  const pages = {
    queue: await pageMs(`${input.base}/instructor/exercises`, input.instructorCookie),
    queueFiltered: await pageMs(`${input.base}/instructor/exercises?module=${seeded.slugs[1]}&cohort=${input.cohortSlug}`, input.instructorCookie),
    report: await pageMs(`${input.base}/coordinator/cohorts/${input.cohortSlug}`, input.coordinatorCookie),
  };

  // The exercise page of learners with a submitted, reviewed exercise, 32 connections.
  let n = 0;
  const exercisePage = await input.run({
    url: `${input.base}/modules/${seeded.slugs[0]}/exercise`,
    connections: 32,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: input.learnerCookies[n++ % input.learnerCookies.length]! } }) }],
  });
  return { seeded, sql, pages, exercisePage };
}

export function printExercises(r: Awaited<ReturnType<typeof benchExercises>>, learners: number) {
  const fmt = (x: number, d = 1) => x.toFixed(d);
  const s = r.seeded;
  console.log(
    `\nExercises: ${learners.toLocaleString("en")} learners, ${s.submissions.toLocaleString("en")} submissions (3 modules), ` +
      `${s.reviews.toLocaleString("en")} peer and instructor reviews, ${s.results.toLocaleString("en")} criterion results`,
  );
  console.log(`seeded in ${fmt(s.seedMs / 1000)} s; roll-ups rebuilt from the raw records in ${fmt(s.rollupMs / 1000)} s`);
  console.log("\npage (median of 15 sequential requests)                         SQL alone ms   page ms   bytes");
  const row = (label: string, sqlMs: number, page: { ms: number; bytes: number }) =>
    console.log(`  ${label.padEnd(62)} ${fmt(sqlMs).padStart(10)} ${fmt(page.ms).padStart(9)} ${String(page.bytes).padStart(7)}`);
  console.log(`  ${"the navigation's count of exercises to review (every staff page)".padEnd(62)} ${fmt(r.sql.count).padStart(10)}`);
  row("instructor queue, first page, all cohorts", r.sql.queue, r.pages.queue);
  row("instructor queue, one module and cohort", r.sql.queueFiltered, r.pages.queueFiltered);
  row("cohort report, first page (with exercise status and backlog)", r.sql.report, r.pages.report);
  console.log("  (target: each page < 300 ms)");
  const e = r.exercisePage;
  console.log(`\nexercise page (submitted, reviewed), 32 connections: ${fmt(e.rps, 0)} req/s, p50 ${fmt(e.p50)} ms, p99 ${fmt(e.p99)} ms`);
}
