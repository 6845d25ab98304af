// `npm test`: every check, in order; all of them run, and the exit code says whether all passed.
import { spawnSync } from "node:child_process";

const steps = [
  ["typecheck", ["run", "typecheck"]],
  ["lint", ["run", "lint"]],
  ["unit and server tests (vitest)", ["run", "test:unit"]],
  ["browser tests (Playwright)", ["run", "test:e2e"]],
];

const failed = [];
for (const [name, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync("npm", args, { stdio: "inherit" });
  if (result.status !== 0) failed.push(name);
}
console.log(failed.length ? `\nFAILED: ${failed.join(", ")}` : "\nAll checks passed.");
process.exit(failed.length ? 1 : 0);
