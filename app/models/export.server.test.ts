import { parse } from "csv-parse/sync";
import { and, eq, inArray, isNotNull, sql, type Column } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import validate from "xapi-validation";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { certificates, cohortMemberships, moduleCompletions, quizAnswers, quizAttempts, sectionReads, users, type User } from "~/db/schema";
import { neutralise } from "~/lib/csv.server";
import { MASTERY_STATE_LABELS } from "~/lib/mastery";
import { audit } from "./audit.server";
import { revokeCertificate } from "./certificate.server";
import { ATTEMPTS_CSV_COLUMNS, attemptsCsv, completionCsv, learnerExport, masteryCsv, xapiStatements, type XapiStatement } from "./export.server";
import { makeCohort, makeUser } from "./factories.server";
import { markSectionRead } from "./progress.server";
import { openAttempt, submitAttempt } from "./quiz.server";
import { ensureCourseStructure } from "./structure.server";

// Fixture course: alpha (sections introduction, threats, history, exercise; q1 single LO1 = a,
// q2 multiple LO2 = a+b, q3 true-false LO1+LO2 = true; pass 0.5), beta (2 sections, q1 LO3 = a),
// gamma (1 section, no quiz).
const ALPHA = ["introduction", "threats", "history", "exercise"];
const BETA = ["mapping-your-country", "coordination"];
const ORIGIN = "https://academy.example.org";

beforeAll(() => ensureCourseStructure());

const pause = () => new Promise((r) => setTimeout(r, 3));

async function learnerIn(cohortId: number, name: string): Promise<User> {
  return makeUser({ role: "learner", cohortId, name, passwordHash: null });
}

async function answer(userId: string, slug: string, answers: Record<string, string[]>) {
  const attempt = openAttempt({ userId, slug });
  const result = submitAttempt({ userId, slug, attemptId: attempt.id, answers: new Map(Object.entries(answers)) });
  // Distinct timestamps, so the order of attempts is not left to chance.
  await pause();
  return result.attempt;
}

function readAllSections(userId: string, slug: string, sections: string[]) {
  for (const sectionId of sections) markSectionRead({ userId, slug, sectionId });
}

interface Read {
  bytes: Uint8Array;
  text: string;
  chunks: number;
}

async function readStream(stream: ReadableStream<Uint8Array>, onChunk?: () => void): Promise<Read> {
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
const parseCsv = (text: string): CsvRecord[] => parse(text, { bom: true, columns: true });

function cohortAnswerCount(cohortId: number): number {
  return getDb()
    .select({ n: sql<number>`count(*)` })
    .from(quizAnswers)
    .innerJoin(cohortMemberships, and(eq(cohortMemberships.userId, quizAnswers.userId), eq(cohortMemberships.cohortId, cohortId)))
    .get()!.n;
}

describe("neutralise", () => {
  it("makes formula-like text inert and keeps other values as they are", () => {
    for (const text of ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-3"]) expect(neutralise(text)).toBe(`'${text}`);
    for (const text of ["Ana-María", "plain", "", "1=1", " =x"]) expect(neutralise(text)).toBe(text);
    expect(neutralise(-3)).toBe(-3);
    expect(neutralise(0.5)).toBe(0.5);
    expect(neutralise(14 / 15)).toBe(0.9333);
    expect(neutralise(5 / 9)).toBe(0.5556);
    expect(neutralise(1234567)).toBe(1234567);
    expect(neutralise(Number.NaN)).toBe("");
    expect(neutralise(true)).toBe(1);
    expect(neutralise(false)).toBe(0);
    expect(neutralise(null)).toBe("");
    expect(neutralise(undefined)).toBe("");
    expect(neutralise(new Date(Date.UTC(2026, 10, 2, 10, 0)))).toBe("2026-11-02T10:00:00.000Z");
    expect(neutralise(["a", "b"])).toBe("a; b");
    expect(neutralise(["=x", "y"])).toBe("'=x; y");
  });
});

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
      "learner_id,learner_name,learner_email,learner_country,objective,objective_title,correct,answered,score,state",
    );
    const mastery: Record<string, string>[] = parse(masteryText, { bom: true, columns: true });
    expect(mastery.map((r) => [r.learner_name, r.learner_country, r.objective, r.correct, r.answered, r.score, r.state])).toEqual([
      ["Ana Csv", "Côte d'Ivoire", "LO1", "2", "2", "1", "mastered"],
      ["Ana Csv", "Côte d'Ivoire", "LO2", "1", "2", "0.5", "not-yet"],
      ["Ana Csv", "Côte d'Ivoire", "LO3", "0", "0", "", "not-assessed"],
      ["Ben Csv", "", "LO1", "0", "0", "", "not-assessed"],
      ["Ben Csv", "", "LO2", "0", "0", "", "not-assessed"],
      ["Ben Csv", "", "LO3", "0", "0", "", "not-assessed"],
    ]);
    // The states are the report's own words ("not yet"), hyphenated; none is "in-progress".
    expect(new Set(mastery.map((r) => r.state))).toEqual(new Set(Object.keys(MASTERY_STATE_LABELS)));
    for (const [state, label] of Object.entries(MASTERY_STATE_LABELS)) expect(state).toBe(label.replaceAll(" ", "-"));
  });
});

