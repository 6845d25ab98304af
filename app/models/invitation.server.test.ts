import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { IP_MAX_FAILURES, reserveAttempt, signInRetryAfter } from "~/auth/throttle.server";
import { cohortMemberships, invitations, signInFailures, users } from "~/db/schema";
import { DomainError, TooManyAttempts } from "./errors.server";
import { makeCohort, makeUser } from "./factories.server";
import {
  createInvitations,
  listInvitations,
  lookupInvitation,
  redeemInvitation,
  REGISTRATION_REFUSED,
  revokeInvitation,
} from "./invitation.server";

const PASSWORD = "amber kettle orbit 42";

function counts() {
  const db = getDb();
  const n = (table: typeof users | typeof cohortMemberships) =>
    db.select({ n: sql<number>`count(*)` }).from(table).get()?.n ?? 0;
  return { users: n(users), memberships: n(cohortMemberships) };
}

let ipSeq = 0;
function registration(code: string, email = `p-${Math.random().toString(36).slice(2)}@mfa.example`) {
  return { code, name: "Ana Pérez", email, password: PASSWORD, country: "Uruguay", ip: `192.0.2.${++ipSeq % 250}` };
}

describe("invitations", () => {
  it("stores only a hash of each code and lists them as pending", () => {
    const cohort = makeCohort();
    const { codes } = createInvitations({ cohortId: cohort.id, role: "learner", count: 3, createdBy: null });
    expect(codes).toHaveLength(3);
    expect(new Set(codes).size).toBe(3);
    const stored = getDb().select().from(invitations).where(eq(invitations.cohortId, cohort.id)).all();
    for (const code of codes) expect(stored.map((s) => s.codeHash)).not.toContain(code);
    expect(listInvitations({ cohortId: cohort.id }).rows.map((i) => i.status)).toEqual(["pending", "pending", "pending"]);
  });

  it("refuses a count out of range, and several codes bound to one email", () => {
    const cohort = makeCohort();
    expect(() => createInvitations({ cohortId: cohort.id, role: "learner", count: 0, createdBy: null })).toThrow(DomainError);
    expect(() => createInvitations({ cohortId: cohort.id, role: "learner", count: 201, createdBy: null })).toThrow(DomainError);
    expect(() =>
      createInvitations({ cohortId: cohort.id, role: "learner", count: 2, email: "a@b.example", createdBy: null }),
    ).toThrow(/for one person/);
    expect(listInvitations({ cohortId: cohort.id }).total).toBe(0);
  });

  it("registers a learner into the cohort and consumes the code", async () => {
    const cohort = makeCohort();
    const [code] = createInvitations({ cohortId: cohort.id, role: "learner", createdBy: null }).codes;
    const user = await redeemInvitation(registration(code!, "Ana.Perez@MFA.example"));
    expect(user).toMatchObject({ email: "ana.perez@mfa.example", role: "learner", country: "Uruguay" });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const membership = getDb().select().from(cohortMemberships).where(eq(cohortMemberships.userId, user.id)).get();
    expect(membership).toMatchObject({ cohortId: cohort.id, role: "learner" });
    expect(lookupInvitation(code!).status).toBe("used");
    expect(listInvitations({ cohortId: cohort.id }).rows[0]).toMatchObject({ status: "used", usedByName: "Ana Pérez" });
  });

  it("refuses a used, expired, revoked or unknown code and writes nothing", async () => {
    const cohort = makeCohort();
    const { codes } = createInvitations({ cohortId: cohort.id, role: "learner", count: 3, createdBy: null });
    const [used, revoked, expired] = codes as [string, string, string];
    await redeemInvitation(registration(used));
    const invitationId = getDb().select().from(invitations).where(eq(invitations.cohortId, cohort.id)).all()[1]!.id;
    expect(revokeInvitation({ cohortId: cohort.id, invitationId })).toBe(true);
    expect(revokeInvitation({ cohortId: cohort.id, invitationId })).toBe(false);
    getDb()
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, invitationId + 1))
      .run();

    const before = counts();
    await expect(redeemInvitation(registration(used))).rejects.toThrow(/already been used/);
    await expect(redeemInvitation(registration(revoked))).rejects.toThrow(/withdrawn/);
    await expect(redeemInvitation(registration(expired))).rejects.toThrow(/expired/);
    await expect(redeemInvitation(registration("not-a-code"))).rejects.toThrow(/not valid/);
    expect(counts()).toEqual(before);
    expect(lookupInvitation(revoked).status).toBe("revoked");
    expect(lookupInvitation(expired).status).toBe("expired");
    expect(lookupInvitation("nope").status).toBe("unknown");
  });

  it("answers a taken email without saying so: the code is used up, no account is made, the address is counted", async () => {
    await makeUser({ email: "taken@mfa.example", passwordHash: null });
    const cohort = makeCohort();
    const [code, spare] = createInvitations({ cohortId: cohort.id, role: "learner", count: 2, createdBy: null }).codes;
    const before = counts();
    const attempt = registration(code!, "TAKEN@mfa.EXAMPLE");
    const error = await redeemInvitation(attempt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ field: null, message: REGISTRATION_REFUSED });
    expect((error as Error).message).not.toMatch(/already exists|has an account/);
    expect(counts()).toEqual(before);
    expect(lookupInvitation(code!).status).toBe("used");
    // The same link cannot probe a second address.
    await expect(redeemInvitation(registration(code!, "other@mfa.example"))).rejects.toThrow(/already been used/);
    expect(signInRetryAfter({ accountKey: null, ip: attempt.ip, device: null })).toBe(0);
    const failures = getDb().select().from(signInFailures).where(eq(signInFailures.key, attempt.ip)).all();
    expect(failures).toHaveLength(1);
    expect((await redeemInvitation(registration(spare!))).role).toBe("learner");
  });

  it("refuses registrations from an address over its failure limit, before any work", async () => {
    const cohort = makeCohort();
    const [code] = createInvitations({ cohortId: cohort.id, role: "learner", createdBy: null }).codes;
    const ip = "198.51.100.99";
    for (let i = 0; i < IP_MAX_FAILURES; i++) reserveAttempt({ accountKey: null, ip, device: null });
    const error = await redeemInvitation({ ...registration(code!), ip }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyAttempts);
    expect(lookupInvitation(code!).status).toBe("pending");
  });

  it("refuses weak passwords and another address than the bound one", async () => {
    const cohort = makeCohort();
    const [bound] = createInvitations({
      cohortId: cohort.id,
      role: "learner",
      email: "Only.Me@mfa.example",
      createdBy: null,
    }).codes;
    const before = counts();
    await expect(redeemInvitation({ ...registration(bound!, "someone@mfa.example") })).rejects.toMatchObject({
      field: "email",
    });
    await expect(
      redeemInvitation({ ...registration(bound!, "only.me@mfa.example"), password: "short" }),
    ).rejects.toMatchObject({ field: "password" });
    await expect(
      redeemInvitation({ ...registration(bound!, "only.me@mfa.example"), password: "password1234" }),
    ).rejects.toMatchObject({ field: "password" });
    expect(counts()).toEqual(before);
    const user = await redeemInvitation(registration(bound!, "ONLY.ME@mfa.example"));
    expect(user.email).toBe("only.me@mfa.example");
  });

  it("turns simultaneous uses of one code into exactly one account", async () => {
    const cohort = makeCohort();
    const [code] = createInvitations({ cohortId: cohort.id, role: "learner", createdBy: null }).codes;
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => redeemInvitation(registration(code!, `racer${i}@mfa.example`))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const members = getDb().select().from(cohortMemberships).where(eq(cohortMemberships.cohortId, cohort.id)).all();
    expect(members).toHaveLength(1);
  });

  it("registers instructors and coordinators with their role", async () => {
    const cohort = makeCohort();
    const [i, c] = [
      createInvitations({ cohortId: cohort.id, role: "instructor", createdBy: null }).codes[0]!,
      createInvitations({ cohortId: cohort.id, role: "coordinator", createdBy: null }).codes[0]!,
    ];
    expect((await redeemInvitation(registration(i))).role).toBe("instructor");
    expect((await redeemInvitation(registration(c))).role).toBe("coordinator");
  });
});
