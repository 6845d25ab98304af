import { describe, expect, it } from "vitest";
import { closeDb, getDb } from "~/db/client.server";
import { signInFailures } from "~/db/schema";
import { makeUser } from "~/models/factories.server";
import { setUserActive } from "~/models/user.server";
import { attemptSignIn } from "./sign-in.server";
import { accountDelayMs, IP_MAX_FAILURES, reserveAttempt, signInRetryAfter } from "./throttle.server";

const PASSWORD = "amber kettle orbit 42";
let ipSeq = 0;
const freshIp = () => `10.0.0.${++ipSeq}`;

async function fail(email: string, ip: string, times: number) {
  for (let i = 0; i < times; i++) {
    const r = await attemptSignIn({ email, password: "wrong password!", ip, cookieHeader: null });
    expect(r).toEqual({ ok: false, reason: "invalid" });
  }
}

describe("attemptSignIn", () => {
  it("signs in with the right password, any email case, and sets session and device cookies", async () => {
    const user = await makeUser({ email: "signin@example.test", password: PASSWORD });
    const result = await attemptSignIn({ email: "SIGNIN@example.test", password: PASSWORD, ip: freshIp(), cookieHeader: null });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.id).toBe(user.id);
    expect(result.setCookies[0]).toMatch(/^cda_session=.+; .*HttpOnly/);
    expect(result.setCookies[0]).toMatch(/SameSite=Lax/);
    expect(result.setCookies[1]).toMatch(/^cda_device=/);
  });

  it("gives one generic answer for an unknown email and a wrong password, and counts both", async () => {
    await makeUser({ email: "generic@example.test", password: PASSWORD });
    const ip = freshIp();
    const wrong = await attemptSignIn({ email: "generic@example.test", password: "nope nope nope", ip, cookieHeader: null });
    const unknown = await attemptSignIn({ email: "nobody@example.test", password: "nope nope nope", ip, cookieHeader: null });
    expect(wrong).toEqual(unknown);
    expect(getDb().select().from(signInFailures).all().filter((f) => f.key === ip)).toHaveLength(2);
  });

  it("delays an account after 5 failures with a growing wait, even for the right password", async () => {
    await makeUser({ email: "victim@example.test", password: PASSWORD });
    await fail("victim@example.test", freshIp(), 5);
    const blocked = await attemptSignIn({ email: "victim@example.test", password: PASSWORD, ip: freshIp(), cookieHeader: null });
    expect(blocked).toMatchObject({ ok: false, reason: "throttled" });
    if (blocked.ok || blocked.reason !== "throttled") return;
    expect(blocked.retryAfter).toBeGreaterThan(0);
    expect(blocked.retryAfter).toBeLessThanOrEqual(30);
    expect(accountDelayMs(6)).toBeGreaterThan(accountDelayMs(5));
    expect(accountDelayMs(40)).toBe(15 * 60_000);
  });

  it("cannot lock the owner out: a browser that signed in before skips the account delay", async () => {
    await makeUser({ email: "owner@example.test", password: PASSWORD });
    const first = await attemptSignIn({ email: "owner@example.test", password: PASSWORD, ip: freshIp(), cookieHeader: null });
    if (!first.ok) throw new Error("sign-in failed");
    const device = first.setCookies[1]!.split(";")[0]!;
    await fail("owner@example.test", freshIp(), 5);
    const attacker = await attemptSignIn({ email: "owner@example.test", password: PASSWORD, ip: freshIp(), cookieHeader: null });
    expect(attacker).toMatchObject({ reason: "throttled" });
    const owner = await attemptSignIn({ email: "owner@example.test", password: PASSWORD, ip: freshIp(), cookieHeader: device });
    expect(owner.ok).toBe(true);
  });

  it("limits an IP to 100 failures in 15 minutes and tells when to retry", () => {
    const ip = freshIp();
    const now = Date.now();
    for (let i = 0; i < IP_MAX_FAILURES; i++) {
      expect(reserveAttempt({ accountKey: `spray${i}@example.test`, ip, device: null }, now - 60_000 + i).ok).toBe(true);
    }
    const wait = signInRetryAfter({ accountKey: "other@example.test", ip, device: null }, now);
    expect(wait).toBeGreaterThan(13 * 60);
    expect(wait).toBeLessThanOrEqual(14 * 60);
    expect(signInRetryAfter({ accountKey: "other@example.test", ip: freshIp(), device: null }, now)).toBe(0);
  });

  it("keeps the count in the database, so a restart does not reset it", async () => {
    await makeUser({ email: "persist@example.test", password: PASSWORD });
    await fail("persist@example.test", freshIp(), 5);
    closeDb(); // the next query opens a new connection, as a restarted server would
    const again = await attemptSignIn({ email: "persist@example.test", password: PASSWORD, ip: freshIp(), cookieHeader: null });
    expect(again).toMatchObject({ reason: "throttled" });
  });

  it("tells a deactivated person so only when the password is right", async () => {
    const user = await makeUser({ email: "gone@example.test", password: PASSWORD });
    setUserActive({ userId: user.id, active: false });
    const ip = freshIp();
    expect(await attemptSignIn({ email: "gone@example.test", password: "wrong wrong wrong", ip, cookieHeader: null })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await attemptSignIn({ email: "gone@example.test", password: PASSWORD, ip, cookieHeader: null })).toEqual({
      ok: false,
      reason: "deactivated",
    });
  });
});
