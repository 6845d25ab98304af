// Every test file gets its own freshly migrated SQLite file: no mocks of our own database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cda-test-"));
process.env.APP_MODE = "demo";
process.env.DATABASE_PATH = path.join(dir, "test.db");
delete process.env.PUBLIC_ORIGIN;

beforeAll(async () => {
  const { getDb } = await import("~/db/client.server");
  const { runMigrations } = await import("~/db/migrate.server");
  runMigrations(getDb());
});

afterAll(async () => {
  const { closeDb } = await import("~/db/client.server");
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});