describe("xAPI statements", () => {
  async function scenario() {
    const cohort = makeCohort();
    const ana = await learnerIn(cohort.id, "Ana Xapi");
    const bob = await learnerIn(cohort.id, "Bob Xapi");
    const other = await learnerIn(makeCohort().id, "Carl Xapi");
    readAllSections(ana.id, "alpha", ALPHA);
    const anaFail = await answer(ana.id, "alpha", { q1: ["b"], q2: ["a"], q3: ["false"] });
    const anaPass = await answer(ana.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    readAllSections(ana.id, "beta", BETA);
    await answer(ana.id, "beta", { q1: ["a"] });
    readAllSections(ana.id, "gamma", ["only-section"]);
    markSectionRead({ userId: bob.id, slug: "alpha", sectionId: "threats" });
    await answer(bob.id, "alpha", { q1: ["b"], q2: ["c"], q3: ["false"] });
    readAllSections(other.id, "alpha", ALPHA);
    await answer(other.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    return { cohort, ana, bob, other, anaFail, anaPass };
  }

  async function exportStatements(cohortId: number) {
    const { text } = await readStream(xapiStatements({ cohortId, origin: ORIGIN }));
    expect(text.endsWith("\n")).toBe(true);
    return { text, statements: text.trimEnd().split("\n").map((line) => JSON.parse(line) as XapiStatement) };
  }

  it("gives valid statements, one per stored record, about an anonymous account", async () => {
    const { cohort, ana, bob, other } = await scenario();
    const { text, statements } = await exportStatements(cohort.id);

    for (const statement of statements) expect(validate(statement)).toEqual([]);
    // The validator is live: it does reject a malformed statement.
    expect(validate({ ...statements[0], actor: { objectType: "Agent", mbox: "not-an-address" } })).not.toEqual([]);

    const db = getDb();
    const ids = [ana.id, bob.id];
    const count = (table: SQLiteTable, column: Column) =>
      db.select({ n: sql<number>`count(*)` }).from(table).where(inArray(column, ids)).get()!.n;
    const submitted = db
      .select({ n: sql<number>`count(*)` })
      .from(quizAttempts)
      .where(and(inArray(quizAttempts.userId, ids), isNotNull(quizAttempts.submittedAt)))
      .get()!.n;
    const verbs = (name: string) => statements.filter((s) => s.verb.id === `http://adlnet.gov/expapi/verbs/${name}`).length;
    expect(verbs("experienced")).toBe(count(sectionReads, sectionReads.userId));
    expect(verbs("experienced")).toBe(8);
    expect(verbs("answered")).toBe(count(quizAnswers, quizAnswers.userId));
    expect(verbs("answered")).toBe(10);
    expect(verbs("passed") + verbs("failed")).toBe(submitted);
    expect([verbs("passed"), verbs("failed")]).toEqual([2, 2]);
    expect(verbs("completed")).toBe(count(moduleCompletions, moduleCompletions.userId) + count(certificates, certificates.userId));
    expect(verbs("completed")).toBe(4);
    expect(statements).toHaveLength(8 + 10 + 4 + 4);

    // No personal data: no email, no mbox, no name; only the account id under the origin.
    for (const user of [ana, bob, other]) {
      expect(text).not.toContain(user.email);
      expect(text).not.toContain(user.name);
    }
    expect(text).not.toContain("mailto:");
    expect(text).not.toContain(other.id);
    for (const s of statements) {
      expect(s.actor).toEqual({ objectType: "Agent", account: { homePage: ORIGIN, name: s.actor.account.name } });
      expect(ids).toContain(s.actor.account.name);
      // xAPI 1.0.3 Data 2.4.10: clients SHOULD NOT set the version (the LRS records 1.0.0).
      expect(s).not.toHaveProperty("version");
      expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(statements.map((s) => s.id)).size).toBe(statements.length);
  });

  it("describes the activities, objectives, responses and scores", async () => {
    const { cohort, ana, anaFail, anaPass } = await scenario();
    const { statements } = await exportStatements(cohort.id);
    const mine = statements.filter((s) => s.actor.account.name === ana.id);

    const read = mine.find((s) => s.object.id === `${ORIGIN}/modules/alpha/threats`)!;
    expect(read.verb.id).toBe("http://adlnet.gov/expapi/verbs/experienced");
    expect(read.object.definition.name).toEqual({ en: "What is a threat" });
    const readRow = getDb().select().from(sectionReads).where(and(eq(sectionReads.userId, ana.id), eq(sectionReads.sectionId, "threats"))).get()!;
    expect(read.timestamp).toBe(readRow.readAt.toISOString());

    const attemptStatement = (id: string) => mine.find((s) => /passed|failed$/.test(s.verb.id) && s.timestamp === getDb().select().from(quizAttempts).where(eq(quizAttempts.id, id)).get()!.submittedAt!.toISOString())!;
    const failed = attemptStatement(anaFail.id);
    expect(failed.verb.id).toBe("http://adlnet.gov/expapi/verbs/failed");
    expect(failed.object).toMatchObject({ id: `${ORIGIN}/modules/alpha/quiz`, definition: { type: "http://adlnet.gov/expapi/activities/assessment" } });
    expect(failed.result).toMatchObject({ score: { scaled: 0, raw: 0, min: 0, max: 3 }, success: false, completion: true });
    const passed = attemptStatement(anaPass.id);
    expect(passed.verb.id).toBe("http://adlnet.gov/expapi/verbs/passed");
    expect(passed.result).toMatchObject({ score: { scaled: anaPass.score, raw: anaPass.correctCount, min: 0, max: anaPass.questionCount }, success: true });

    const answered = mine.filter((s) => s.verb.id === "http://adlnet.gov/expapi/verbs/answered" && s.timestamp === anaPass.submittedAt!.toISOString());
    expect(answered).toHaveLength(3);
    const [q1, q2, q3] = ["q1", "q2", "q3"].map((q) => answered.find((s) => s.object.id === `${ORIGIN}/modules/alpha/quiz/${q}`)!);
    // Every statement naming an activity carries its full definition, wherever it names it.
    const definitions = new Map<string, string>();
    for (const s of statements) {
      const context = (s.context as { contextActivities?: Record<string, XapiStatement["object"][]> } | undefined)?.contextActivities ?? {};
      for (const activity of [s.object, ...Object.values(context).flat()]) {
        expect(activity.definition.name).toBeDefined();
        const json = JSON.stringify(activity.definition);
        expect(definitions.get(activity.id) ?? json).toBe(json);
        definitions.set(activity.id, json);
      }
    }
    expect(q2!.object.definition).toMatchObject({
      type: "http://adlnet.gov/expapi/activities/cmi.interaction",
      interactionType: "choice",
      correctResponsesPattern: ["a[,]b"],
      choices: [
        { id: "a", description: { en: "States" } },
        { id: "b", description: { en: "Criminals" } },
        { id: "c", description: { en: "Weather" } },
      ],
    });
    expect(q2!.result).toEqual({ success: true, response: "a[,]b" });
    expect(q3!.object.definition).toMatchObject({ interactionType: "true-false", correctResponsesPattern: ["true"], name: { en: "WannaCry spread like a worm." } });
    expect(q3!.object.definition.choices).toBeUndefined();
    expect(q3!.result).toEqual({ success: true, response: "true" });
    const context = q3!.context as { contextActivities: Record<string, { id: string; definition: { type: string } }[]>; statement: { id: string } };
    expect(context.contextActivities.parent!.map((a) => a.id)).toEqual([`${ORIGIN}/modules/alpha/quiz`]);
    const objectives = context.contextActivities.grouping!.filter((a) => a.definition.type === "http://adlnet.gov/expapi/activities/objective");
    expect(objectives.map((a) => a.id)).toEqual([`${ORIGIN}/objectives/LO1`, `${ORIGIN}/objectives/LO2`]);
    expect(context.contextActivities.grouping!.map((a) => a.id)).toContain(`${ORIGIN}/course`);
    // Each answer points at the statement of the attempt it was graded in.
    expect(context.statement.id).toBe(passed.id);
    const q1Objectives = (q1!.context as typeof context).contextActivities.grouping!.filter((a) => a.id.includes("/objectives/"));
    expect(q1Objectives.map((a) => a.id)).toEqual([`${ORIGIN}/objectives/LO1`]);

    const completed = mine.filter((s) => s.verb.id === "http://adlnet.gov/expapi/verbs/completed");
    expect(completed.map((s) => s.object.id).sort()).toEqual([`${ORIGIN}/course`, `${ORIGIN}/modules/alpha`, `${ORIGIN}/modules/beta`, `${ORIGIN}/modules/gamma`]);
    const certificate = getDb().select().from(certificates).where(eq(certificates.userId, ana.id)).get()!;
    expect(completed.find((s) => s.object.id === `${ORIGIN}/course`)!.timestamp).toBe(certificate.completedAt.toISOString());

    // Kinds come in order: reads, answers, attempts, completions.
    const order = statements.map((s) => s.verb.id.split("/").pop()!.replace(/passed|failed/, "attempt"));
    const firsts = ["experienced", "answered", "attempt", "completed"].map((v) => order.indexOf(v));
    const lasts = ["experienced", "answered", "attempt", "completed"].map((v) => order.lastIndexOf(v));
    for (let i = 1; i < 4; i++) expect(firsts[i]!).toBeGreaterThan(lasts[i - 1]!);
  });

  it("gives every statement the same JSON in a later export, after a learner who sorts first and more records", async () => {
    const { cohort, bob } = await scenario();
    const byId = (text: string) => new Map(text.trimEnd().split("\n").map((line) => [(JSON.parse(line) as XapiStatement).id, line]));
    const before = byId((await exportStatements(cohort.id)).text);

    // A new learner who sorts first names every alpha activity before Ana and Bob do; Bob goes on.
    const aaron = await learnerIn(cohort.id, "Aaron Xapi");
    readAllSections(aaron.id, "alpha", ALPHA);
    await answer(aaron.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    readAllSections(bob.id, "alpha", ALPHA);
    await answer(bob.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    await pause();
    const { text, statements } = await exportStatements(cohort.id);
    expect(statements[0]!.actor.account.name).toBe(aaron.id);
    const after = byId(text);

    expect(after.size).toBeGreaterThan(before.size + 10);
    for (const [id, line] of before) expect(after.get(id), id).toBe(line);
  });

  it("gives the same statement ids on every export, and leaves out revoked certificates", async () => {
    const { cohort, ana } = await scenario();
    const first = await exportStatements(cohort.id);
    const second = await exportStatements(cohort.id);
    expect(second.text).toBe(first.text);
    expect(revokeCertificate({ userId: ana.id })).toBe(true);
    const third = await exportStatements(cohort.id);
    expect(third.statements).toHaveLength(first.statements.length - 1);
    expect(third.statements.some((s) => s.object.id === `${ORIGIN}/course`)).toBe(false);
    expect(new Set(third.statements.map((s) => s.id))).toEqual(new Set(first.statements.filter((s) => s.object.id !== `${ORIGIN}/course`).map((s) => s.id)));
    // Another origin is another set of activities and accounts, so other ids.
    const { text } = await readStream(xapiStatements({ cohortId: cohort.id, origin: "https://other.example.org/" }));
    const otherIds = new Set(text.trimEnd().split("\n").map((line) => (JSON.parse(line) as XapiStatement).id));
    expect(third.statements.some((s) => otherIds.has(s.id))).toBe(false);
    expect(text).toContain('"homePage":"https://other.example.org"');
  });
});

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

describe("learner export", () => {
  it("contains the learner's records, their attempts with answers, and no password hash", async () => {
    const cohort = makeCohort();
    const user = await makeUser({ role: "learner", cohortId: cohort.id, name: "Lea Export", passwordHash: "$argon2id$v=19$MARKER-PASSWORD-HASH" });
    const other = await learnerIn(cohort.id, "Someone Else");
    markSectionRead({ userId: user.id, slug: "alpha", sectionId: "threats" });
    const attempt = await answer(user.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["false"] });
    await answer(other.id, "alpha", { q1: ["a"], q2: ["a", "b"], q3: ["true"] });
    const actor = { id: "coordinator-id", name: "Coordinator Name" };
    audit({ actor, cohortId: cohort.id, action: "view-learner", subject: { id: user.id, name: user.name } });
    audit({ actor, cohortId: cohort.id, action: "view-learner", subject: { id: other.id, name: other.name } });

    const data = learnerExport({ userId: user.id })!;
    const json = JSON.stringify(data);
    expect(json).not.toContain("MARKER-PASSWORD-HASH");
    expect(json).not.toMatch(/password_?hash/i);
    expect(json).not.toContain(other.id);
    expect(JSON.parse(json)).toEqual(data);

    expect(data.account).toMatchObject({ id: user.id, email: user.email, name: "Lea Export", role: "learner", hasPassword: true });
    expect(data.memberships).toEqual([expect.objectContaining({ cohortId: cohort.id, role: "learner" })]);
    expect(data.sectionReads).toEqual([expect.objectContaining({ moduleSlug: "alpha", sectionId: "threats" })]);
    expect(data.attempts).toHaveLength(1);
    expect(data.attempts[0]).toMatchObject({ id: attempt.id, score: attempt.score, correctCount: 2, passed: true, submittedAt: attempt.submittedAt!.toISOString() });
    expect(data.attempts[0]!.answers.map((a) => [a.questionId, a.choiceIds, a.correct])).toEqual(
      expect.arrayContaining([
        ["q1", ["a"], true],
        ["q2", ["a", "b"], true],
        ["q3", ["false"], false],
      ]),
    );
    expect(data.attempts[0]!.answers).toHaveLength(3);
    expect(data.auditEntries).toEqual([expect.objectContaining({ action: "view-learner", actorName: "Coordinator Name", subjectName: user.name })]);
    expect(data.certificate).toBeNull();
    expect(learnerExport({ userId: "nobody" })).toBeUndefined();
  });
});
