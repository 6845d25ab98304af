// npm run content:build | content:check
import fs from "node:fs";
import path from "node:path";
import { buildContent } from "./build";
import { formatProblem } from "./problems";
import { formatQualityTable } from "./quality";

const command = process.argv[2];
if (command !== "build" && command !== "check") {
  console.error("Usage: tsx scripts/content/cli.ts build|check");
  process.exit(2);
}
const contentDir = path.resolve(process.env.CONTENT_DIR ?? "content");
const outDir = path.resolve(process.env.CONTENT_BUILD_DIR ?? ".content-build");
const result = await buildContent({ contentDir, outDir, write: command === "build" });

for (const problem of result.problems) console.error(formatProblem(problem));
if (command === "check" && result.quality) {
  // The quality gate's figures, with or without problems (thresholds: content/README.md).
  console.log(`\nItem banks (single-choice figures; thresholds in content/README.md):\n${formatQualityTable(result.quality)}\n`);
}
if (command === "build") {
  // What the instructor view shows about the latest attempt, good or bad.
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(
    path.join(outDir, "last-build.json"),
    JSON.stringify({ ok: result.ok, at: new Date().toISOString(), problems: result.problems.map(formatProblem) }),
  );
}
const errors = result.problems.filter((p) => p.severity === "error").length;
const warnings = result.problems.length - errors;
const ms = Math.round(result.durationMs);
if (!result.ok) {
  console.error(
    `\nContent ${command} failed: ${errors} error${errors === 1 ? "" : "s"}${warnings ? `, ${warnings} warning(s)` : ""}.` +
      (command === "build" ? " The last good build is still in place." : ""),
  );
  process.exit(1);
}
const counts = `${result.compiled.length} compiled, ${result.reused.length} unchanged`;
if (command === "check") {
  console.log(`Content is valid (${counts}; ${warnings} warning(s)) in ${ms} ms.`);
} else {
  console.log(
    `Content built: ${counts}${result.unchanged ? "; nothing to publish" : `; published ${path.relative(process.cwd(), result.releaseDir ?? "")}`}` +
      `${warnings ? `; ${warnings} warning(s)` : ""} in ${ms} ms.`,
  );
}
