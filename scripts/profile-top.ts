// `npx tsx scripts/profile-top.ts <file.cpuprofile> [n]`: the functions with the most self time in a
// V8 CPU profile (from BENCH_CPU_PROF), as a table to quote in notes.
import fs from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const [file, count = "15"] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-top.ts <file.cpuprofile> [n]");
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[] };
const hits = new Map<number, number>();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules\/|build\/|app\/)/, "$1")}:${lineNumber + 1}` : "";
  const key = `${functionName || "(anonymous)"} ${where}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + (hits.get(node.id) ?? 0));
}
const total = profile.samples.length;
const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(count));
console.log(`${total} samples`);
for (const [name, n] of top) console.log(`${((100 * n) / total).toFixed(1).padStart(5)} %  ${name}`);
