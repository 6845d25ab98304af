// Shared by the content-build tests: copies of the fixture course to build and break, in one temp folder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

export const FIXTURE = path.resolve("tests/fixtures/content/basic");

/** A temp folder removed after the file's tests, and a fresh copy of the fixture course in it per call. */
export function fixtureCopies(prefix: string) {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));
  let n = 0;
  const copyFixture = () => {
    const dir = path.join(temp, `course-${++n}`);
    fs.cpSync(FIXTURE, dir, { recursive: true });
    return dir;
  };
  return { temp, copyFixture };
}

export const readJson = <T>(dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as T;
