import path from "node:path";
import { defineConfig } from "@playwright/test";

// scripts/e2e.mjs chooses the port and database and checks for Chromium before Playwright starts.
const port = Number(process.env.E2E_PORT ?? 4173);
const databasePath = process.env.E2E_DATABASE_PATH ?? path.resolve("test-results/e2e/app.db");
process.env.DATABASE_PATH = databasePath;

export const chromiumArgs = [
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-gpu",
];

export default defineConfig({
  testDir: "tests/e2e",
  // Not test-results/ itself: Playwright empties its outputDir, and vitest reports there too.
  outputDir: "test-results/playwright-artifacts",
  fullyParallel: false,
  // One server and one database file are shared; the suites create their own data.
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
      args: chromiumArgs,
    },
    trace: "retain-on-failure",
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "node server.mjs",
    url: `http://localhost:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      DATABASE_PATH: databasePath,
      APP_MODE: "demo",
      HOST: "127.0.0.1",
      CONTENT_BUILD_DIR: process.env.CONTENT_BUILD_DIR ?? ".content-build",
      // Not the default, so the tests can tell the configured issuer from the site's own name.
      ISSUER_NAME: "Academia Diplomática de Prueba",
    },
    stdout: "ignore",
    stderr: "pipe",
  },
});
