import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { auditLog, certificates, courseQuestionObjectives, courseSections, courseStructure, invitations, quizAnswers, sectionReads, users } from "~/db/schema";
import { audit, deletedLearnerName, listAudit } from "./audit.server";
import { getCoordinatedCohort } from "./cohort.server";
import {
  addCohortCoordinator,
  createMemberPasswordLink,
  deleteLearner,
  grantLearnerAttempt,
  inviteMembers,
  recordCohortExport,
  recordLearnerExport,
  revokeCohortInvitation,
  revokeMemberCertificate,
  setMemberActive,
  viewLearner,
  type Scope,
} from "./coordinator-actions.server";
import { NotFound } from "./errors.server";
import { makeCohort, makeUser } from "./factories.server";
import { createInvitations } from "./invitation.server";
import { markSectionRead } from "./progress.server";
import { allowedAttempts, attemptHistory, attemptsLeft, grantAttempt, openAttempt, submitAttempt } from "./quiz.server";
import { ensureCourseStructure } from "./structure.server";

function answer(userId: string, slug: string, answers: Record<string, string[]>) {
  const attempt = openAttempt({ userId, slug });
  return submitAttempt({ userId, slug, attemptId: attempt.id, answers: new Map(Object.entries(answers)) });
}

describe("course structure in the database", () => {
  it("mirrors the compiled course: sections per edition, questions and their objectives", () => {
    ensureCourseStructure();
    const db = getDb();
    const sections = db.select().from(courseSections).all();
    // Standard: alpha 4 + beta 2 + gamma 1; the Uruguay edition reads its own beta.
    expect(sections.filter((s) => s.edition === "").length).toBe(7);
    expect(sections.filter((s) => s.edition === "uruguay" && s.moduleSlug === "beta").map((s) => s.sectionId)).toEqual([
      "uruguay-fixtures-agencies",
      "coordination",
    ]);
    const q3 = db.select().from(courseQuestionObjectives).where(eq(courseQuestionObjectives.questionId, "q3")).all();
    expect(q3.map((o) => o.objectiveId).sort()).toEqual(["LO1", "LO2"]);
    expect(db.select().from(courseStructure).get()).toMatchObject({ masteryThreshold: 0.75, courseTitle: "Fixture course" });
  });
});

