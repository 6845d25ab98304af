// Builds the fixture course once for the whole vitest run; the app's content loader reads it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildContent } from "../../scripts/content/build";
import { formatProblem } from "../../scripts/content/problems";

export default async function setup() {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-content-"));
  const result = await buildContent({ contentDir: path.resolve("tests/fixtures/content/basic"), outDir });
  if (!result.ok) throw new Error(`fixture course does not build:\n${result.problems.map(formatProblem).join("\n")}`);
  process.env.CONTENT_BUILD_DIR = outDir;
  return () => fs.rmSync(outDir, { recursive: true, force: true });
}
