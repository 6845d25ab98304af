import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";

// NOTE: a stop-gap until the content pipeline compiles course.yml into build artifacts:
// only the editions are read here, once per process.
const courseSchema = z.object({
  title: z.string(),
  editions: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
});

export type Edition = { id: string; name: string };

let cached: { title: string; editions: Edition[] } | undefined;

function course() {
  cached ??= courseSchema.parse(parse(fs.readFileSync(path.resolve("content/course.yml"), "utf8")));
  return cached;
}

export function listEditions(): Edition[] {
  return course().editions;
}

export function editionName(id: string | null): string | null {
  if (!id) return null;
  return listEditions().find((e) => e.id === id)?.name ?? id;
}
