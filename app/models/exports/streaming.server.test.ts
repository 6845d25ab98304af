// The cohort exports stream in batches without holding the database connection (see
// app/lib/csv.server.ts): attempts CSV and xAPI statements alike.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { quizAnswers, quizAttempts, type User } from "~/db/schema";
import { audit } from "~/models/audit.server";
import { makeCohort } from "~/models/factories.server";
import { ensureCourseStructure } from "~/models/structure.server";
import { attemptsCsv } from "./csv.server";
import { answer, cohortAnswerCount, learnerIn, ORIGIN, parseCsv, readStream } from "./test-support.server";
import { xapiStatements } from "./xapi.server";

beforeAll(() => ensureCourseStructure());

describe("streaming", () => {
  it("streams thousands of answers in batches, letting the event loop and other queries run between them", async () => {
    const cohort = makeCohort();
    const learners: User[] = [];
    for (let i = 0; i < 10; i++) learners.push(await learnerIn(cohort.id, `Streamer ${String(i).padStart(2, "0")}`));
    const t0 = Date.UTC(2026, 10, 1);
    getDb().transaction((tx) => {
      learners.forEach((user, u) => {
        const attempts = Array.from({ length: 100 }, (_, i) => ({
          id: `s-${u}-${i}`,
          userId: user.id,
          moduleSlug: "alpha",
          quizVersion: "v",
          questionOrder: ["q1", "q2", "q3"],
          startedAt: new Date(t0 + i * 60_000),
          submittedAt: new Date(t0 + i * 60_000 + 30_000),
          correctCount: i % 4,
          questionCount: 3,
          score: (i % 4) / 3,
          passed: i % 4 >= 2,
        }));
        for (let i = 0; i < attempts.length; i += 50) tx.insert(quizAttempts).values(attempts.slice(i, i + 50)).run();
        const answers = attempts.flatMap((a) =>
          ["q1", "q2", "q3"].map((q, j) => ({
            attemptId: a.id,
            userId: user.id,
            moduleSlug: "alpha",
            questionId: q,
            choiceIds: ["a"],
            correct: j < a.correctCount!,
            objectives: ["LO1"],
            quizVersion: "v",
            answeredAt: a.submittedAt,
          })),
        );
        for (let i = 0; i < answers.length; i += 50) tx.insert(quizAnswers).values(answers.slice(i, i + 50)).run();
      });
    });
    expect(cohortAnswerCount(cohort.id)).toBe(3000);

    // A callback that takes a turn of the event loop whenever it can, and writes to the database
    // (better-sqlite3 refuses writes with "connection is busy" while a statement is left open).
    async function readWhileOthersRun(stream: ReadableStream<Uint8Array>) {
      let turns = 0;
      let finished = false;
      const turnsAtChunk: number[] = [];
      const other = () => {
        if (finished) return;
        turns++;
        audit({ actor: { id: "someone", name: "Someone" }, cohortId: null, action: "view-learner" });
        setImmediate(other);
      };
      setImmediate(other);
      const read = await readStream(stream, () => turnsAtChunk.push(turns));
      finished = true;
      return { ...read, turnsAtChunk };
    }

    const csv = await readWhileOthersRun(attemptsCsv({ cohortId: cohort.id, batchSize: 2000 }));
    const rows = parseCsv(csv.text);
    expect(rows).toHaveLength(3000);
    // The header, then batches of 2000 and 1000 rows.
    expect(csv.chunks).toBe(3);
    for (let i = 1; i < csv.turnsAtChunk.length; i++) expect(csv.turnsAtChunk[i]!).toBeGreaterThan(csv.turnsAtChunk[i - 1]!);
    expect(rows.filter((r) => r.learner_id === learners[3]!.id).map((r) => Number(r.attempt_number))).toEqual(
      Array.from({ length: 100 }, (_, i) => [i + 1, i + 1, i + 1]).flat(),
    );
    expect(rows.reduce((n, r) => n + Number(r.correct), 0)).toBe(10 * 25 * (0 + 1 + 2 + 3));

    const xapi = await readWhileOthersRun(xapiStatements({ cohortId: cohort.id, origin: ORIGIN, batchSize: 2000 }));
    const lines = xapi.text.trimEnd().split("\n");
    expect(lines).toHaveLength(3000 + 1000);
    // Answers in batches of 2000 and 1000, then the 1000 attempts.
    expect(xapi.chunks).toBe(3);
    for (let i = 1; i < xapi.turnsAtChunk.length; i++) expect(xapi.turnsAtChunk[i]!).toBeGreaterThan(xapi.turnsAtChunk[i - 1]!);
  });

  it("leaves the connection free when the reader cancels mid-export", async () => {
    const cohort = makeCohort();
    const user = await learnerIn(cohort.id, "Canceller");
    await answer(user.id, "alpha", { q1: ["a"], q2: ["a"], q3: ["true"] });
    const reader = attemptsCsv({ cohortId: cohort.id, batchSize: 1 }).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    // The connection is free for writes again.
    expect(() => audit({ actor: { id: "someone", name: "Someone" }, cohortId: null, action: "view-learner" })).not.toThrow();
  });
});
