import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { performance } from "node:perf_hooks";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-prof-"));
process.env.DATABASE_PATH = path.join(dir, "p.db");
process.env.APP_MODE = "demo";
const { getDb } = await import("~/db/client.server");
const { runMigrations } = await import("~/db/migrate.server");
runMigrations(getDb());
const { makeCohort, makeUserSync } = await import("~/models/factories.server");
const cohort = makeCohort();
const ids: string[] = [];
getDb().transaction((tx) => { for (let i = 0; i < 500; i++) ids.push(makeUserSync({ role: "learner", passwordHash: null, cohortId: cohort.id }, tx).id); });
const { seedStudyRecords } = await import("./bench-reports");
console.log(await seedStudyRecords(ids));
const { attemptsCsv, xapiStatements } = await import("~/models/export.server");
for (const [name, make] of [["attempts", () => attemptsCsv({ cohortId: cohort.id })], ["xapi", () => xapiStatements({ cohortId: cohort.id, origin: "http://x" })]] as const) {
  const t = performance.now();
  const reader = make().getReader();
  let n = 0; let maxGap = 0; let last = performance.now();
  for (;;) { const { done, value } = await reader.read(); const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now; if (done) break; for (const b of value) if (b === 10) n++; }
  const ms = performance.now() - t;
  console.log(name, n, "rows", ms.toFixed(0), "ms", Math.round(n / (ms / 1000)), "rows/s, longest chunk", maxGap.toFixed(1), "ms");
}