describe("coordinator actions", () => {
  it("grants another attempt at a limited quiz, and refuses one for an unlimited quiz", async () => {
    const cohort = makeCohort();
    const learner = await makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null });
    answer(learner.id, "beta", { q1: ["b"] });
    answer(learner.id, "beta", { q1: ["b"] });
    expect(attemptsLeft({ userId: learner.id, slug: "beta" })).toBe(0);
    expect(() => openAttempt({ userId: learner.id, slug: "beta" })).toThrow(/used all 2 attempts/);
    expect(grantAttempt({ userId: learner.id, slug: "beta" })).toBe(3);
    expect(allowedAttempts({ userId: learner.id, slug: "beta" })).toBe(3);
    answer(learner.id, "beta", { q1: ["a"] });
    expect(attemptHistory(learner.id).map((a) => [a.moduleSlug, a.number, a.passed, a.answers[0]!.chosen])).toEqual([
      ["beta", 1, false, ["A newspaper"]],
      ["beta", 2, false, ["A newspaper"]],
      ["beta", 3, true, ["The national CSIRT"]],
    ]);
    expect(() => grantAttempt({ userId: learner.id, slug: "alpha" })).toThrow(/unlimited/);
  });

  it("deletes a learner with every record, keeping the audit entry", async () => {
    const cohort = makeCohort();
    const coordinator = await makeUser({ role: "coordinator", cohortId: cohort.id, passwordHash: null });
    const learner = await makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null, name: "Del Eted" });
    markSectionRead({ userId: learner.id, slug: "alpha", sectionId: "introduction" });
    answer(learner.id, "alpha", { q1: ["a"], q2: ["a"], q3: ["true"] });
    const entryId = deleteLearner({ actor: coordinator, cohort }, { learnerId: learner.id });
    const db = getDb();
    expect(db.select().from(users).where(eq(users.id, learner.id)).get()).toBeUndefined();
    expect(db.select().from(sectionReads).where(eq(sectionReads.userId, learner.id)).all()).toEqual([]);
    expect(db.select().from(quizAnswers).where(eq(quizAnswers.userId, learner.id)).all()).toEqual([]);
    for (const table of ["learner_modules", "learner_stats", "latest_answers", "learner_objectives"]) {
      expect(db.get<{ n: number }>(sql`select count(*) as n from ${sql.raw(table)} where user_id = ${learner.id}`)!.n).toBe(0);
    }
    const { rows } = listAudit({ cohortId: cohort.id });
    expect(rows[0]).toMatchObject({ action: "delete-learner", actorName: coordinator.name, subjectName: "Del Eted", subjectId: learner.id });
    expect(rows[0]!.id).toBe(entryId);
  });

  it("confirms a deletion only with the name the audit log recorded, never text from the URL", async () => {
    const cohort = makeCohort();
    const other = makeCohort();
    const coordinator = await makeUser({ role: "coordinator", cohortId: cohort.id, passwordHash: null });
    const learner = await makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null, name: "Del Eted" });
    const entryId = deleteLearner({ actor: coordinator, cohort }, { learnerId: learner.id });
    expect(deletedLearnerName({ cohortId: cohort.id, entryId: String(entryId) })).toBe("Del Eted");
    expect(deletedLearnerName({ cohortId: other.id, entryId: String(entryId) })).toBeNull();
    const otherEntry = audit({ actor: coordinator, cohortId: cohort.id, action: "view-learner", subject: coordinator });
    for (const forged of ["Your account is suspended. Call +1 555 0100", String(otherEntry), "1e3", "-1", "", null]) {
      expect(deletedLearnerName({ cohortId: cohort.id, entryId: forged })).toBeNull();
    }
  });

  it("refuses to delete someone who is not a learner of the cohort, and writes nothing", async () => {
    const cohort = makeCohort();
    const other = makeCohort();
    const coordinator = await makeUser({ role: "coordinator", cohortId: cohort.id, passwordHash: null });
    const stranger = await makeUser({ role: "learner", cohortId: other.id, passwordHash: null });
    const before = getDb().select().from(auditLog).all().length;
    expect(() => deleteLearner({ actor: coordinator, cohort }, { learnerId: stranger.id })).toThrow(/Only a learner of this cohort/);
    expect(() => deleteLearner({ actor: coordinator, cohort }, { learnerId: coordinator.id })).toThrow(/Only a learner/);
    expect(getDb().select().from(users).where(eq(users.id, stranger.id)).get()).toBeDefined();
    expect(getDb().select().from(auditLog).all().length).toBe(before);
  });

  it("lets a coordinator open only the cohorts they coordinate", async () => {
    const mine = makeCohort();
    const theirs = makeCohort();
    const coordinator = await makeUser({ role: "coordinator", cohortId: mine.id, passwordHash: null });
    expect(getCoordinatedCohort({ cohort: mine.slug, userId: coordinator.id })?.id).toBe(mine.id);
    expect(getCoordinatedCohort({ cohort: theirs.slug, userId: coordinator.id })).toBeUndefined();
    expect(getCoordinatedCohort({ cohort: theirs.id, userId: coordinator.id })).toBeUndefined();
  });
});

/** Every row of every table: an act that is refused or fails must leave this exactly as it was. */
function snapshot() {
  const db = getDb();
  const tables = db.all<{ name: string }>(sql`select name from sqlite_master where type = 'table' order by name`);
  return Object.fromEntries(tables.map(({ name }) => [name, db.all(sql.raw(`select * from "${name}"`))]));
}

/** Runs `run` while SQLite refuses every `op` on `table`, as a full disk or a broken constraint would. */
function whileRefusing<T>(table: string, op: "insert" | "update" | "delete", run: () => T): T {
  const db = getDb();
  db.run(sql.raw(`create temp trigger refuse_write before ${op} on "${table}" begin select raise(abort, 'refused by the test'); end`));
  try {
    return run();
  } finally {
    db.run(sql.raw("drop trigger temp.refuse_write"));
  }
}

