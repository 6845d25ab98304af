import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { startSession } from "~/auth/session.server";
import { getDb } from "~/db/client.server";
import { accountSchemas } from "~/lib/form-schemas.server";
import { cohortMemberships, sessions } from "~/db/schema";
import { rememberDevice, trustedDevice } from "~/auth/device.server";
import { DomainError, TooManyAttempts } from "./errors.server";
import { makeCohort, makeUser } from "./factories.server";
import { changePassword, findUserByEmail, setUserActive, setUserRole, updateUserName } from "./user.server";
import { createPasswordReset, lookupPasswordReset, resetPassword } from "./password-reset.server";

const PASSWORD = "amber kettle orbit 42";
const from = { ip: "192.0.2.1", cookieHeader: null };

function sessionIds(userId: string) {
  return getDb().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId)).all().map((s) => s.id);
}

async function sessionsFor(userId: string, n: number) {
  for (let i = 0; i < n; i++) await startSession(userId);
  return sessionIds(userId);
}

describe("users", () => {
  it("finds accounts by email in any case and refuses duplicates in any case", async () => {
    await makeUser({ email: "Case.Test@Example.org", passwordHash: null });
    expect(findUserByEmail("  CASE.test@example.ORG ")?.email).toBe("case.test@example.org");
    await expect(makeUser({ email: "case.TEST@example.org", passwordHash: null })).rejects.toThrow(DomainError);
  });

  it("changing the password checks the current one and signs out every other session", async () => {
    const user = await makeUser({ password: PASSWORD });
    const [keep, ...others] = await sessionsFor(user.id, 3);
    await expect(
      changePassword({ userId: user.id, currentSessionId: keep!, currentPassword: "wrong one here", newPassword: "new river stone 7", ...from }),
    ).rejects.toMatchObject({ field: "currentPassword" });
    await expect(
      changePassword({ userId: user.id, currentSessionId: keep!, currentPassword: PASSWORD, newPassword: "short", ...from }),
    ).rejects.toMatchObject({ field: "newPassword" });
    expect(sessionIds(user.id)).toHaveLength(3);
    await changePassword({ userId: user.id, currentSessionId: keep!, currentPassword: PASSWORD, newPassword: "new river stone 7", ...from });
    expect(sessionIds(user.id)).toEqual([keep]);
    expect(others).toHaveLength(2);
  });

  it("checks the current password under the sign-in throttle: the sixth wrong guess gets a wait", async () => {
    const user = await makeUser({ password: PASSWORD });
    const [keep] = await sessionsFor(user.id, 1);
    const attempt = (currentPassword: string) =>
      changePassword({ userId: user.id, currentSessionId: keep!, currentPassword, newPassword: "new river stone 7", ...from });
    for (let i = 0; i < 5; i++) await expect(attempt(`wrong guess ${i}`)).rejects.toMatchObject({ field: "currentPassword" });
    const refused = await attempt(PASSWORD).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyAttempts);
    expect((refused as TooManyAttempts).retryAfter).toBeGreaterThan(0);
    expect((refused as TooManyAttempts).message).toMatch(/wait \d+ seconds/);
  });

  it("a password change or reset forgets every trusted device of the account", async () => {
    const user = await makeUser({ password: PASSWORD });
    const [keep] = await sessionsFor(user.id, 1);
    const device = rememberDevice(user.id).split(";")[0]!;
    expect(trustedDevice(device)?.userId).toBe(user.id);
    await changePassword({ userId: user.id, currentSessionId: keep!, currentPassword: PASSWORD, newPassword: "new river stone 7", ...from });
    expect(trustedDevice(device)).toBeNull();

    const again = rememberDevice(user.id).split(";")[0]!;
    await resetPassword({ token: createPasswordReset({ userId: user.id }).token, password: "harbour lantern 1848" });
    expect(trustedDevice(again)).toBeNull();
  });

  it("deactivation ends every session; reactivation allows sign-in again", async () => {
    const user = await makeUser({ password: PASSWORD });
    await sessionsFor(user.id, 2);
    setUserActive({ userId: user.id, active: false });
    expect(sessionIds(user.id)).toEqual([]);
    expect(findUserByEmail(user.email)?.deactivatedAt).toBeInstanceOf(Date);
    setUserActive({ userId: user.id, active: true });
    expect(findUserByEmail(user.email)?.deactivatedAt).toBeNull();
  });

  it("a learner belongs to at most one cohort", async () => {
    const [a, b] = [makeCohort(), makeCohort()];
    const learner = await makeUser({ role: "learner", cohortId: a.id, passwordHash: null });
    expect(() =>
      getDb().insert(cohortMemberships).values({ userId: learner.id, cohortId: b.id, role: "learner" }).run(),
    ).toThrow(/UNIQUE/);
    const instructor = await makeUser({ role: "instructor", cohortId: a.id, passwordHash: null });
    getDb().insert(cohortMemberships).values({ userId: instructor.id, cohortId: b.id, role: "instructor" }).run();
    expect(() => setUserRole({ userId: instructor.id, role: "learner" })).toThrow(/at most one cohort/);
    setUserRole({ userId: learner.id, role: "coordinator" });
    const membership = getDb().select().from(cohortMemberships).where(eq(cohortMemberships.userId, learner.id)).get();
    expect(membership?.role).toBe("coordinator");
  });
});

