import { and, eq, inArray, isNotNull, sql, type Column } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import validate from "xapi-validation";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { certificates, exerciseResults, exerciseSubmissions, moduleCompletions, quizAnswers, quizAttempts, sectionReads } from "~/db/schema";
import { revokeCertificate } from "~/models/certificate.server";
import { completePeerReview, requestPeerReview, saveInstructorReview, submitExercise } from "~/models/exercise.server";
import { makeCohort, makeUser, words } from "~/models/factories.server";
import { markSectionRead } from "~/models/progress.server";
import { ensureCourseStructure } from "~/models/structure.server";
import { ALPHA, answer, BETA, learnerIn, ORIGIN, pause, readAllSections, readStream } from "./test-support.server";
import { xapiStatements, type XapiStatement } from "./xapi.server";

beforeAll(() => ensureCourseStructure());

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

  it("states each submitted exercise and each criterion result, validly, and a changed result as a new statement", async () => {
    const cohort = makeCohort();
    const texts = { note: words(60), lines: words(25) };
    const [ana, ben, cy] = await Promise.all(["Ana Practice", "Ben Practice", "Cy Practice"].map((name) => learnerIn(cohort.id, name)));
    const t0 = Date.UTC(2026, 10, 2, 10, 0);
    [ana!, ben!, cy!].forEach((u, i) => submitExercise({ userId: u.id, slug: "alpha", texts, now: new Date(t0 + i * 1000) }));
    // Round one: Ben → Ana, Cy → Ben, Ana → Cy; round two: Ben → Cy, Cy → Ana. Ana's and Cy's have results.
    for (const u of [ben!, cy!, ana!, ben!, cy!]) {
      const given = requestPeerReview({ userId: u.id, slug: "alpha" });
      if (!("reviewId" in given)) throw new Error(given.none);
      completePeerReview({ userId: u.id, reviewId: given.reviewId, levels: u === cy ? { analysis: 2, action: 0 } : { analysis: 1, action: 1 } });
    }
    const { text, statements } = await exportStatements(cohort.id);
    for (const statement of statements) expect(validate(statement)).toEqual([]);
    for (const u of [ana!, ben!, cy!]) {
      expect(text).not.toContain(u.email);
      expect(text).not.toContain(u.name);
    }

    const submitted = statements.filter((s) => s.verb.id === "http://activitystrea.ms/schema/1.0/submit");
    const scored = statements.filter((s) => s.verb.id === "http://adlnet.gov/expapi/verbs/scored");
    const ids = [ana!.id, ben!.id, cy!.id];
    expect(submitted).toHaveLength(getDb().select().from(exerciseSubmissions).where(inArray(exerciseSubmissions.userId, ids)).all().length);
    expect(scored).toHaveLength(getDb().select().from(exerciseResults).where(inArray(exerciseResults.userId, ids)).all().length);
    expect(scored).toHaveLength(4);

    const anas = submitted.find((s) => s.actor.account.name === ana!.id)!;
    expect(anas).toMatchObject({
      verb: { display: { en: "submitted" } },
      object: { id: `${ORIGIN}/modules/alpha/exercise`, definition: { type: "http://adlnet.gov/expapi/activities/performance", name: { en: "Brief your minister on a ransomware attack" } } },
      result: { completion: true },
      timestamp: new Date(t0).toISOString(),
    });
    const analysis = scored.find((s) => s.actor.account.name === ana!.id && s.object.id.endsWith("/criteria/analysis"))!;
    expect(analysis.object).toMatchObject({
      id: `${ORIGIN}/modules/alpha/exercise/criteria/analysis`,
      definition: { type: "http://adlnet.gov/expapi/activities/cmi.interaction", interactionType: "likert", name: { en: "Identifies the threat and its consequences" } },
    });
    // The peers' median 1.5 of 2.
    expect(analysis.result).toEqual({ score: { scaled: 0.75, raw: 1.5, min: 0, max: 2 } });
    const context = analysis.context as { contextActivities: Record<string, { id: string }[]>; statement: { id: string }; extensions: Record<string, string> };
    expect(context.statement.id).toBe(anas.id);
    expect(context.contextActivities.parent!.map((a) => a.id)).toEqual([`${ORIGIN}/modules/alpha/exercise`]);
    expect(context.contextActivities.grouping!.map((a) => a.id)).toContain(`${ORIGIN}/objectives/LO1`);
    expect(Object.values(context.extensions)).toEqual(["peers"]);

    // An instructor's level replaces the peers' median: a new statement; every earlier one is unchanged.
    const staff = await makeUser({ role: "instructor", passwordHash: null });
    const anaSubmission = getDb().select().from(exerciseSubmissions).where(eq(exerciseSubmissions.userId, ana!.id)).get()!;
    saveInstructorReview({ staffId: staff.id, submissionId: anaSubmission.id, levels: { analysis: 2, action: 1 }, now: new Date(t0 + 86_400_000) });
    const later = await exportStatements(cohort.id);
    const before = new Map(text.trimEnd().split("\n").map((line) => [(JSON.parse(line) as XapiStatement).id, line]));
    const after = new Map(later.text.trimEnd().split("\n").map((line) => [(JSON.parse(line) as XapiStatement).id, line]));
    for (const [id, line] of after) if (before.has(id)) expect(line, id).toBe(before.get(id));
    const newer = later.statements.find((s) => s.actor.account.name === ana!.id && s.object.id.endsWith("/criteria/analysis"))!;
    expect(newer.id).not.toBe(analysis.id);
    expect(newer).toMatchObject({ result: { score: { scaled: 1, raw: 2, min: 0, max: 2 } }, timestamp: new Date(t0 + 86_400_000).toISOString() });
    for (const statement of later.statements) expect(validate(statement)).toEqual([]);
  });
});
