import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { learnerStats } from "~/db/schema";
import { completionCsv } from "./exports/csv.server";
import { makeCohort, makeExerciseResult, makeUser, makeUserSync } from "./factories.server";
import { objectiveMastery } from "./mastery.server";
import { courseProgress, markSectionRead, recordVisit } from "./progress.server";
import { openAttempt, submitAttempt } from "./quiz.server";
import { cohortMastery, cohortPrintReport, cohortReport, cohortSummary, learnerRows, masteryCells, moduleCells, REPORT_PAGE_SIZE } from "./report.server";
import { rebuildRollups } from "./rollups.server";

// The fixture course: alpha 4 sections + 3 questions (q1 LO1 = a; q2 LO2 = a+b; q3 LO1+LO2 = true;
// pass mark 0.5), beta 2 sections + 1 question (LO3 = a), gamma 1 section. 7 sections + 2 quizzes
// = 9 units. Mastery threshold 0.75, reached with at least min(3, aligned questions) answers.
const ALPHA = ["introduction", "threats", "history", "practice"];
const BETA = ["mapping-your-country", "coordination"];
const MIN = 60_000;

function answer(userId: string, slug: string, answers: Record<string, string[]>) {
  const attempt = openAttempt({ userId, slug });
  return submitAttempt({ userId, slug, attemptId: attempt.id, answers: new Map(Object.entries(answers)) });
}
function read(userId: string, slug: string, sections: string[]) {
  for (const sectionId of sections) markSectionRead({ userId, slug, sectionId });
}

/**
 * Ana reads alpha, fails its quiz, then passes it: 5 of 9 units. Ben reads two sections of alpha
 * and passes its quiz with q2 wrong: 3 of 9. Cleo does nothing. Dan completes the course: 9 of 9.
 */
async function fixtureCohort() {
  const now = Date.now();
  const cohort = makeCohort();
  const other = makeCohort();
  const make = (name: string, cohortId = cohort.id) => makeUser({ name, role: "learner", cohortId, passwordHash: null });
  const [ana, ben, cleo, dan, outsider] = await Promise.all([make("Ana"), make("Ben"), make("Cleo"), make("Dan"), make("Zed", other.id)]);
  recordVisit({ userId: ana!.id, slug: "alpha", sectionId: "introduction", at: new Date(now - 60 * MIN) });
  recordVisit({ userId: ana!.id, slug: "alpha", sectionId: "threats", at: new Date(now - 55 * MIN) });
  read(ana!.id, "alpha", ALPHA);
  answer(ana!.id, "alpha", { q1: ["b"], q2: ["a"], q3: ["false"] });
  answer(ana!.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });

  recordVisit({ userId: ben!.id, slug: "alpha", sectionId: "introduction", at: new Date(now - 3 * MIN) });
  read(ben!.id, "alpha", ALPHA.slice(0, 2));
  answer(ben!.id, "alpha", { q1: ["a"], q2: ["a"], q3: ["true"] });

  recordVisit({ userId: dan!.id, slug: "alpha", sectionId: "introduction", at: new Date(now - 30 * MIN) });
  recordVisit({ userId: dan!.id, slug: "beta", sectionId: "mapping-your-country", at: new Date(now - 28 * MIN) });
  read(dan!.id, "alpha", ALPHA);
  read(dan!.id, "beta", BETA);
  read(dan!.id, "gamma", ["only-section"]);
  answer(dan!.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
  answer(dan!.id, "beta", { q1: ["a"] });

  read(outsider!.id, "gamma", ["only-section"]);
  return { now, cohort, ana: ana!, ben: ben!, cleo: cleo!, dan: dan!, outsider: outsider! };
}

