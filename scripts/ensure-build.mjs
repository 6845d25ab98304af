// Builds the app when build/ is missing or older than any source it is made from,
// so that `npm start` works on a fresh clone and after a pull, and is instant otherwise.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const OUTPUT = "build/index.js";
const SOURCES = ["app", "content", "public", "remix.config.js", "package.json", "package-lock.json"];
const IGNORED = new Set(["node_modules", "build", ".cache"]);

function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of fs.readdirSync(p)) {
    if (!IGNORED.has(entry)) max = Math.max(max, newest(path.join(p, entry)));
  }
  return max;
}

const built = fs.existsSync(OUTPUT) ? fs.statSync(OUTPUT).mtimeMs : 0;
const source = Math.max(...SOURCES.map(newest));
if (built === 0 || source > built) {
  console.log(built === 0 ? "No build yet: building…" : "Sources changed since the last build: rebuilding…");
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // remix writes build/index.js before it finishes the rest; stamp it as the newest file.
  const now = new Date();
  fs.utimesSync(OUTPUT, now, now);
}
