// Sums the vitest and Playwright JSON reports into the one line CI prints last.
import fs from "node:fs";

function read(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

let passed = 0;
let failed = 0;
const vitest = read("test-results/vitest.json");
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += (vitest.numFailedTests ?? 0) + (vitest.numTodoTests ?? 0) + (vitest.numPendingTests ?? 0);
  if (vitest.success === false && (vitest.numFailedTests ?? 0) === 0) failed += 1; // a file that failed to load
} else {
  failed += 1; // the runner never reported
}
const playwright = read("test-results/playwright.json");
if (playwright?.stats) {
  passed += playwright.stats.expected ?? 0;
  failed += (playwright.stats.unexpected ?? 0) + (playwright.stats.flaky ?? 0) + (playwright.stats.skipped ?? 0);
  if ((playwright.errors ?? []).length) failed += playwright.errors.length;
} else {
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
