// Development: rebuild on change and restart the server on each new build.
import { spawn, spawnSync } from "node:child_process";

if (spawnSync("node", ["scripts/ensure-build.mjs"], { stdio: "inherit" }).status !== 0) process.exit(1);

const children = [
  spawn("npx", ["remix", "watch"], { stdio: "inherit" }),
  spawn(process.execPath, ["--watch-path=build", "server.mjs"], {
    stdio: "inherit",
    env: { NODE_ENV: "development", ...process.env },
  }),
];
const stop = () => children.forEach((c) => c.kill("SIGTERM"));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
