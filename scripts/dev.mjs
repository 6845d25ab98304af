// Development: rebuild the app on change and restart the server; rebuild the course when a
// file under content/ changes (the server serves the new release on the next request).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";

if (spawnSync("node", ["scripts/ensure-build.mjs"], { stdio: "inherit" }).status !== 0) process.exit(1);

const contentDir = process.env.CONTENT_DIR ?? "content";
const children = [
  spawn("npx", ["remix", "watch"], { stdio: "inherit" }),
  spawn(process.execPath, ["--watch-path=build", "server.mjs"], {
    stdio: "inherit",
    env: { NODE_ENV: "development", ...process.env },
  }),
];

let timer;
let running = false;
let again = false;
function rebuildContent() {
  if (running) {
    again = true;
    return;
  }
  running = true;
  const child = spawn("npx", ["tsx", "scripts/content/cli.ts", "build"], { stdio: "inherit" });
  children.push(child);
  child.on("exit", () => {
    running = false;
    if (again) {
      again = false;
      rebuildContent();
    }
  });
}
fs.watch(contentDir, { recursive: true }, () => {
  clearTimeout(timer);
  timer = setTimeout(rebuildContent, 150);
});

const stop = () => children.forEach((c) => c.kill("SIGTERM"));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
