// `npm run bench:durability` (also the last part of `npm run bench`): what synchronous=FULL costs
// (ADR 006). The built server runs in this process on a throw-away database; a worker thread posts
// real quiz submissions over HTTP from 8 connections, once with the connection at FULL (what the
// app runs) and once at NORMAL (what it ran before). Then one-row commits alone, without HTTP.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-bench-durability-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");
process.env.APP_MODE = "demo";
process.env.HOST = "127.0.0.1";
process.env.PORT = String(4800 + Math.floor(Math.random() * 100));
process.env.NODE_ENV = "production";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 8;
const PER_MODE = Number(process.env.BENCH_SUBMISSIONS ?? 3000);
const MODES = ["FULL", "NORMAL"] as const;

const { getDb, getSqlite, openSqlite } = await import("~/db/client.server");
const { runMigrations } = await import("~/db/migrate.server");
const { hashPassword } = await import("~/auth/password.server");
const { startSession } = await import("~/auth/session.server");
const { getCourse, getPublicQuiz } = await import("~/content/course.server");
const { makeCohort, makeUserSync } = await import("~/models/factories.server");
const { attemptQuestions, openAttempt } = await import("~/models/quiz.server");

runMigrations(getDb());
const course = getCourse();
const module = course.modules.find((m) => m.quiz)!;
const quiz = getPublicQuiz(module.slug)!;
// Each attempt answers the questions drawn for it.
const answersTo = (attempt: Parameters<typeof attemptQuestions>[0]) =>
  attemptQuestions(attempt, quiz)
    .map((q) => `q.${encodeURIComponent(q.id)}=${encodeURIComponent(q.choices[0]!.id)}`)
    .join("&");

// Every submission is a different learner's open attempt: each is graded and stored once.
// Seeding is not what is measured: it runs without syncs.
getSqlite().pragma("synchronous = OFF");
const hash = await hashPassword("bench durability lantern 7");
const cohort = makeCohort({});
const jobs: Record<(typeof MODES)[number], { cookie: string; body: string }[]> = { FULL: [], NORMAL: [] };
const users = getDb().transaction((tx) =>
  Array.from({ length: PER_MODE * MODES.length }, (_, i) =>
    makeUserSync({ email: `durable${i}@example.test`, role: "learner", passwordHash: hash, cohortId: cohort.id }, tx),
  ),
);
for (const [i, user] of users.entries()) {
  const cookie = (await startSession(user.id)).split(";")[0]!;
  const attempt = openAttempt({ userId: user.id, slug: module.slug });
  jobs[MODES[i % MODES.length]!].push({ cookie, body: `attemptId=${attempt.id}&${answersTo(attempt)}` });
}

const build = await import(pathToFileURL(path.resolve("build/index.js")).href);
await build.entry.module.startServer(build);
const base = `http://localhost:${process.env.PORT}`;

// The client runs on another thread, so that it does not share the server's event loop.
const CLIENT = `
const { parentPort, workerData } = require("node:worker_threads");
const { url, origin, jobs, seconds, connections } = workerData;
(async () => {
  const latencies = [];
  let next = 0;
  let failures = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end && next < jobs.length) {
      const job = jobs[next++];
      const t = performance.now();
      const res = await fetch(url, {
        method: "POST",
        redirect: "manual",
        headers: { origin, cookie: job.cookie, "content-type": "application/x-www-form-urlencoded" },
        body: job.body,
      });
      await res.arrayBuffer();
      if (res.status !== 303) failures++;
      latencies.push(performance.now() - t);
    }
  }));
  parentPort.postMessage({ latencies, failures, elapsed: (performance.now() - start) / 1000 });
})();
`;

interface Row {
  mode: string;
  rate: number;
  p50: number;
  p99: number;
  count: number;
  failures: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function submissions(mode: (typeof MODES)[number]): Promise<Row> {
  getSqlite().pragma(`synchronous = ${mode}`);
  const worker = new Worker(CLIENT, {
    eval: true,
    workerData: { url: `${base}/modules/${module.slug}/quiz`, origin: base, jobs: jobs[mode], seconds: SECONDS, connections: CONNECTIONS },
  });
  const { latencies, failures, elapsed } = await new Promise<{ latencies: number[]; failures: number; elapsed: number }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  latencies.sort((a, b) => a - b);
  return { mode, rate: latencies.length / elapsed, p50: pct(latencies, 50), p99: pct(latencies, 99), count: latencies.length, failures };
}

/** One-row transactions, each committed on its own: the cost of the sync alone. */
function commits(mode: (typeof MODES)[number]): Row {
  const sqlite = openSqlite(path.join(dir, `commits-${mode}.db`));
  sqlite.pragma(`synchronous = ${mode}`);
  sqlite.exec("create table t (id integer primary key, at integer)");
  const insert = sqlite.prepare("insert into t (at) values (?)");
  const latencies: number[] = [];
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    const t = performance.now();
    insert.run(Date.now());
    latencies.push(performance.now() - t);
  }
  const elapsed = (performance.now() - start) / 1000;
  sqlite.close();
  latencies.sort((a, b) => a - b);
  return { mode, rate: latencies.length / elapsed, p50: pct(latencies, 50), p99: pct(latencies, 99), count: latencies.length, failures: 0 };
}

const rows: [string, Row][] = [];
for (const mode of MODES) rows.push([`quiz submissions over HTTP, ${CONNECTIONS} connections`, await submissions(mode)]);
getSqlite().pragma("synchronous = FULL");
for (const mode of MODES) rows.push(["one-row commits, in process", commits(mode)]);

const fmt = (n: number, d = 1) => n.toFixed(d);
console.log(`\nDurable commits (ADR 006): synchronous=FULL vs NORMAL, WAL, ${SECONDS}s each, database in ${os.tmpdir()}`);
console.log("measurement".padEnd(46), "sync".padEnd(7), "per s".padStart(8), "p50 ms".padStart(8), "p99 ms".padStart(8), "n".padStart(7));
for (const [label, r] of rows) {
  const failed = r.failures ? `  (${r.failures} not 303)` : "";
  console.log(label.padEnd(46), r.mode.padEnd(7), fmt(r.rate, 0).padStart(8), fmt(r.p50, 2).padStart(8), fmt(r.p99, 2).padStart(8), String(r.count).padStart(7) + failed);
}
for (const label of new Set(rows.map(([l]) => l))) {
  const [full, normal] = MODES.map((m) => rows.find(([l, r]) => l === label && r.mode === m)![1]);
  console.log(`  ${label}: FULL gives ${fmt((full!.rate / normal!.rate) * 100, 0)} % of NORMAL's rate, p99 +${fmt(full!.p99 - normal!.p99, 2)} ms`);
}

fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