async function cohortWithPeople() {
  const cohort = makeCohort();
  const other = makeCohort();
  const coordinator = await makeUser({ role: "coordinator", cohortId: cohort.id, passwordHash: null });
  const colleague = await makeUser({ role: "coordinator", cohortId: cohort.id, passwordHash: null });
  const elsewhere = await makeUser({ role: "coordinator", passwordHash: null });
  const learner = await makeUser({ role: "learner", cohortId: cohort.id, passwordHash: null, name: "Lea Learner" });
  const instructor = await makeUser({ role: "instructor", cohortId: cohort.id, passwordHash: null });
  const stranger = await makeUser({ role: "learner", cohortId: other.id, passwordHash: null });
  getDb()
    .insert(certificates)
    .values({ userId: learner.id, code: `CERT-${learner.id}`, learnerName: learner.name, courseTitle: "Fixture course", completedAt: new Date(), objectivesMastered: [] })
    .run();
  createInvitations({ cohortId: cohort.id, role: "learner", createdBy: coordinator.id });
  const [invitation] = getDb().select().from(invitations).where(eq(invitations.cohortId, cohort.id)).all();
  const scope: Scope = { actor: coordinator, cohort };
  return { cohort, other, coordinator, colleague, elsewhere, learner, instructor, stranger, invitation: invitation!, scope };
}
type People = Awaited<ReturnType<typeof cohortWithPeople>>;

interface ActionCase {
  name: string;
  action: string;
  run: (p: People) => unknown;
  /** The statement that makes the change, for SQLite to refuse. */
  write: [table: string, op: "insert" | "update" | "delete"];
  /** Whether the change is in the database. */
  done: (p: People) => boolean;
  /** Acts the guard refuses, with what it says. */
  refused: [run: (p: People) => unknown, message: RegExp | typeof NotFound][];
}

const db = () => getDb();
const userRow = (id: string) => db().select().from(users).where(eq(users.id, id)).get();