describe("cohort report", () => {
  it("summarises the cohort with hand-computed figures", async () => {
    const f = await fixtureCohort();
    const summary = cohortSummary(f.cohort.id, f.now);
    expect(summary).toMatchObject({ enrolled: 4, active: 3, completed: 1, notStarted: 1 });
    // Progress 0, 3/9, 5/9, 9/9: the median is (3/9 + 5/9) / 2.
    expect(summary.medianProgress).toBeCloseTo(4 / 9, 10);
    // Time on task, each visit until the next event (the reads, stamped a few ms after \`now\`):
    // Ana 5 + 10 (capped) min, Ben 3, Cleo 0, Dan 2 + 10 (capped): median (3 + 12) / 2.
    expect(summary.medianTimeMs).toBeCloseTo(7.5 * MIN, -3);
  });

  it("lists learners with progress and status, sorted, filtered and paged", async () => {
    const f = await fixtureCohort();
    const set = { cohortId: f.cohort.id };
    const byProgress = learnerRows({ set, sort: "progress", dir: "desc", now: f.now });
    expect(byProgress.total).toBe(4);
    expect(byProgress.rows.map((r) => [r.name, r.progress, r.status])).toEqual([
      ["Dan", 1, "completed"],
      ["Ana", 5 / 9, "in-progress"],
      ["Ben", 3 / 9, "in-progress"],
      ["Cleo", 0, "not-started"],
    ]);
    expect(byProgress.rows[0]!.certificate).toBe("valid");
    expect(learnerRows({ set, filter: "completed" }).rows.map((r) => r.name)).toEqual(["Dan"]);
    expect(learnerRows({ set, filter: "not-started" }).rows.map((r) => r.name)).toEqual(["Cleo"]);
    expect(learnerRows({ set, filter: "inactive", now: f.now }).total).toBe(0);
    // Three weeks later Ana and Ben are still in progress but inactive.
    expect(learnerRows({ set, filter: "inactive", now: f.now + 21 * 86_400_000 }).rows.map((r) => r.name)).toEqual(["Ana", "Ben"]);
    const page2 = learnerRows({ set, sort: "name", page: 2, pageSize: 3 });
    expect(page2).toMatchObject({ total: 4, rows: [{ name: "Dan" }] });
    expect(learnerRows({ set, sort: "activity", dir: "desc" }).rows.at(-1)!.name).toBe("Cleo");
  });

  it("builds the completion matrix, a cell per learner and module", async () => {
    const f = await fixtureCohort();
    const cells = moduleCells({ cohortId: f.cohort.id });
    expect(cells).toHaveLength(4 * 3);
    const cell = (userId: string, slug: string) => cells.find((c) => c.userId === userId && c.slug === slug)!;
    expect(cell(f.ana.id, "alpha")).toMatchObject({ status: "completed", sectionsRead: 4, sectionsTotal: 4, quizPassed: true });
    expect(cell(f.ben.id, "alpha")).toMatchObject({ status: "in-progress", sectionsRead: 2, quizPassed: true, completedAt: null });
    expect(cell(f.ben.id, "beta")).toMatchObject({ status: "not-started", sectionsRead: 0, sectionsTotal: 2 });
    expect(cell(f.cleo.id, "gamma")).toMatchObject({ status: "not-started", hasQuiz: false });
    expect(cells.filter((c) => c.userId === f.dan.id).every((c) => c.status === "completed")).toBe(true);
    expect(cells.some((c) => c.userId === f.outsider.id)).toBe(false);
  });

  it("computes mastery per learner and per objective for the cohort", async () => {
    const f = await fixtureCohort();
    // Alpha's exercise criteria are aligned evidence (analysis LO1, levels 0–2; action LO2, 0–1), so
    // LO1 and LO2 need min(3, 2 questions + 1 criterion) = 3 pieces: the quiz's two and a result.
    makeExerciseResult({ userId: f.ana.id, slug: "alpha", instructor: { analysis: 1, action: 1 } });
    makeExerciseResult({ userId: f.ben.id, slug: "alpha", instructor: { analysis: 2, action: 0 } });
    makeExerciseResult({ userId: f.dan.id, slug: "alpha", instructor: { analysis: 2, action: 1 } });
    const cells = masteryCells({ cohortId: f.cohort.id });
    const of = (userId: string) => cells.filter((c) => c.userId === userId).map((c) => [c.objectiveId, c.correct, c.answered, c.state]);
    // Ana's latest answers are all right (her failed first attempt no longer counts); her analysis
    // level 1 of 2 is worth 0.5: LO1 2.5/3 ≥ 0.75.
    expect(of(f.ana.id)).toEqual([["LO1", 2.5, 3, "mastered"], ["LO2", 3, 3, "mastered"], ["LO3", 0, 0, "not-assessed"]]);
    // Ben: q1 and q3 right and analysis full (LO1 3/3), q2 wrong and action 0 (LO2 1/3 < 0.75).
    expect(of(f.ben.id)).toEqual([["LO1", 3, 3, "mastered"], ["LO2", 1, 3, "not-yet"], ["LO3", 0, 0, "not-assessed"]]);
    expect(of(f.cleo.id).map((c) => c[3])).toEqual(["not-assessed", "not-assessed", "not-assessed"]);
    expect(of(f.dan.id)).toEqual([["LO1", 3, 3, "mastered"], ["LO2", 3, 3, "mastered"], ["LO3", 1, 1, "mastered"]]);

    const cohort = cohortMastery(f.cohort.id);
    expect(cohort.map((o) => [o.objectiveId, o.learners, o.mastered, o.notYet, o.notAssessed])).toEqual([
      ["LO1", 4, 3, 0, 1],
      ["LO2", 4, 2, 1, 1],
      ["LO3", 4, 1, 0, 3],
    ]);
    expect(cohort[1]!.meanValue).toBeCloseTo((1 + 1 / 3 + 1) / 3, 10);
    expect(cohort[2]!.meanValue).toBe(1);
  });

  it("agrees with what each learner sees on their own pages", async () => {
    const f = await fixtureCohort();
    const rows = learnerRows({ set: { cohortId: f.cohort.id }, now: f.now }).rows;
    const cells = masteryCells({ cohortId: f.cohort.id });
    for (const learner of [f.ana, f.ben, f.cleo, f.dan]) {
      const own = courseProgress({ userId: learner.id });
      const row = rows.find((r) => r.userId === learner.id)!;
      expect(own.fraction).toBe(row.progress);
      expect(own.modules.map((m) => m.status)).toEqual(
        moduleCells({ cohortId: f.cohort.id }).filter((c) => c.userId === learner.id).map((c) => c.status),
      );
      expect(objectiveMastery({ userId: learner.id }).map((o) => [o.id, o.correct, o.answered, o.state])).toEqual(
        cells.filter((c) => c.userId === learner.id).map((c) => [c.objectiveId, c.correct, c.answered, c.state]),
      );
    }
  });

  it("prints every learner of the cohort with every module, where the page shows one page of them", async () => {
    const f = await fixtureCohort();
    for (let i = 0; i < REPORT_PAGE_SIZE; i++) makeUserSync({ name: `Extra ${i}`, role: "learner", cohortId: f.cohort.id, passwordHash: null });
    const enrolled = 4 + REPORT_PAGE_SIZE;
    expect(cohortReport(f.cohort.id, { filter: "all", sort: "name", dir: "asc", page: 1 }, f.now).rows).toHaveLength(REPORT_PAGE_SIZE);

    const printed = cohortPrintReport(f.cohort.id, f.now);
    expect(printed.rows).toHaveLength(enrolled);
    expect(printed.rows.map((r) => r.name)).not.toContain("Zed");
    expect(printed.modules.map((m) => m.slug)).toEqual(["alpha", "beta", "gamma"]);
    for (const row of printed.rows) expect(row.modules.map((c) => c.slug)).toEqual(["alpha", "beta", "gamma"]);
    const dan = printed.rows.find((r) => r.userId === f.dan.id)!;
    expect(dan.modules.map((c) => c.status)).toEqual(["completed", "completed", "completed"]);
    // The same figures as the page: summary and objectives over the whole cohort.
    expect(printed.summary).toEqual(cohortSummary(f.cohort.id, f.now));
    expect(printed.summary.enrolled).toBe(enrolled);
    expect(printed.cohortMastery).toEqual(cohortMastery(f.cohort.id));
  });

  it("rebuilds the roll-ups from the raw records to the same figures", async () => {
    const f = await fixtureCohort();
    const before = { rows: learnerRows({ set: { cohortId: f.cohort.id }, now: f.now }), mastery: cohortMastery(f.cohort.id) };
    getDb().delete(learnerStats).run();
    rebuildRollups(getDb(), "all");
    expect(learnerRows({ set: { cohortId: f.cohort.id }, now: f.now })).toEqual(before.rows);
    expect(cohortMastery(f.cohort.id)).toEqual(before.mastery);
  });

  it("names the modules as the cohort's edition does, in the report, its print and completion.csv", async () => {
    const uruguay = makeCohort({ edition: "uruguay" });
    await makeUser({ name: "Lucía", role: "learner", cohortId: uruguay.id, passwordHash: null });
    const base = makeCohort();
    const titles = (cohortId: number) => cohortReport(cohortId, { filter: "all", sort: "name", dir: "asc", page: 1 }).modules.map((m) => m.title);
    expect(titles(uruguay.id)[1]).toBe("Beta in Uruguay-fixture");
    expect(titles(base.id)[1]).not.toBe("Beta in Uruguay-fixture");
    expect(cohortPrintReport(uruguay.id).modules.map((m) => m.title)).toEqual(titles(uruguay.id));
    const csv = parse(await new Response(completionCsv({ cohortId: uruguay.id })).text(), { columns: true, bom: true }) as Record<string, string>[];
    expect(csv.find((r) => r.module === "beta")?.module_title).toBe("Beta in Uruguay-fixture");
  });
});

