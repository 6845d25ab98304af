import { parse } from "csv-parse/sync";
import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { exerciseSubmissions, quizAnswers, quizAttempts, users, type User } from "~/db/schema";
import { MASTERY_STATE_LABELS } from "~/lib/mastery";
import { completePeerReview, requestPeerReview, saveDraft, saveInstructorReview, selfAssess, submitExercise } from "~/models/exercise.server";
import { makeCohort, makeExerciseResult, makeUser, words } from "~/models/factories.server";
import { ensureCourseStructure } from "~/models/structure.server";
import { ATTEMPTS_CSV_COLUMNS, attemptsCsv, completionCsv, exercisesCsv, exercisesCsvColumns, masteryCsv } from "./csv.server";
import { ALPHA, answer, cohortAnswerCount, learnerIn, parseCsv, readAllSections, readStream } from "./test-support.server";

beforeAll(() => ensureCourseStructure());

describe("attempts CSV", () => {
  it("has one row per stored answer of the cohort's learners, with the attempts' scores", async () => {
    const cohort = makeCohort();
    const ana = await learnerIn(cohort.id, "Ana Example");
    const bob = await learnerIn(cohort.id, "Bob Example");
    const other = await learnerIn(makeCohort().id, "Carl Elsewhere");

    const anaFail = await answer(ana.id, "alpha", { q1: ["b"], q2: ["a"], q3: ["false"] });
    const anaPass = await answer(ana.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    const anaBeta = await answer(ana.id, "beta", { q1: ["a"] });
    const bobAlpha = await answer(bob.id, "alpha", { q1: ["a"], q2: ["a"], q3: ["true"] });
    await answer(other.id, "alpha", { q1: ["a"], q2: ["a"], q3: ["true"] });
    // An answer to a question since removed from the quiz still exports, with no prompt.
    getDb()
      .insert(quizAnswers)
      .values({ attemptId: bobAlpha.id, userId: bob.id, moduleSlug: "alpha", questionId: "q-removed", choiceIds: ["x"], correct: false, objectives: ["LO1"], quizVersion: bobAlpha.quizVersion, answeredAt: bobAlpha.submittedAt! })
      .run();

    const { bytes, text } = await readStream(attemptsCsv({ cohortId: cohort.id }));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.slice(1, text.indexOf("\r\n"))).toBe(ATTEMPTS_CSV_COLUMNS.join(","));
    expect(ATTEMPTS_CSV_COLUMNS.join(",")).toBe(
      "learner_id,learner_name,learner_email,learner_country,module,attempt_id,attempt_number,quiz_version,started_at,submitted_at,attempt_score,attempt_passed,question_id,question,answer_choice_ids,answer_labels,correct,objectives,answered_at",
    );

    const rows = parseCsv(text);
    expect(rows).toHaveLength(cohortAnswerCount(cohort.id));
    expect(rows).toHaveLength(11);
    expect(text).not.toContain(other.id);
    expect(text).not.toContain(other.email);

    // Learner (by name), module (course order), attempt (submission order), question (quiz order).
    expect(rows.map((r) => [r.learner_name, r.module, r.attempt_number, r.question_id])).toEqual([
      ["Ana Example", "alpha", "1", "q1"],
      ["Ana Example", "alpha", "1", "q2"],
      ["Ana Example", "alpha", "1", "q3"],
      ["Ana Example", "alpha", "2", "q1"],
      ["Ana Example", "alpha", "2", "q2"],
      ["Ana Example", "alpha", "2", "q3"],
      ["Ana Example", "beta", "1", "q1"],
      ["Bob Example", "alpha", "1", "q1"],
      ["Bob Example", "alpha", "1", "q2"],
      ["Bob Example", "alpha", "1", "q3"],
      ["Bob Example", "alpha", "1", "q-removed"],
    ]);

    // Scores and correct counts agree with what was stored, as numbers.
    const stored = getDb().select().from(quizAttempts).where(inArray(quizAttempts.id, [anaFail.id, anaPass.id, anaBeta.id, bobAlpha.id])).all();
    for (const attempt of stored) {
      const mine = rows.filter((r) => r.attempt_id === attempt.id);
      expect(mine.length).toBeGreaterThan(0);
      for (const r of mine) {
        expect(Number(r.attempt_score)).toBe(Math.round(attempt.score! * 10_000) / 10_000);
        expect(r.attempt_passed).toBe(attempt.passed ? "1" : "0");
        expect(r.submitted_at).toBe(attempt.submittedAt!.toISOString());
        expect(r.started_at).toBe(attempt.startedAt.toISOString());
        expect(r.quiz_version).toBe(attempt.quizVersion);
        expect(r.learner_email).toBe(attempt.userId === ana.id ? ana.email : bob.email);
        expect(r.learner_country).toBe(attempt.userId === ana.id ? ana.country : bob.country);
      }
      expect(mine.reduce((n, r) => n + Number(r.correct), 0)).toBe(attempt.correctCount);
    }
    expect(stored.find((a) => a.id === bobAlpha.id)!.score).toBeCloseTo(2 / 3);
    // Numbers are written unquoted, never neutralised, and rounded to 4 decimals.
    expect(text).toContain(",0.6667,1,q1,");

    const pass = rows.filter((r) => r.attempt_id === anaPass.id);
    expect(pass[0]!.question).toBe("What does ransomware do?");
    expect(pass[1]).toMatchObject({ answer_choice_ids: "a; b", answer_labels: "States; Criminals", correct: "1", objectives: "LO2" });
    expect(pass[2]).toMatchObject({ answer_choice_ids: "true", answer_labels: "True", objectives: "LO1; LO2", question: "WannaCry spread like a worm." });
    expect(rows.find((r) => r.attempt_id === anaFail.id && r.question_id === "q1")).toMatchObject({ correct: "0", answer_labels: "Speeds up computers" });
    expect(rows.at(-1)).toMatchObject({ question_id: "q-removed", question: "", answer_choice_ids: "x", answer_labels: "", correct: "0" });
    expect(rows.every((r) => r.answered_at.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/))).toBe(true);
  });

  it("neutralises text that a spreadsheet would evaluate, and leaves numbers numeric", async () => {
    const cohort = makeCohort();
    const names = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "Ana-María"];
    const learners: User[] = [];
    for (const name of names) {
      const user = await learnerIn(cohort.id, "placeholder");
      // Set directly: the factory trims names, and these must keep their first character.
      getDb().update(users).set({ name }).where(eq(users.id, user.id)).run();
      learners.push(user);
    }
    const at = new Date(Date.UTC(2026, 10, 2, 10, 0));
    getDb().transaction((tx) => {
      for (const user of learners) {
        const id = `attempt-${user.id}`;
        tx.insert(quizAttempts)
          .values({ id, userId: user.id, moduleSlug: "alpha", quizVersion: "v", questionOrder: ["q1", "q2"], startedAt: at, submittedAt: at, correctCount: 1, questionCount: 2, score: 0.5, passed: true })
          .run();
        tx.insert(quizAnswers)
          .values({ attemptId: id, userId: user.id, moduleSlug: "alpha", questionId: "q1", choiceIds: ["a"], correct: true, objectives: ["LO1"], quizVersion: "v", answeredAt: at })
          .run();
      }
    });

    const { text } = await readStream(attemptsCsv({ cohortId: cohort.id }));
    const rows = parseCsv(text);
    expect(rows).toHaveLength(names.length);
    const byId = new Map(rows.map((r) => [r.learner_id, r]));
    learners.forEach((user, i) => {
      const name = names[i]!;
      const expected = name === "Ana-María" ? name : `'${name}`;
      expect(byId.get(user.id)!.learner_name).toBe(expected);
      expect(byId.get(user.id)!.attempt_score).toBe("0.5");
    });
    // In the raw text: the score is a bare number, and no cell starts with a formula character.
    expect(text.match(/,0\.5,1,q1,/g)).toHaveLength(names.length);
    const cells = parse(text, { bom: true, from_line: 2 }) as string[][];
    expect(cells.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });
});

