// The reports part of `npm run bench`: seeds study records for the journey's learners (about 300
// answers each), rebuilds the roll-ups, and measures the cohort report page against its SQL alone,
// every export's throughput, and the lesson page's latency while an export streams.
import { performance } from "node:perf_hooks";
import type autocannon from "autocannon";

type Row = { rps: number; p50: number; p99: number };

export interface ReportBenchInput {
  base: string;
  cohortId: number;
  cohortSlug: string;
  learnerIds: string[];
  coordinatorCookie: string;
  lessonPath: string;
  learnerCookies: string[];
  run: (opts: autocannon.Options) => Promise<Row>;
}

/** A small deterministic generator: the same database on every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function seedStudyRecords(learnerIds: string[]) {
  const { getSqlite, getDb } = await import("~/db/client.server");
  const { ensureCourseStructure } = await import("~/models/structure.server");
  const { rebuildRollups } = await import("~/models/rollups.server");
  ensureCourseStructure();
  const sqlite = getSqlite();
  const modules = sqlite.prepare("select slug, quiz_version, passing_score from course_modules order by position").all() as {
    slug: string;
    quiz_version: string | null;
    passing_score: number | null;
  }[];
  const sections = sqlite.prepare("select module_slug, section_id from course_sections where edition = '' order by position").all() as {
    module_slug: string;
    section_id: string;
  }[];
  const questions = sqlite
    .prepare(
      `select q.module_slug, q.question_id, json_group_array(c.choice_id) as choices,
         json_group_array(case when c.correct then c.choice_id end) as correct,
         (select json_group_array(objective_id) from course_question_objectives o where o.module_slug = q.module_slug and o.question_id = q.question_id) as objectives
       from course_questions q join course_choices c on c.module_slug = q.module_slug and c.question_id = q.question_id
       group by q.module_slug, q.question_id order by q.module_slug, q.position`,
    )
    .all() as { module_slug: string; question_id: string; choices: string; correct: string; objectives: string }[];
  const quiz = new Map<string, { id: string; choices: string[]; correct: string[]; objectives: string }[]>();
  for (const q of questions) {
    const list = quiz.get(q.module_slug) ?? [];
    list.push({
      id: q.question_id,
      choices: JSON.parse(q.choices),
      correct: (JSON.parse(q.correct) as (string | null)[]).filter((c): c is string => c !== null),
      objectives: q.objectives,
    });
    quiz.set(q.module_slug, list);
  }

  const insertRead = sqlite.prepare("insert or ignore into section_reads (user_id, module_slug, section_id, read_at) values (?, ?, ?, ?)");
  const insertVisit = sqlite.prepare("insert into section_visits (user_id, module_slug, section_id, at) values (?, ?, ?, ?)");
  const insertAttempt = sqlite.prepare(
    `insert into quiz_attempts (id, user_id, module_slug, quiz_version, question_order, started_at, submitted_at, correct_count, question_count, score, passed)
     values (?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?)`,
  );
  const insertAnswer = sqlite.prepare(
    `insert into quiz_answers (attempt_id, user_id, module_slug, question_id, choice_ids, correct, objectives, quiz_version, answered_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCompletion = sqlite.prepare("insert or ignore into module_completions (user_id, module_slug, completed_at) values (?, ?, ?)");
  const insertCertificate = sqlite.prepare(
    "insert or ignore into certificates (user_id, code, learner_name, course_title, completed_at, objectives_mastered) values (?, ?, 'Bench learner', 'Course', ?, '[]')",
  );

  const rnd = random(42);
  const t0 = performance.now();
  let answers = 0;
  let attemptSeq = 0;
  const day = 86_400_000;
  const start = Date.now() - 60 * day;
  sqlite.transaction(() => {
    for (const userId of learnerIds) {
      const ability = 0.35 + rnd() * 0.6;
      // Learners get through a varying share of the course; a third finish it.
      const reach = rnd() < 0.33 ? modules.length : Math.floor(rnd() * modules.length) + 1;
      let at = start + Math.floor(rnd() * 30 * day);
      let completedAll = true;
      for (const [index, m] of modules.entries()) {
        if (index >= reach) {
          completedAll = false;
          break;
        }
        const own = sections.filter((s) => s.module_slug === m.slug);
        const readAll = index < reach - 1 || rnd() < 0.75;
        const read = readAll ? own : own.slice(0, Math.floor(rnd() * own.length));
        for (const s of read) {
          at += 2 * 60_000 + Math.floor(rnd() * 6 * 60_000);
          insertVisit.run(userId, m.slug, s.section_id, at);
          insertRead.run(userId, m.slug, s.section_id, at);
        }
        let passed = false;
        const qs = quiz.get(m.slug) ?? [];
        if (m.quiz_version && qs.length && read.length === own.length) {
          // About four attempts a quiz on average: learners retake to improve (about 3 million answers).
          const attempts = 2 + Math.floor(rnd() * 5);
          for (let k = 0; k < attempts; k++) {
            const id = `bench-${(attemptSeq++).toString(36)}`;
            at += 5 * 60_000;
            const graded = qs.map((q) => {
              const right = rnd() < ability + k * 0.05;
              const chosen = right ? q.correct : [q.choices.find((c) => !q.correct.includes(c)) ?? q.choices[0]!];
              return { q, right, chosen };
            });
            const correct = graded.filter((g) => g.right).length;
            const score = correct / qs.length;
            const pass = score >= (m.passing_score ?? 0.7);
            insertAttempt.run(id, userId, m.slug, m.quiz_version, at - 4 * 60_000, at, correct, qs.length, score, pass ? 1 : 0);
            for (const g of graded) {
              insertAnswer.run(id, userId, m.slug, g.q.id, JSON.stringify(g.chosen), g.right ? 1 : 0, g.q.objectives, m.quiz_version, at);
              answers++;
            }
            passed ||= pass;
          }
        }
        if (read.length === own.length && (passed || !m.quiz_version)) insertCompletion.run(userId, m.slug, at);
        else completedAll = false;
      }
      if (completedAll) insertCertificate.run(userId, `BENCH-${userId}`, at);
    }
  })();
  const seedMs = performance.now() - t0;
  const t1 = performance.now();
  rebuildRollups(getDb(), "all");
  const rollupMs = performance.now() - t1;
  const counts = sqlite
    .prepare(
      `select (select count(*) from quiz_answers) as answers, (select count(*) from quiz_attempts where submitted_at is not null) as attempts,
       (select count(*) from section_reads) as reads, (select count(*) from module_completions) as completions, (select count(*) from certificates) as certificates`,
    )
    .get() as { answers: number; attempts: number; reads: number; completions: number; certificates: number };
  return { seedMs, rollupMs, counts, answersInserted: answers };
}

async function timed(url: string, cookie: string) {
  const t = performance.now();
  const res = await fetch(url, { headers: { cookie, "accept-encoding": "identity" } });
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  let lines = 0;
  let bytes = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    // Native scanning: a byte-by-byte JavaScript loop would make this client the bottleneck.
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines++;
  }
  return { ms: performance.now() - t, lines, bytes };
}

export async function benchReports(input: ReportBenchInput) {
  const seeded = await seedStudyRecords(input.learnerIds);
  const { cohortReport } = await import("~/models/report.server");
  const { closeDb, getSqlite } = await import("~/db/client.server");

  // The report's SQL alone, in this process, on the same file: median of 15 runs after a warm-up.
  const query = { filter: "all", sort: "name", dir: "asc", page: 1 } as const;
  const sqlRuns: Record<string, number[]> = { name: [], progress: [] };
  cohortReport(input.cohortId, query);
  for (let i = 0; i < 15; i++) {
    for (const sort of ["name", "progress"] as const) {
      const t = performance.now();
      cohortReport(input.cohortId, { ...query, sort, dir: sort === "name" ? "asc" : "desc" });
      sqlRuns[sort]!.push(performance.now() - t);
    }
  }
  // The seeding's log is copied into the database now, as its own commits would have done: the
  // server's checkpoint worker (ADR 011) must not spend the measurement on another process's seeding.
  getSqlite().pragma("wal_checkpoint(TRUNCATE)");
  closeDb();

  // The page through the server, one request at a time (what a coordinator waits for).
  const pageUrl = (sort: string) => `${input.base}/coordinator/cohorts/${input.cohortSlug}?sort=${sort}&dir=${sort === "name" ? "asc" : "desc"}`;
  const pageRuns: Record<string, number[]> = { name: [], progress: [] };
  let pageBytes = 0;
  for (let i = 0; i < 16; i++) {
    for (const sort of ["name", "progress"] as const) {
      const r = await timed(pageUrl(sort), input.coordinatorCookie);
      if (i > 0) pageRuns[sort]!.push(r.ms);
      pageBytes = r.bytes;
    }
  }

  const exportsBase = `${input.base}/coordinator/cohorts/${input.cohortSlug}/exports`;
  const exportRows: [string, { ms: number; rows: number; bytes: number }][] = [];
  for (const file of ["completion.csv", "mastery.csv", "attempts.csv", "xapi.ndjson"]) {
    const r = await timed(`${exportsBase}/${file}`, input.coordinatorCookie);
    // CSV: every line but the header is a row; NDJSON: one statement per line.
    exportRows.push([file, { ms: r.ms, rows: file.endsWith(".csv") ? r.lines - 1 : r.lines, bytes: r.bytes }]);
  }

  // The lesson page alone, then while the largest export streams to another client.
  let n = 0;
  const lesson = (connections: number) =>
    input.run({
      url: `${input.base}${input.lessonPath}`,
      connections,
      requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: input.learnerCookies[n++ % input.learnerCookies.length]! } }) }],
    });
  const during: [string, Row, Row][] = [];
  for (const connections of [4, 32]) {
    const alone = await lesson(connections);
    const exporting = timed(`${exportsBase}/attempts.csv`, input.coordinatorCookie);
    const withExport = await lesson(connections);
    await exporting;
    during.push([`${connections} connections`, alone, withExport]);
  }

  return { seeded, sqlRuns, pageRuns, pageBytes, exportRows, during };
}

export function printReports(r: Awaited<ReturnType<typeof benchReports>>, learners: number) {
  const fmt = (x: number, d = 1) => x.toFixed(d);
  const c = r.seeded.counts;
  console.log(
    `\nReports: ${learners.toLocaleString("en")} learners in one cohort; ${c.answers.toLocaleString("en")} answers in ${c.attempts.toLocaleString("en")} attempts, ` +
      `${c.reads.toLocaleString("en")} section reads, ${c.completions.toLocaleString("en")} module completions, ${c.certificates.toLocaleString("en")} certificates`,
  );
  console.log(`seeded in ${fmt(r.seeded.seedMs / 1000)} s; roll-ups rebuilt from the raw records in ${fmt(r.seeded.rollupMs / 1000)} s`);
  console.log("\ncohort report (first page of 50 learners + all summaries)      SQL alone ms   page ms   page / SQL");
  for (const sort of ["name", "progress"] as const) {
    const sqlMs = median(r.sqlRuns[sort]!);
    const pageMs = median(r.pageRuns[sort]!);
    console.log(`  sorted by ${sort.padEnd(52)} ${fmt(sqlMs).padStart(12)} ${fmt(pageMs).padStart(9)} ${fmt(pageMs / sqlMs, 2).padStart(11)}×`);
  }
  console.log(`  (medians of 15 runs; page weight ${r.pageBytes} B; targets: page < 300 ms and ≤ 1.5× its SQL)`);
  console.log("\nexport (full download, streamed)                  rows        seconds     rows/s      MB");
  for (const [file, e] of r.exportRows) {
    console.log(
      `  ${file.padEnd(46)} ${e.rows.toLocaleString("en").padStart(10)} ${fmt(e.ms / 1000, 2).padStart(10)} ${Math.round(e.rows / (e.ms / 1000)).toLocaleString("en").padStart(10)} ${fmt(e.bytes / 1e6).padStart(8)}`,
    );
  }
  console.log("  (target ≥ 50,000 rows/s)");
  console.log("\nlesson page while attempts.csv streams             alone p50/p99 ms    during export p50/p99 ms   req/s alone → during");
  for (const [label, alone, withExport] of r.during) {
    console.log(
      `  ${label.padEnd(46)} ${`${fmt(alone.p50)} / ${fmt(alone.p99)}`.padStart(18)} ${`${fmt(withExport.p50)} / ${fmt(withExport.p99)}`.padStart(24)}   ${fmt(alone.rps, 0)} → ${fmt(withExport.rps, 0)}`,
    );
  }
  console.log("  (target: p99 < 100 ms while an export runs)");
}
