// The denial-of-service part of `npm run bench` (alone: `BENCH_ONLY=dos npm run bench`): one client
// sends the bodies of issue 10 in a loop while another reads /healthz and a lesson page; their p99
// beside the same figures without the attack.
import { spawn } from "node:child_process";
import os from "node:os";
import { performance } from "node:perf_hooks";

export interface DosBenchInput {
  base: string;
  learnerCookie: string;
  lessonPath: string;
  quizPath: string;
  seconds: number;
}

type Latency = { requests: number; p50: number; p99: number };
export type DosResult = Awaited<ReturnType<typeof benchDos>>;

/** One client, one request at a time, for `seconds`: the latency a single reader sees. */
async function reader(url: string, cookie: string, seconds: number): Promise<Latency> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const start = performance.now();
    const res = await fetch(url, { headers: { cookie, "accept-encoding": "identity" } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { requests: latencies.length, p50: pct(50), p99: pct(99) };
}

const measure = async (base: string, cookie: string, lessonPath: string, seconds: number) => ({
  healthz: await reader(`${base}/healthz`, "", seconds),
  lesson: await reader(`${base}${lessonPath}`, cookie, seconds),
});

/** Sends the three bodies in turn until SIGTERM, then prints what the server answered to each. */
const ATTACKER = `
const { base, quizPath, cookie, attemptId } = JSON.parse(process.argv[1]);
const form = { origin: base, "content-type": "application/x-www-form-urlencoded" };
const attacks = [
  { label: "quiz POST, q.q1=a × 20,000 (140 KB), signed-in learner", url: base + quizPath, headers: { ...form, cookie },
    body: "attemptId=" + attemptId + "&" + Array(20000).fill("q.q1=a").join("&") },
  { label: "anonymous /login POST, 10 MB", url: base + "/login", headers: form, body: "email=" + "a".repeat(10 * 1024 * 1024) + "&password=x" },
  { label: "anonymous /login POST, 40,000 distinct names (350 KB)", url: base + "/login", headers: form,
    body: Array.from({ length: 40000 }, (_, i) => "f" + i + "=1").join("&") },
].map((a) => ({ ...a, body: Buffer.from(a.body), seen: {} }));
let running = true;
process.on("SIGTERM", () => (running = false));
(async () => {
  while (running) {
    for (const a of attacks) {
      let answer;
      try {
        const res = await fetch(a.url, { method: "POST", redirect: "manual", headers: a.headers, body: a.body });
        await res.arrayBuffer();
        answer = String(res.status);
      } catch (error) {
        answer = error.cause?.code ?? "error";
      }
      a.seen[answer] = (a.seen[answer] ?? 0) + 1;
    }
  }
  process.stdout.write(JSON.stringify(attacks.map(({ label, seen }) => ({ label, seen }))));
})();
`;

export async function benchDos({ base, learnerCookie, lessonPath, quizPath, seconds }: DosBenchInput) {
  const quizPage = await (await fetch(`${base}${quizPath}`, { headers: { cookie: learnerCookie } })).text();
  const attemptId = /name="attemptId" value="([^"]+)"/.exec(quizPage)?.[1];
  if (!attemptId) throw new Error("the bench learner has no open quiz attempt");
  const quiet = await measure(base, learnerCookie, lessonPath, seconds);
  // The attacker is a process of its own, at the lowest priority: its 10 MB bodies must not slow
  // this process's reader, and on one machine its own CPU would otherwise be counted against the server.
  const attacker = spawn(process.execPath, ["-e", ATTACKER, JSON.stringify({ base, quizPath, cookie: learnerCookie, attemptId })], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  os.setPriority(attacker.pid!, 19);
  let report = "";
  attacker.stdout.on("data", (d) => (report += String(d)));
  const exited = new Promise((resolve) => attacker.once("exit", resolve));
  await new Promise((r) => setTimeout(r, 500));
  const attacked = await measure(base, learnerCookie, lessonPath, seconds);
  attacker.kill("SIGTERM");
  await exited;
  const answers = JSON.parse(report) as { label: string; seen: Record<string, number> }[];
  return { seconds, quiet, attacked, answers };
}

export function printDos(r: DosResult) {
  const fmt = (n: number) => n.toFixed(1);
  console.log(`\nDenial of service (issue 10): one client reads while another sends attack bodies in a loop, ${r.seconds}s each:`);
  console.log("reader's page".padEnd(30), "quiet p50".padStart(10), "p99".padStart(8), "attacked p50".padStart(13), "p99".padStart(8), "Δp99".padStart(8), "(target Δp99 ≤ 20 ms)");
  for (const key of ["healthz", "lesson"] as const) {
    const [q, a] = [r.quiet[key], r.attacked[key]];
    console.log(
      (key === "healthz" ? "GET /healthz" : "GET lesson section page").padEnd(30),
      fmt(q.p50).padStart(10),
      fmt(q.p99).padStart(8),
      fmt(a.p50).padStart(13),
      fmt(a.p99).padStart(8),
      fmt(a.p99 - q.p99).padStart(8),
      ` ${q.requests} / ${a.requests} requests`,
    );
  }
  for (const { label, seen } of r.answers) {
    console.log(`  attack: ${label}: ${Object.entries(seen).map(([answer, n]) => `${n} × ${answer}`).join(", ")}`);
  }
}
