// `npm run bench`: figures for the foundation, printed (not asserted). It seeds a throw-away
// database through the same factories the tests use, starts the built server, and measures.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-bench-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");
process.env.APP_MODE = "demo";

const { getDb, closeDb } = await import("~/db/client.server");
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
getDb().transaction((tx) => {
  for (let i = 0; i < MEMBERS; i++) makeUserSync({ email: `learner${i}@example.test`, role: "learner", passwordHash: hash, cohortId: cohort.id }, tx);
});
createInvitations({ cohortId: cohort.id, role: "learner", count: 200, createdBy: coordinator.id });
const seedMs = performance.now() - t;
closeDb();

const port = 4300 + Math.floor(Math.random() * 500);
const server = spawn(process.execPath, ["server.mjs"], {
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
const learnerCookie = await cookieFor("learner1@example.test");

const results: [string, Awaited<ReturnType<typeof load>>][] = [];
for (const [label, pathname, cookie] of [
  ["GET /healthz (one query, no page)", "/healthz", ""],
  ["GET /login (anonymous page)", "/login", ""],
  ["GET / (learner home, session check)", "/", learnerCookie],
  [`GET /coordinator/cohorts/:id (${MEMBERS} members, 200 invitations)`, `/coordinator/cohorts/${cohort.id}`, coordinatorCookie],
] as const) {
  results.push([label, await load(pathname, cookie)]);
}

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
fs.rmSync(dir, { recursive: true, force: true });

const fmt = (n: number, d = 1) => n.toFixed(d);
console.log(`Cyber Diplomacy Academy benchmark (${os.cpus().length} cores, Node ${process.version}, ${CONNECTIONS} connections, ${SECONDS}s each)\n`);
console.log(`argon2id hash+verify: median ${fmt(hashRuns.sort((a, b) => a - b)[2]!)} ms`);
console.log(`seeding ${MEMBERS + 1} users + 200 invitations with a precomputed hash: ${fmt(seedMs)} ms (${fmt(seedMs / (MEMBERS + 1), 3)} ms/user)\n`);
console.log("endpoint".padEnd(62), "req/s".padStart(8), "p50 ms".padStart(8), "p99 ms".padStart(8), "bytes".padStart(8));
for (const [label, r] of results) {
  console.log(label.padEnd(62), fmt(r.rps, 0).padStart(8), fmt(r.p50).padStart(8), fmt(r.p99).padStart(8), String(r.bytes).padStart(8));
}
const baseline = results[0]![1].rps;
console.log("\nratios to /healthz throughput:");
for (const [label, r] of results.slice(1)) console.log(`  ${label}: ${fmt(r.rps / baseline, 2)}×`);
console.log(
  `\nfirst load of /login: HTML ${loginHtml.length} B (${gzipSync(loginHtml).length} B gzip), ` +
    `JS+CSS ${assetBytes} B (${assetGzip} B gzip) in ${new Set(scripts).size} files`,
);
