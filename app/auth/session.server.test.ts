import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/client.server";
import { sessions, users } from "~/db/schema";
import { makeUser } from "~/models/factories.server";
import { liveSessionFromCookie, SESSION_DAYS, validateSessionCookie } from "./lucia.server";
import { requireRole, requireUser, safeRedirect, startSession } from "./session.server";

const cookiePair = (setCookie: string) => setCookie.split(";")[0]!;
const request = (path: string, cookie?: string) =>
  new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });

describe("sessions", () => {
  it("are database rows, extended while in use, with the cookie refreshed", async () => {
    const user = await makeUser({ passwordHash: null });
    const cookie = cookiePair(await startSession(user.id));
    const id = cookie.split("=")[1]!;
    // Pretend the session is a day from expiry: lucia extends it past the half-way mark.
    const soon = Math.floor(Date.now() / 1000) + 86_400;
    getDb().update(sessions).set({ expiresAt: soon }).where(eq(sessions.id, id)).run();
    const validated = await validateSessionCookie(cookie);
    expect(validated.user?.id).toBe(user.id);
    expect(validated.setCookie).toMatch(new RegExp(`^cda_session=${id};`));
    const row = getDb().select().from(sessions).where(eq(sessions.id, id)).get();
    expect(row!.expiresAt).toBeGreaterThan(soon + (SESSION_DAYS - 2) * 86_400);
    // Not near expiry: nothing to refresh.
    expect((await validateSessionCookie(cookie)).setCookie).toBeNull();
  });

  it("the lesson fast path's synchronous read answers only for a live session lucia would leave as it is", async () => {
    const user = await makeUser({ passwordHash: null });
    const cookie = cookiePair(await startSession(user.id));
    const id = cookie.split("=")[1]!;
    const live = liveSessionFromCookie(cookie);
    expect(live).toEqual(await validateSessionCookie(cookie));
    expect(live).toMatchObject({ user: { id: user.id }, sessionId: id, setCookie: null });
    // Everything else is lucia's to decide: no cookie, an unknown session, one to extend now, an
    // expired one, a deactivated account.
    expect(liveSessionFromCookie(null)).toBeUndefined();
    expect(liveSessionFromCookie("cda_session=not-a-session")).toBeUndefined();
    const now = Math.floor(Date.now() / 1000);
    const halfLife = (SESSION_DAYS * 86_400) / 2;
    getDb().update(sessions).set({ expiresAt: now + halfLife - 60 }).where(eq(sessions.id, id)).run();
    expect(liveSessionFromCookie(cookie)).toBeUndefined();
    getDb().update(sessions).set({ expiresAt: now + halfLife + 60 }).where(eq(sessions.id, id)).run();
    expect(liveSessionFromCookie(cookie)?.user?.id).toBe(user.id);
    getDb().update(sessions).set({ expiresAt: now - 1 }).where(eq(sessions.id, id)).run();
    expect(liveSessionFromCookie(cookie)).toBeUndefined();
    getDb().update(sessions).set({ expiresAt: now + halfLife + 60 }).where(eq(sessions.id, id)).run();
    getDb().update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, user.id)).run();
    expect(liveSessionFromCookie(cookie)).toBeUndefined();
  });

  it("an unknown or revoked session gets a blank cookie", async () => {
    const result = await validateSessionCookie("cda_session=not-a-session");
    expect(result.user).toBeNull();
    expect(result.setCookie).toMatch(/^cda_session=; .*Max-Age=0/);
  });

  it("a deactivated account's sessions stop working at once", async () => {
    const user = await makeUser({ passwordHash: null });
    const cookie = cookiePair(await startSession(user.id));
    getDb().update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, user.id)).run();
    expect((await validateSessionCookie(cookie)).user).toBeNull();
    expect(getDb().select().from(sessions).where(eq(sessions.userId, user.id)).all()).toEqual([]);
  });

  it("requireUser sends the anonymous to sign in and back; requireRole answers 403", async () => {
    const redirect = await requireUser(request("/account?tab=1")).catch((r: unknown) => r);
    expect(redirect).toBeInstanceOf(Response);
    expect((redirect as Response).headers.get("Location")).toBe("/login?redirectTo=%2Faccount%3Ftab%3D1");

    const learner = await makeUser({ role: "learner", passwordHash: null });
    const cookie = cookiePair(await startSession(learner.id));
    expect((await requireUser(request("/", cookie))).id).toBe(learner.id);
    const forbidden = await requireRole(request("/coordinator/cohorts", cookie), "coordinator").catch((r: unknown) => r);
    expect((forbidden as Response).status).toBe(403);
    expect((await requireRole(request("/", cookie), "learner", "coordinator")).id).toBe(learner.id);
  });

  it("redirects only to local paths", () => {
    expect(safeRedirect("/account")).toBe("/account");
    expect(safeRedirect("//evil.example")).toBe("/");
    expect(safeRedirect("https://evil.example")).toBe("/");
    expect(safeRedirect("/\\evil.example")).toBe("/");
    expect(safeRedirect(null, "/instructor")).toBe("/instructor");
  });

  // What a browser does with each value decides: it drops tabs and newlines and reads `\` as `/`.
  it.each([
    ["/\t/evil.example/phish"],
    ["/\n/evil.example"],
    ["/\r\n/evil.example"],
    ["\t//evil.example"],
    [" //evil.example"],
    ["/\\evil.example"],
    ["\\\\evil.example"],
    ["/\\/evil.example"],
    ["///evil.example"],
    ["https:evil.example"],
    ["javascript:alert(1)"],
    ["http://app.invalid@evil.example/"],
    ["evil.example"],
    [""],
  ])("refuses %j, which does not stay on this site", (hostile) => {
    expect(safeRedirect(hostile)).toBe("/");
    expect(safeRedirect(hostile, null)).toBeNull();
  });

  it.each([
    ["/account", "/account"],
    ["/modules/intro/basics?x=1#part", "/modules/intro/basics?x=1#part"],
    ["/a\rb\nc", "/abc"],
    ["/caf\u00e9\u3000x", "/caf%C3%A9%E3%80%80x"],
    ["/../account", "/account"],
  ])("keeps the same-site path %j as %j, always a valid Location header", (value, expected) => {
    const target = safeRedirect(value);
    expect(target).toBe(expected);
    expect(() => new Headers({ Location: target })).not.toThrow();
  });
});