const ACTIONS: ActionCase[] = [
  {
    name: "inviteMembers",
    action: "invite",
    run: (p) => inviteMembers(p.scope, { role: "learner", count: 2, email: null, expiresDays: 7 }),
    write: ["invitations", "insert"],
    done: (p) => db().select().from(invitations).where(eq(invitations.cohortId, p.cohort.id)).all().length === 3,
    refused: [
      [(p) => inviteMembers(p.scope, { role: "learner", count: 2, email: "one@example.test", expiresDays: 7 }), /for one person/],
      [(p) => inviteMembers(p.scope, { role: "learner", count: 0, email: null, expiresDays: 7 }), /between 1 and/],
    ],
  },
  {
    name: "revokeCohortInvitation",
    action: "revoke-invitation",
    run: (p) => revokeCohortInvitation(p.scope, { id: p.invitation.id }),
    write: ["invitations", "update"],
    done: (p) => db().select().from(invitations).where(eq(invitations.id, p.invitation.id)).get()!.revokedAt !== null,
    refused: [
      [(p) => revokeCohortInvitation({ actor: p.elsewhere, cohort: p.other }, { id: p.invitation.id }), /already used or revoked/],
      [(p) => revokeCohortInvitation(p.scope, { id: p.invitation.id + 1000 }), /already used or revoked/],
    ],
  },
  {
    name: "setMemberActive (deactivate)",
    action: "deactivate",
    run: (p) => setMemberActive(p.scope, { userId: p.learner.id, active: false }),
    write: ["users", "update"],
    done: (p) => userRow(p.learner.id)!.deactivatedAt !== null,
    refused: [
      [(p) => setMemberActive(p.scope, { userId: p.coordinator.id, active: false }), /managed by the operator/],
      [(p) => setMemberActive(p.scope, { userId: p.colleague.id, active: false }), /managed by the operator/],
      [(p) => setMemberActive(p.scope, { userId: p.stranger.id, active: false }), NotFound],
    ],
  },
  {
    name: "createMemberPasswordLink",
    action: "password-link",
    run: (p) => createMemberPasswordLink(p.scope, { userId: p.instructor.id }),
    write: ["password_resets", "insert"],
    done: (p) => db().all(sql`select 1 from password_resets where user_id = ${p.instructor.id}`).length === 1,
    refused: [
      [(p) => createMemberPasswordLink(p.scope, { userId: p.colleague.id }), /managed by the operator/],
      [(p) => createMemberPasswordLink(p.scope, { userId: p.stranger.id }), NotFound],
    ],
  },
  {
    name: "revokeMemberCertificate",
    action: "revoke-certificate",
    run: (p) => revokeMemberCertificate(p.scope, { userId: p.learner.id }),
    write: ["certificates", "update"],
    done: (p) => db().select().from(certificates).where(eq(certificates.userId, p.learner.id)).get()!.revokedAt !== null,
    refused: [
      [(p) => revokeMemberCertificate(p.scope, { userId: p.instructor.id }), /has no valid certificate/],
      [(p) => revokeMemberCertificate(p.scope, { userId: p.stranger.id }), NotFound],
    ],
  },
  {
    name: "addCohortCoordinator",
    action: "add-coordinator",
    run: (p) => addCohortCoordinator(p.scope, { email: p.elsewhere.email }),
    write: ["cohort_memberships", "insert"],
    done: (p) => db().all(sql`select 1 from cohort_memberships where user_id = ${p.elsewhere.id} and cohort_id = ${p.cohort.id}`).length === 1,
    refused: [
      [(p) => addCohortCoordinator(p.scope, { email: p.learner.email }), /No active coordinator account/],
      [(p) => addCohortCoordinator(p.scope, { email: p.colleague.email }), /already coordinates/],
    ],
  },
  {
    name: "grantLearnerAttempt",
    action: "grant-attempt",
    run: (p) => grantLearnerAttempt(p.scope, { learnerId: p.learner.id, module: "beta" }),
    write: ["attempt_grants", "insert"],
    done: (p) => db().all(sql`select 1 from attempt_grants where user_id = ${p.learner.id}`).length === 1,
    refused: [
      [(p) => grantLearnerAttempt(p.scope, { learnerId: p.learner.id, module: "alpha" }), /unlimited/],
      [(p) => grantLearnerAttempt(p.scope, { learnerId: p.stranger.id, module: "beta" }), NotFound],
      [(p) => grantLearnerAttempt(p.scope, { learnerId: p.instructor.id, module: "beta" }), NotFound],
    ],
  },
  {
    name: "deleteLearner",
    action: "delete-learner",
    run: (p) => deleteLearner(p.scope, { learnerId: p.learner.id }),
    write: ["users", "delete"],
    done: (p) => userRow(p.learner.id) === undefined,
    refused: [
      [(p) => deleteLearner(p.scope, { learnerId: p.stranger.id }), /Only a learner of this cohort/],
      [(p) => deleteLearner(p.scope, { learnerId: p.instructor.id }), /Only a learner of this cohort/],
    ],
  },
];

