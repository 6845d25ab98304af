// `npm run bench`: figures for the foundation, printed (not asserted). It seeds a throw-away
// database through the same factories the tests use, starts the built server, and measures.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import type autocannon from "autocannon";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-bench-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");
process.env.APP_MODE = "demo";

const { getDb, getSqlite, closeDb } = await import("~/db/client.server");
const { runMigrations } = await import("~/db/migrate.server");
const { hashPassword, verifyPassword } = await import("~/auth/password.server");
const { makeCohort, makeUserSync } = await import("~/models/factories.server");
const { createInvitations } = await import("~/models/invitation.server");

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = 10;
const PASSWORD = "bench marker lantern 1";

runMigrations(getDb());

// Password hashing cost (argon2id, the parameters the app uses).
const hashRuns: number[] = [];
let hash = "";
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  hash = await hashPassword(PASSWORD);
  await verifyPassword(hash, PASSWORD);
  hashRuns.push(performance.now() - t);
}

// Seeding with one precomputed hash: the reason factories accept passwordHash.
const t = performance.now();
const coordinator = makeUserSync({ email: "bench-coordinator@example.test", role: "coordinator", passwordHash: hash });
const cohort = makeCohort({ coordinatorId: coordinator.id });
makeUserSync({ email: "bench-instructor@example.test", role: "instructor", passwordHash: hash });
getDb().transaction((tx) => {
  for (let i = 0; i < MEMBERS; i++) makeUserSync({ email: `learner${i}@example.test`, role: "learner", passwordHash: hash, cohortId: cohort.id }, tx);
});
createInvitations({ cohortId: cohort.id, role: "learner", count: 200, createdBy: coordinator.id });
const seedMs = performance.now() - t;
closeDb();

