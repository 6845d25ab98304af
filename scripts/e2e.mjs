// Runs the Playwright suite against the built app on a free port with its own fresh database.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { findChromium } from "./find-chromium.mjs";

const chromium = findChromium();
if (!chromium) {
  console.error(
    "\nNo Chromium found for the browser tests.\n" +
      "Install Debian's package (sudo apt-get install -y chromium) or set CHROME_PATH to a Chromium binary.\n" +
      "(Playwright's own browser download does not work on these machines.)\n",
  );
  process.exit(1);
}

const build = spawnSync("node", ["scripts/ensure-build.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const port = await new Promise((resolve) => {
  const server = net.createServer();
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

const dir = path.resolve("test-results/e2e");
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });

// The browser tests run against the small fixture course, so that they do not change with the real one.
const contentBuild = path.join(dir, "content");
const content = spawnSync("npx", ["tsx", "scripts/content/cli.ts", "build"], {
  stdio: "inherit",
  env: { ...process.env, CONTENT_DIR: "tests/fixtures/content/basic", CONTENT_BUILD_DIR: contentBuild },
});
if (content.status !== 0) process.exit(content.status ?? 1);

const result = spawnSync("npx", ["playwright", "test", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    ...process.env,
    CHROME_PATH: chromium,
    E2E_PORT: String(port),
    E2E_DATABASE_PATH: path.join(dir, "app.db"),
    CONTENT_BUILD_DIR: contentBuild,
  },
});
process.exit(result.status ?? 1);