describe("each coordinator action: guard, change and audit entry in one transaction", () => {
  const auditRows = (p: People) => db().select().from(auditLog).where(eq(auditLog.cohortId, p.cohort.id)).all();

  for (const c of ACTIONS) {
    it(`${c.name}: makes its change and records "${c.action}" together`, async () => {
      const p = await cohortWithPeople();
      expect(c.done(p)).toBe(false);
      c.run(p);
      expect(c.done(p)).toBe(true);
      expect(auditRows(p).map((r) => [r.action, r.actorId])).toEqual([[c.action, p.coordinator.id]]);
    });

    it(`${c.name}: a change that fails leaves no audit entry`, async () => {
      const p = await cohortWithPeople();
      const before = snapshot();
      expect(() => whileRefusing(c.write[0], c.write[1], () => c.run(p))).toThrow(/refused by the test/);
      expect(snapshot()).toEqual(before);
    });

    it(`${c.name}: an audit entry that cannot be written undoes the change`, async () => {
      const p = await cohortWithPeople();
      const before = snapshot();
      expect(() => whileRefusing("audit_log", "insert", () => c.run(p))).toThrow(/refused by the test/);
      expect(c.done(p)).toBe(false);
      expect(snapshot()).toEqual(before);
    });

    it(`${c.name}: a refusal writes nothing`, async () => {
      const p = await cohortWithPeople();
      const before = snapshot();
      for (const [run, expected] of c.refused) expect(() => run(p)).toThrow(expected);
      expect(snapshot()).toEqual(before);
    });
  }

  it("reactivating is recorded with the change, and a deactivated member gets no password link", async () => {
    const p = await cohortWithPeople();
    setMemberActive(p.scope, { userId: p.learner.id, active: false });
    const before = snapshot();
    expect(() => createMemberPasswordLink(p.scope, { userId: p.learner.id })).toThrow(`Reactivate Lea Learner before sending a password link.`);
    expect(() => whileRefusing("audit_log", "insert", () => setMemberActive(p.scope, { userId: p.learner.id, active: true }))).toThrow();
    expect(snapshot()).toEqual(before);
    expect(setMemberActive(p.scope, { userId: p.learner.id, active: true }).message).toBe("Lea Learner can sign in again.");
    expect(userRow(p.learner.id)!.deactivatedAt).toBeNull();
    expect(auditRows(p).map((r) => r.action).sort()).toEqual(["deactivate", "reactivate"]);
  });

  it("records a view or an export of a learner's record, and only of a learner of the cohort", async () => {
    const p = await cohortWithPeople();
    const before = snapshot();
    for (const record of [viewLearner, recordLearnerExport]) {
      for (const learnerId of [p.stranger.id, p.instructor.id, p.coordinator.id, "no-such-user", undefined]) {
        expect(() => record(p.scope, { learnerId })).toThrow(NotFound);
      }
    }
    expect(snapshot()).toEqual(before);
    expect(viewLearner(p.scope, { learnerId: p.learner.id }).name).toBe("Lea Learner");
    expect(recordLearnerExport(p.scope, { learnerId: p.learner.id }).id).toBe(p.learner.id);
    recordCohortExport(p.scope, { action: "export-mastery" });
    expect(auditRows(p).map((r) => [r.action, r.subjectId])).toEqual([
      ["view-learner", p.learner.id],
      ["export-learner", p.learner.id],
      ["export-mastery", null],
    ]);
  });

  it("returns what the pages show: messages, and the paths of links shown once", async () => {
    const p = await cohortWithPeople();
    const invited = inviteMembers(p.scope, { role: "instructor", count: 1, email: "Ines@Example.test", expiresDays: 3 });
    expect(invited.message).toBe("1 invitation created.");
    expect(invited.paths).toEqual([expect.stringMatching(/^\/join\/[\w-]{43}$/)]);
    expect(invited.expiresAt.getTime()).toBeGreaterThan(Date.now() + 2.9 * 86_400_000);
    expect(auditRows(p).at(-1)!.detail).toBe("1 × instructor for Ines@Example.test");
    const link = createMemberPasswordLink(p.scope, { userId: p.learner.id });
    expect(link.message).toBe("A one-time password link for Lea Learner is ready. Send it to them privately.");
    expect(link.path).toMatch(/^\/reset\/[\w-]{43}$/);
    expect(revokeCohortInvitation(p.scope, { id: p.invitation.id }).message).toBe("The invitation is revoked; its link no longer works.");
    expect(revokeMemberCertificate(p.scope, { userId: p.learner.id }).message).toBe(
      "Lea Learner's certificate is revoked; its verification page now says so.",
    );
    expect(setMemberActive(p.scope, { userId: p.learner.id, active: false }).message).toBe("Lea Learner is deactivated and signed out everywhere.");
    expect(addCohortCoordinator(p.scope, { email: p.elsewhere.email }).message).toBe(`${p.elsewhere.name} now coordinates this cohort too.`);
    expect(grantLearnerAttempt(p.scope, { learnerId: p.learner.id, module: "beta" }).message).toBe("Lea Learner may now make 3 attempts at this quiz.");
    expect(auditRows(p).find((r) => r.action === "grant-attempt")!.detail).toBe("beta: now 3 attempts allowed");
  });
});