const port = 4300 + Math.floor(Math.random() * 500);
// BENCH_CPU_PROF=<folder>: the server writes a V8 CPU profile there when it stops (scripts/profile-top.ts reads it).
const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
const server = spawn(process.execPath, [...profile, "server.mjs"], {
  env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
  stdio: ["ignore", "ignore", "inherit"],
});
const base = `http://localhost:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    if (i > 200) throw new Error("server did not start");
  }
  await new Promise((r) => setTimeout(r, 50));
}

async function cookieFor(email: string) {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: PASSWORD }),
  });
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

async function load(pathname: string, cookie = "") {
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  let bytes = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        const res = await fetch(`${base}${pathname}`, { headers: { cookie, "accept-encoding": "identity" } });
        if (res.status !== 200) throw new Error(`${pathname}: ${res.status}`);
        bytes = (await res.arrayBuffer()).byteLength;
        latencies.push(performance.now() - start);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { rps: latencies.length / SECONDS, p50: pct(50), p99: pct(99), bytes };
}

const coordinatorCookie = await cookieFor("bench-coordinator@example.test");
const instructorCookie = await cookieFor("bench-instructor@example.test");
const learnerCookie = await cookieFor("learner1@example.test");

// ---- Denial of service (scripts/bench-dos.ts); BENCH_ONLY=dos runs this part alone ----------------
// BENCH_ONLY=exercises: the learner's journey, then the exercises part alone.
const EXERCISES_ONLY = process.env.BENCH_ONLY === "exercises";
const LESSON_ONLY = process.env.BENCH_ONLY === "lesson" || EXERCISES_ONLY;
const { benchDos, printDos } = await import("./bench-dos");
const dosModule = (await import("~/content/course.server")).getCourse().modules[0]!;
const dos = LESSON_ONLY ? null : await benchDos({
  base,
  learnerCookie,
  lessonPath: `/modules/${dosModule.slug}/${dosModule.sections[0]!.id}`,
  quizPath: `/modules/${dosModule.slug}/quiz`,
  seconds: SECONDS,
});
if (process.env.BENCH_ONLY === "dos") {
  server.kill("SIGTERM");
  fs.rmSync(dir, { recursive: true, force: true });
  printDos(dos!);
  process.exit(0);
}

const results: [string, Awaited<ReturnType<typeof load>>][] = [];
for (const [label, pathname, cookie] of (LESSON_ONLY ? [] : [
  ["GET /healthz (cheap checks, no page)", "/healthz", ""],
  ["GET /login (anonymous page)", "/login", ""],
  ["GET / (learner home, session check)", "/", learnerCookie],
  [`GET /coordinator/cohorts/:id (${MEMBERS} members, 200 invitations)`, `/coordinator/cohorts/${cohort.id}`, coordinatorCookie],
]) as [string, string, string][]) {
  results.push([label, await load(pathname, cookie)]);
}

// ---- The learner's journey at scale ------------------------------------------------------------
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 10_000);
const journey = await learnerJourney();
if (LESSON_ONLY && !EXERCISES_ONLY) {
  server.kill("SIGTERM");
  journey.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  printJourney();
  process.exit(0);
}
const { benchReports, printReports } = await import("./bench-reports");
const reports = EXERCISES_ONLY ? null : await benchReports({
  base,
  cohortId: journey.cohort.id,
  cohortSlug: journey.cohort.slug,
  learnerIds: journey.ids,
  coordinatorCookie,
  lessonPath: journey.pagePath,
  learnerCookies: journey.cookies,
  run: journey.run,
});
const { benchExercises, printExercises } = await import("./bench-exercises");
const exercises = await benchExercises({
  base,
  cohortId: journey.cohort.id,
  cohortSlug: journey.cohort.slug,
  learnerIds: journey.ids,
  learnerCookies: journey.cookies,
  instructorCookie,
  coordinatorCookie,
  run: journey.run,
});

const loginHtml = await (await fetch(`${base}/login`)).text();
const scripts = [...loginHtml.matchAll(/(?:src|href)="(\/build\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
let assetBytes = 0;
let assetGzip = 0;
for (const s of new Set(scripts)) {
  const body = Buffer.from(await (await fetch(`${base}${s}`)).arrayBuffer());
  assetBytes += body.length;
  assetGzip += gzipSync(body).length;
}
server.kill("SIGTERM");
journey.stop();
fs.rmSync(dir, { recursive: true, force: true });

function fmt(n: number, d = 1) {
  return n.toFixed(d);
}
console.log(`Cyber Diplomacy Academy benchmark (${os.cpus().length} cores, Node ${process.version}, ${CONNECTIONS} connections, ${SECONDS}s each)\n`);
console.log(`argon2id hash+verify: median ${fmt(hashRuns.sort((a, b) => a - b)[2]!)} ms`);
console.log(`seeding ${MEMBERS + 1} users + 200 invitations with a precomputed hash: ${fmt(seedMs)} ms (${fmt(seedMs / (MEMBERS + 1), 3)} ms/user)\n`);
if (results.length) console.log("endpoint".padEnd(62), "req/s".padStart(8), "p50 ms".padStart(8), "p99 ms".padStart(8), "bytes".padStart(8));
for (const [label, r] of results) {
  console.log(label.padEnd(62), fmt(r.rps, 0).padStart(8), fmt(r.p50).padStart(8), fmt(r.p99).padStart(8), String(r.bytes).padStart(8));
}
if (results.length) {
  const baseline = results[0]![1].rps;
  console.log("\nratios to /healthz throughput:");
  for (const [label, r] of results.slice(1)) console.log(`  ${label}: ${fmt(r.rps / baseline, 2)}×`);
}
console.log(
  `\nfirst load of /login: HTML ${loginHtml.length} B (${gzipSync(loginHtml).length} B gzip), ` +
    `JS+CSS ${assetBytes} B (${assetGzip} B gzip) in ${new Set(scripts).size} files`,
);

printJourney();
if (reports) printReports(reports, LEARNERS);
printExercises(exercises, LEARNERS);
if (dos) printDos(dos);
// The cost of durable commits (ADR 006), in its own process and database.
if (!EXERCISES_ONLY) spawnSync("npx", ["tsx", "scripts/bench-durability.ts"], { stdio: "inherit" });

type Row = { rps: number; p50: number; p99: number; refused?: number };

function printJourney() {
  const j = journey.results;
  console.log(`\nThe learner's journey, ${LEARNERS.toLocaleString("en")} learners with progress (seeded in ${fmt(j.seedMs / 1000)} s), autocannon ${j.seconds}s each:`);
  console.log("endpoint".padEnd(62), "req/s".padStart(8), "p50 ms".padStart(8), "p99 ms".padStart(8));
  for (const [label, r] of j.rows) {
    const refused = r.refused ? `   (${r.refused} answered 4xx/5xx)` : "";
    console.log(label.padEnd(62), fmt(r.rps, 0).padStart(8), fmt(r.p50, 1).padStart(8), fmt(r.p99, 1).padStart(8) + refused);
  }
  const row = (prefix: string) => j.rows.find(([l]) => l.startsWith(prefix))![1];
  const plain = row("same bytes from a plain Node http server");
  const ratio = (r: Row) => (r.rps / plain.rps).toFixed(3);
  console.log(`\nratios to the plain server's throughput (the physical limit of one Node process here):`);
  console.log(`  lesson section page, standard learner: ${ratio(row("lesson section page, signed in"))}×   (target ≥ 0.25×, p99 < 50 ms)`);
  console.log(`  lesson section page, Uruguay edition learner: ${ratio(row("lesson section page, Uruguay"))}×   (target ≥ 0.25×, p99 < 50 ms)`);
  console.log(`  dashboard /: ${ratio(row("dashboard /"))}×   (target ≥ 0.10×)`);
  console.log(`  quiz submission at 8 connections: p99 ${row("quiz submission, graded and stored (8").p99.toFixed(1)} ms   (target < 30 ms)`);
  console.log(`lesson page weight: HTML ${j.html} B (${j.htmlGzip} B gzip); JS ${j.js} B (${j.jsGzip} B gzip, target ≤ 60 KB) in ${j.jsFiles} files`);
}

