// `npm run bench:content`: how long the content build takes on the real course (printed, not asserted).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { buildContent } from "./content/build";

const RUNS = 3;
const source = path.resolve(process.env.CONTENT_DIR ?? "content");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cda-bench-content-"));
const contentDir = path.join(work, "content");
fs.cpSync(source, contentDir, { recursive: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(outDir: string) {
  const result = await buildContent({ contentDir, outDir });
  if (!result.ok) throw new Error("the course does not build; run npm run content:check");
  return result;
}

const full: number[] = [];
let modules = 0;
for (let i = 0; i < RUNS; i++) {
  const result = await timed(path.join(work, `full-${i}`));
  full.push(result.durationMs);
  modules = result.compiled.length;
}
const outDir = path.join(work, "full-0");
const noChange: number[] = [];
for (let i = 0; i < RUNS; i++) noChange.push((await timed(outDir)).durationMs);

const slugs = fs.readdirSync(path.join(contentDir, "modules")).sort();
const changedSlug = slugs[Math.floor(slugs.length / 2)]!;
const lesson = path.join(contentDir, "modules", changedSlug, "lesson.mdx");
const oneChanged: number[] = [];
for (let i = 0; i < RUNS; i++) {
  fs.appendFileSync(lesson, `\nA sentence added for the benchmark (${i}).\n`);
  const result = await timed(outDir);
  if (result.compiled.length !== 1) throw new Error(`expected one module compiled, got ${result.compiled.join(", ")}`);
  oneChanged.push(result.durationMs);
}

// The whole command as an author runs it, with nothing changed: the compiler's process alone
// (what `npm run content:build` starts), and through npm.
const commandTimes = (command: string, args: string[]) =>
  Array.from({ length: RUNS }, () => {
    const t = performance.now();
    execFileSync(command, args, { env: { ...process.env, CONTENT_DIR: contentDir, CONTENT_BUILD_DIR: outDir }, stdio: "ignore" });
    return performance.now() - t;
  });
const cli = commandTimes(path.resolve("node_modules/.bin/tsx"), ["scripts/content/cli.ts", "build"]);
const npm = commandTimes("npm", ["run", "-s", "content:build"]);
fs.rmSync(work, { recursive: true, force: true });

const fmt = (n: number) => `${n.toFixed(0)} ms`;
const fullMs = median(full.slice(1).length ? full.slice(1) : full);
const share = fullMs / modules;
console.log(`Content build benchmark: ${modules} modules (${os.cpus().length} cores, Node ${process.version}, median of ${RUNS})\n`);
console.log(`full build, cold process (first run):  ${fmt(full[0]!)}`);
console.log(`full build, warm:                      ${fmt(fullMs)}  = ${fmt(share)} per module`);
console.log(`no-change build (in process):          ${fmt(median(noChange))}   target < 1000 ms`);
console.log(`no-change build (compiler process):    ${fmt(median(cli))}`);
console.log(`no-change build (npm run content:build): ${fmt(median(npm))}`);
console.log(`one module changed (${changedSlug}): ${fmt(median(oneChanged))}`);
console.log(`  ratio to that module's share of a full build: ${(median(oneChanged) / share).toFixed(2)}×   target < 1.5×`);