describe("names", () => {
  const hostile = [
    ["zero-width spaces only", "\u200B\u200B\u200B"],
    ["direction marks only", "\u200E\u200F\u200E"],
    ["an RLO override", "Ana \u202Ezerép"],
    ["an LRO override", "\u202DAna Pérez"],
    ["a NUL", "Ana\u0000Pérez"],
    ["a newline", "Ana\nPérez"],
    ["a soft hyphen", "Ana Pé\u00ADrez"],
    ["a joiner outside a word", "\u200DAna Pérez"],
    ["no letter", "12 34 -"],
  ];
  it.each(hostile)("refuses a name with %s, on every path that sets one", async (_, name) => {
    expect(accountSchemas.name.safeParse({ name }).success).toBe(false);
    await expect(makeUser({ name, passwordHash: null })).rejects.toMatchObject({ field: "name" });
    const user = await makeUser({ passwordHash: null });
    expect(() => updateUserName({ userId: user.id, name })).toThrow(DomainError);
  });

  it.each([
    ["decomposed accents, stored composed (NFC)", "Ana Pe\u0301rez", "Ana P\u00E9rez"],
    ["a Persian name with a zero-width non-joiner", "\u0645\u06CC\u200C\u0646\u0627", "\u0645\u06CC\u200C\u0646\u0627"],
    ["a Devanagari name with a zero-width joiner", "\u0915\u094D\u200D\u0937\u093E", "\u0915\u094D\u200D\u0937\u093E"],
    ["runs of spaces, ideographic too", "  \u674E\u3000\u3000\u660E ", "\u674E \u660E"],
  ])("keeps %s", async (_, name, stored) => {
    expect(accountSchemas.name.parse({ name }).name).toBe(stored);
    expect((await makeUser({ name, passwordHash: null })).name).toBe(stored);
  });
});

describe("password reset links", () => {
  it("set a new password once, end all sessions, and replace earlier links", async () => {
    const user = await makeUser({ password: PASSWORD });
    await sessionsFor(user.id, 2);
    const first = createPasswordReset({ userId: user.id }).token;
    const { token } = createPasswordReset({ userId: user.id });
    expect(lookupPasswordReset(first)).toBeUndefined();
    expect(lookupPasswordReset(token)?.id).toBe(user.id);
    await expect(resetPassword({ token, password: "tiny" })).rejects.toMatchObject({ field: "password" });
    await resetPassword({ token, password: "harbour lantern 1848" });
    expect(sessionIds(user.id)).toEqual([]);
    await expect(resetPassword({ token, password: "harbour lantern 1849" })).rejects.toThrow(/not valid any more/);
  });

  it("do not work for a deactivated account or after expiry", async () => {
    const user = await makeUser({ password: PASSWORD });
    const expired = createPasswordReset({ userId: user.id, hours: -1 }).token;
    expect(lookupPasswordReset(expired)).toBeUndefined();
    const { token } = createPasswordReset({ userId: user.id });
    setUserActive({ userId: user.id, active: false });
    expect(lookupPasswordReset(token)).toBeUndefined();
  });

  it("made before a deactivation do not work again after the reactivation", async () => {
    const user = await makeUser({ password: PASSWORD });
    const { token } = createPasswordReset({ userId: user.id });
    setUserActive({ userId: user.id, active: false });
    setUserActive({ userId: user.id, active: true });
    expect(lookupPasswordReset(token)).toBeUndefined();
    await expect(resetPassword({ token, password: "harbour lantern 1848" })).rejects.toThrow(/not valid any more/);
  });
});