async function learnerJourney() {
  const { default: autocannon } = await import("autocannon");
  const { startSession } = await import("~/auth/session.server");
  const { getCourse } = await import("~/content/course.server");
  const { openAttempt } = await import("~/models/quiz.server");
  const { sectionReads, sectionVisits } = await import("~/db/schema");
  const SECONDS_EACH = Number(process.env.BENCH_SECONDS ?? 5);

  const course = getCourse();
  const first = course.modules[0]!;
  const sectionIds = first.sections.map((s) => s.id);
  const t0 = performance.now();
  const learnerCohort = makeCohort({ coordinatorId: coordinator.id });
  const ids: string[] = [];
  getDb().transaction((tx) => {
    for (let i = 0; i < LEARNERS; i++) {
      const u = makeUserSync({ email: `journey${i}@example.test`, role: "learner", passwordHash: hash, cohortId: learnerCohort.id }, tx);
      ids.push(u.id);
      const now = Date.now() - 86_400_000;
      const read = sectionIds.slice(0, i % (sectionIds.length + 1));
      for (const [k, sectionId] of read.entries()) {
        tx.insert(sectionReads).values({ userId: u.id, moduleSlug: first.slug, sectionId, readAt: new Date(now + k * 60_000) }).run();
        tx.insert(sectionVisits).values({ userId: u.id, moduleSlug: first.slug, sectionId, at: new Date(now + k * 60_000) }).run();
      }
    }
  });
  const cookies: string[] = [];
  for (const id of ids) cookies.push((await startSession(id)).split(";")[0]!);
  // Learners of an edition cohort, reading a module the edition rewrites.
  const edition = course.editions[0]!.id;
  const editionModule = course.modules.find((m) => m.editions.some((e) => e.id === edition)) ?? first;
  const editionSections = editionModule.editions.find((e) => e.id === edition)?.sections ?? editionModule.sections;
  const editionCohort = makeCohort({ coordinatorId: coordinator.id, edition });
  const editionCookies: string[] = [];
  for (let i = 0; i < Math.min(1000, LEARNERS); i++) {
    const u = makeUserSync({ email: `edition${i}@example.test`, role: "learner", passwordHash: hash, cohortId: editionCohort.id });
    const read = editionSections.slice(0, i % (editionSections.length + 1));
    for (const [k, s] of read.entries()) {
      getDb().insert(sectionReads).values({ userId: u.id, moduleSlug: editionModule.slug, sectionId: s.id, readAt: new Date(Date.now() - 86_400_000 + k * 60_000) }).run();
    }
    editionCookies.push((await startSession(u.id)).split(";")[0]!);
  }
  const editionPath = `/modules/${editionModule.slug}/${(editionSections[1] ?? editionSections[0]!).id}`;
  // One open attempt per learner: a submission row that ran out would measure the route's 409 instead.
  const attemptCount = LEARNERS;
  // Each attempt is answered with the questions drawn for it.
  const opened = ids.slice(0, attemptCount).map((userId) => openAttempt({ userId, slug: first.slug }));
  const attempts = opened.map((a) => a.id);
  const seedMs = performance.now() - t0;
  // The seeding's log is copied into the database now, as its own commits would have done: the
  // server's checkpoint worker (ADR 011) must not spend the measurement on another process's seeding.
  getSqlite().pragma("wal_checkpoint(TRUNCATE)");
  closeDb();

  const section = sectionIds[1] ?? sectionIds[0]!;
  const pagePath = `/modules/${first.slug}/${section}`;
  // The seeding outlasted the server's keep-alive timeout: the first request may meet a closed socket.
  const sample = await fetch(`${base}${pagePath}`, { headers: { cookie: cookies[0]! } }).catch(() =>
    fetch(`${base}${pagePath}`, { headers: { cookie: cookies[0]! } }),
  );
  const html = await sample.text();
  if (sample.status !== 200) throw new Error(`lesson page answered ${sample.status}`);

  // The same bytes from a plain Node http server on the same machine: the physical limit the lesson
  // page is measured against (Express's static middleware would hide a factor of ten).
  const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-static-"));
  fs.writeFileSync(path.join(staticDir, "page.html"), html);
  const staticPort = port + 1;
  const staticServer = spawn(
    process.execPath,
    [
      "-e",
      `const b=require("fs").readFileSync(${JSON.stringify(path.join(staticDir, "page.html"))});` +
        `require("http").createServer((q,r)=>{r.writeHead(200,{"Content-Type":"text/html; charset=utf-8","Content-Length":b.length});r.end(b)}).listen(${staticPort},"127.0.0.1")`,
    ],
    { stdio: "ignore" },
  );
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${staticPort}/page.html`)).ok) break;
    } catch {
      if (i > 100) throw new Error("plain server did not start");
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const run = (opts: autocannon.Options): Promise<Row> =>
    new Promise((resolve, reject) => {
      autocannon({ ...opts, duration: SECONDS_EACH }, (err, r) => {
        if (err) return reject(err);
        if (r.non2xx && opts.method !== "POST") return reject(new Error(`${opts.url}: ${r.non2xx} non-2xx answers`));
        // Answers other than 2xx and 3xx (a quiz attempt submitted twice gets the route's 409).
        const refused = Object.entries((r as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})
          .filter(([code]) => Number(code) >= 400)
          .reduce((n, [, v]) => n + v.count, 0);
        resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, refused });
      });
    });

  // BENCH_ROWS=lesson,edition,dashboard,quiz: only those rows (with BENCH_CPU_PROF, a profile of one workload).
  const only = process.env.BENCH_ROWS?.split(",");
  const skipped: Row = { rps: NaN, p50: NaN, p99: NaN };
  const maybe = (name: string, work: () => Promise<Row>) => (!only || only.includes(name) ? work() : Promise.resolve(skipped));
  let n = 0;
  const pageRow = await maybe("lesson", () => run({
    url: `${base}${pagePath}`,
    connections: 32,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: cookies[n++ % cookies.length]! } }) }],
  }));
  const staticRow = await run({ url: `http://127.0.0.1:${staticPort}/page.html`, connections: 32 });
  let e = 0;
  const editionRow = await maybe("edition", () => run({
    url: `${base}${editionPath}`,
    connections: 32,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: editionCookies[e++ % editionCookies.length]! } }) }],
  }));
  let d = 0;
  const dashboardRow = await maybe("dashboard", () => run({
    url: `${base}/`,
    connections: 32,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: cookies[d++ % cookies.length]! } }) }],
  }));

  const quiz = JSON.parse(fs.readFileSync(path.join(process.env.CONTENT_BUILD_DIR ?? ".content-build", "current", "quizzes", `${first.slug}.json`), "utf8")) as {
    questions: { id: string; choices: { id: string }[] }[];
  };
  const choicesOf = new Map(quiz.questions.map((q) => [q.id, q.choices]));
  const answers = opened.map((a) => a.questionOrder.map((id) => `q.${encodeURIComponent(id)}=${encodeURIComponent(choicesOf.get(id)![0]!.id)}`).join("&"));
  const submitted: number[] = [];
  const submit = (connections: number) => {
    let k = submitted.length;
    return run({
      url: `${base}/modules/${first.slug}/quiz`,
      method: "POST",
      connections,
      headers: { origin: base, "content-type": "application/x-www-form-urlencoded" },
      requests: [
        {
          setupRequest: (req) => {
            const i = k++ % attemptCount;
            submitted.push(i);
            return { ...req, headers: { ...req.headers, cookie: cookies[i]! }, body: `attemptId=${attempts[i]}&${answers[i]}` };
          },
        },
      ],
    });
  };
  const submit8 = await maybe("quiz", () => submit(8));
  const submit32 = await maybe("quiz", () => submit(32));

  const scripts = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="(\/build\/[^"]+\.js)"/g)].map((m) => m[1]!);
  let js = 0;
  let jsGzip = 0;
  for (const src of new Set(scripts)) {
    const body = Buffer.from(await (await fetch(`${base}${src}`)).arrayBuffer());
    js += body.length;
    jsGzip += gzipSync(body).length;
  }
  return {
    cohort: learnerCohort,
    ids,
    cookies,
    pagePath,
    run,
    stop: () => {
      staticServer.kill("SIGTERM");
      fs.rmSync(staticDir, { recursive: true, force: true });
    },
    results: {
      seedMs,
      seconds: SECONDS_EACH,
      html: html.length,
      htmlGzip: gzipSync(html).length,
      js,
      jsGzip,
      jsFiles: new Set(scripts).size,
      rows: [
        [`lesson section page, signed in (32 connections)`, pageRow],
        [`lesson section page, Uruguay edition learner (32 connections)`, editionRow],
        [`same bytes from a plain Node http server (32 connections)`, staticRow],
        [`dashboard /, signed in (32 connections)`, dashboardRow],
        [`quiz submission, graded and stored (8 connections)`, submit8],
        [`quiz submission, graded and stored (32 connections)`, submit32],
      ] as [string, Row][],
    },
  };
}
