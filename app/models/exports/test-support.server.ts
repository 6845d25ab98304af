// Shared by the export tests: the fixture course's sections, learners who answer quizzes, and
// reading a stream to the end.
import { parse } from "csv-parse/sync";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { cohortMemberships, quizAnswers, type User } from "~/db/schema";
import { makeUser } from "~/models/factories.server";
import { markSectionRead } from "~/models/progress.server";
import { openAttempt, submitAttempt } from "~/models/quiz.server";
import type { ATTEMPTS_CSV_COLUMNS } from "./csv.server";

// Fixture course: alpha (sections introduction, threats, history, exercise; q1 single LO1 = a,
// q2 multiple LO2 = a+b, q3 true-false LO1+LO2 = true; pass 0.5), beta (2 sections, q1 LO3 = a),
// gamma (1 section, no quiz).
export const ALPHA = ["introduction", "threats", "history", "practice"];
export const BETA = ["mapping-your-country", "coordination"];
export const ORIGIN = "https://academy.example.org";

export const pause = () => new Promise((r) => setTimeout(r, 3));

export async function learnerIn(cohortId: number, name: string): Promise<User> {
  return makeUser({ role: "learner", cohortId, name, passwordHash: null });
}

export async function answer(userId: string, slug: string, answers: Record<string, string[]>) {
  const attempt = openAttempt({ userId, slug });
  const result = submitAttempt({ userId, slug, attemptId: attempt.id, answers: new Map(Object.entries(answers)) });
  // Distinct timestamps, so the order of attempts is not left to chance.
  await pause();
  return result.attempt;
}

export function readAllSections(userId: string, slug: string, sections: string[]) {
  for (const sectionId of sections) markSectionRead({ userId, slug, sectionId });
}

interface Read {
  bytes: Uint8Array;
  text: string;
  chunks: number;
}

export async function readStream(stream: ReadableStream<Uint8Array>, onChunk?: () => void): Promise<Read> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    onChunk?.();
  }
  const bytes = Buffer.concat(parts);
  // ignoreBOM keeps the BOM in the text, so that its presence can be checked.
  return { bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes), chunks: parts.length };
}

type CsvRecord = Record<(typeof ATTEMPTS_CSV_COLUMNS)[number], string>;
export const parseCsv = (text: string): CsvRecord[] => parse(text, { bom: true, columns: true });

export function cohortAnswerCount(cohortId: number): number {
  return getDb()
    .select({ n: sql<number>`count(*)` })
    .from(quizAnswers)
    .innerJoin(cohortMemberships, and(eq(cohortMemberships.userId, quizAnswers.userId), eq(cohortMemberships.cohortId, cohortId)))
    .get()!.n;
}