describe("completion and mastery CSVs", () => {
  it("name each learner with their country, round shares to 4 decimals and say the report's mastery states", async () => {
    const cohort = makeCohort();
    const ana = await makeUser({ role: "learner", cohortId: cohort.id, name: "Ana Csv", country: "Côte d'Ivoire", passwordHash: null });
    await makeUser({ role: "learner", cohortId: cohort.id, name: "Ben Csv", country: null, passwordHash: null });
    // Ana completes alpha (5 of the course's 9 units); her latest answers give LO1 2/2 and LO2 1/2.
    readAllSections(ana.id, "alpha", ALPHA);
    await answer(ana.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    await answer(ana.id, "alpha", { q1: ["a"], q2: ["c"], q3: ["true"] });
    // Alpha's exercise criteria are aligned evidence (min(3, aligned) = 3 pieces): analysis 1 of 2
    // (0.5) for LO1, action 0 of 1 for LO2. LO1 2.5/3, LO2 1/3.
    makeExerciseResult({ userId: ana.id, slug: "alpha", instructor: { analysis: 1, action: 0 } });

    const completionText = (await readStream(completionCsv({ cohortId: cohort.id }))).text;
    expect(completionText.slice(1, completionText.indexOf("\r\n"))).toBe(
      "learner_id,learner_name,learner_email,learner_country,course_status,course_progress,time_on_task_minutes,last_activity_at,certificate,module,module_title,module_status,sections_read,sections_total,quiz_passed,started_at,completed_at",
    );
    const completion: Record<string, string>[] = parse(completionText, { bom: true, columns: true });
    expect(completion.map((r) => [r.learner_name, r.learner_country, r.module, r.module_status, r.course_progress])).toEqual([
      ["Ana Csv", "Côte d'Ivoire", "alpha", "completed", "0.5556"],
      ["Ana Csv", "Côte d'Ivoire", "beta", "not-started", "0.5556"],
      ["Ana Csv", "Côte d'Ivoire", "gamma", "not-started", "0.5556"],
      ["Ben Csv", "", "alpha", "not-started", "0"],
      ["Ben Csv", "", "beta", "not-started", "0"],
      ["Ben Csv", "", "gamma", "not-started", "0"],
    ]);

    const masteryText = (await readStream(masteryCsv({ cohortId: cohort.id }))).text;
    expect(masteryText.slice(1, masteryText.indexOf("\r\n"))).toBe(
      "learner_id,learner_name,learner_email,learner_country,objective,objective_title,correct,answered,score,state,practical",
    );
    const mastery: Record<string, string>[] = parse(masteryText, { bom: true, columns: true });
    expect(mastery.map((r) => [r.learner_name, r.learner_country, r.objective, r.correct, r.answered, r.score, r.state, r.practical])).toEqual([
      ["Ana Csv", "Côte d'Ivoire", "LO1", "2.5", "3", "0.8333", "mastered", "1"],
      ["Ana Csv", "Côte d'Ivoire", "LO2", "1", "3", "0.3333", "not-yet", "1"],
      ["Ana Csv", "Côte d'Ivoire", "LO3", "0", "0", "", "not-assessed", "0"],
      ["Ben Csv", "", "LO1", "0", "0", "", "not-assessed", "0"],
      ["Ben Csv", "", "LO2", "0", "0", "", "not-assessed", "0"],
      ["Ben Csv", "", "LO3", "0", "0", "", "not-assessed", "0"],
    ]);
    // The states are the report's own words ("not yet"), hyphenated; none is "in-progress".
    expect(new Set(mastery.map((r) => r.state))).toEqual(new Set(Object.keys(MASTERY_STATE_LABELS)));
    for (const [state, label] of Object.entries(MASTERY_STATE_LABELS)) expect(state).toBe(label.replaceAll(" ", "-"));
  });
});

describe("exercises CSV", () => {
  it("has one row per learner and criterion of each submitted exercise, with self, each peer, instructor and result levels", async () => {
    const cohort = makeCohort();
    const texts = { note: words(60), lines: words(25) };
    // Ana's name would be a formula in a spreadsheet; Dee only has a draft; Zed is in another cohort.
    const [ana, ben, cy, dee] = await Promise.all(["=Ana Ex", "Ben Ex", "Cy Ex", "Dee Ex"].map((name) => learnerIn(cohort.id, name)));
    const zed = await learnerIn(makeCohort().id, "Zed Ex");
    const t0 = Date.UTC(2026, 10, 2, 10, 0);
    [ana!, ben!, cy!].forEach((u, i) => submitExercise({ userId: u.id, slug: "alpha", texts, now: new Date(t0 + i * 1000) }));
    submitExercise({ userId: zed.id, slug: "alpha", texts });
    saveDraft({ userId: dee!.id, slug: "alpha", texts: { note: "a start" } });
    selfAssess({ userId: ana!.id, slug: "alpha", levels: { analysis: 2, action: 1 } });
    // Round one: Ben → Ana, Cy → Ben, Ana → Cy; round two: Ben → Cy, Cy → Ana.
    for (const u of [ben!, cy!, ana!, ben!, cy!]) {
      const given = requestPeerReview({ userId: u.id, slug: "alpha" });
      if (!("reviewId" in given)) throw new Error(given.none);
      completePeerReview({ userId: u.id, reviewId: given.reviewId, levels: u === cy ? { analysis: 2, action: 0 } : { analysis: 1, action: 1 } });
    }
    const staff = await makeUser({ role: "instructor", passwordHash: null });
    const bens = getDb().select().from(exerciseSubmissions).where(eq(exerciseSubmissions.userId, ben!.id)).get()!;
    saveInstructorReview({ staffId: staff.id, submissionId: bens.id, levels: { analysis: 0, action: 1 } });

    const { text } = await readStream(exercisesCsv({ cohortId: cohort.id }));
    // The fixture's exercises ask for at most 2 peer reviews, and no submission has more: 2 peer columns.
    expect(text.slice(1, text.indexOf("\r\n"))).toBe(
      "learner_id,learner_name,learner_email,learner_country,module,exercise_edition,exercise_version,submitted_at,criterion,criterion_title,objectives,self_level,peer_1_level,peer_2_level,instructor_level,result,max_score,result_source",
    );
    expect(exercisesCsvColumns(2)).toEqual(text.slice(1, text.indexOf("\r\n")).split(","));
    const rows: Record<string, string>[] = parse(text, { bom: true, columns: true });
    expect(rows.map((r) => [r.learner_name, r.criterion, r.objectives, r.self_level, r.peer_1_level, r.peer_2_level, r.instructor_level, r.result, r.max_score, r.result_source])).toEqual([
      // Sorted by name: "=Ana Ex" neutralised, still first.
      ["'=Ana Ex", "analysis", "LO1", "2", "1", "2", "", "1.5", "2", "peers"],
      ["'=Ana Ex", "action", "LO2", "1", "1", "0", "", "0.5", "1", "peers"],
      ["Ben Ex", "analysis", "LO1", "", "2", "", "0", "0", "2", "instructor"],
      ["Ben Ex", "action", "LO2", "", "0", "", "1", "1", "1", "instructor"],
      ["Cy Ex", "analysis", "LO1", "", "1", "1", "", "1", "2", "peers"],
      ["Cy Ex", "action", "LO2", "", "1", "1", "", "1", "1", "peers"],
    ]);
    expect(rows[0]).toMatchObject({ module: "alpha", exercise_edition: "", submitted_at: new Date(t0).toISOString(), criterion_title: "Identifies the threat and its consequences" });
    expect(text).not.toContain(zed.id);
    expect(text).not.toContain(dee!.id);
    // Numbers stay bare in the raw text: the peers' median 1.5 is a number, not text.
    expect(text).toContain(",2,1,2,,1.5,2,peers\r\n");
    const cells = parse(text, { bom: true, from_line: 2 }) as string[][];
    expect(cells.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });
});
