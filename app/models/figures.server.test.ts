import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { MASTERY_MIN_ANSWERS, type MasteryState } from "~/lib/mastery";
import { makeCohort, makeUserSync } from "./factories.server";
import { learnerEditionOf, masteryState, masteryStateSql } from "./figures.server";
import { learnerEdition } from "./progress.server";
import { ensureCourseStructure } from "./structure.server";

/** masteryStateSql() evaluated by SQLite, on the same inputs as masteryState(). */
function sqlState(correct: number, answered: number, aligned: number, threshold: number): MasteryState | undefined {
  return getDb().get<{ state: MasteryState }>(
    sql`select ${masteryStateSql({ correct: sql`${correct}`, answered: sql`${answered}`, aligned: sql`${aligned}`, threshold: sql`${threshold}` })} as state`,
  )?.state;
}

describe("the mastery rule", () => {
  // [correct, answered, aligned, threshold, expected]
  const cases: [number, number, number, number, MasteryState][] = [
    [0, 0, 5, 0.75, "not-assessed"],
    [0, 0, 0, 0.75, "not-assessed"],
    [0, 0, 1, 0, "not-assessed"], // a threshold of 0 still needs an answer
    [3, 3, 5, 0.75, "mastered"],
    [2, 2, 5, 0.75, "not-yet"], // all correct, but fewer than MASTERY_MIN_ANSWERS
    [2, 2, 2, 0.75, "mastered"], // only two aligned: two answers suffice
    [1, 1, 1, 0.75, "mastered"],
    [1, 1, 2, 0.75, "not-yet"],
    [3, 4, 10, 0.75, "mastered"], // exactly at the threshold
    [2, 3, 10, 0.75, "not-yet"],
    [7, 10, 12, 0.7, "mastered"], // 7 / 10 and 0.7 are the same double in both languages
    [2, 3, 3, 2 / 3, "mastered"],
    [1, 3, 3, 0.34, "not-yet"],
    [0, 5, 5, 0, "mastered"],
    [4, 4, 3, 1, "mastered"], // answered beyond the aligned questions (a question since withdrawn)
    [2, 2, 0, 0.75, "mastered"], // none aligned any more: min(3, 0) answers
  ];

  it.each(cases)("%i of %i answered (%i aligned) at %d: %s, in TypeScript and SQL alike", (correct, answered, aligned, threshold, expected) => {
    expect(masteryState({ correct, answered, aligned, threshold })).toBe(expected);
    expect(sqlState(correct, answered, aligned, threshold)).toBe(expected);
  });

  it("agrees on every small case around the minimum number of answers", () => {
    for (const threshold of [0, 0.5, 0.75, 1]) {
      for (let aligned = 0; aligned <= MASTERY_MIN_ANSWERS + 2; aligned++) {
        for (let answered = 0; answered <= MASTERY_MIN_ANSWERS + 2; answered++) {
          for (let correct = 0; correct <= answered; correct++) {
            expect(sqlState(correct, answered, aligned, threshold), `${correct}/${answered}, ${aligned} aligned, ${threshold}`).toBe(
              masteryState({ correct, answered, aligned, threshold }),
            );
          }
        }
      }
    }
  });
});

describe("the learner's edition", () => {
  const sqlEdition = (userId: string) => getDb().get<{ edition: string }>(sql`select ${learnerEditionOf(sql`${userId}`)} as edition`)?.edition;

  it("is the cohort's published edition, else the standard one, in TypeScript and SQL alike", () => {
    ensureCourseStructure();
    const published = makeUserSync({ role: "learner", cohortId: makeCohort({ edition: "uruguay" }).id, passwordHash: null });
    const standard = makeUserSync({ role: "learner", cohortId: makeCohort().id, passwordHash: null });
    const withdrawn = makeUserSync({ role: "learner", cohortId: makeCohort({ edition: "withdrawn" }).id, passwordHash: null });
    const noCohort = makeUserSync({ role: "learner", passwordHash: null });
    expect([published, standard, withdrawn, noCohort].map((u) => [learnerEdition(u.id), sqlEdition(u.id)])).toEqual([
      ["uruguay", "uruguay"],
      [null, ""],
      [null, ""],
      [null, ""],
    ]);
  });
});
