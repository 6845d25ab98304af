import { describe, expect, it } from "vitest";
import { makeUser } from "~/models/factories.server";
import { attemptSignIn } from "./sign-in.server";
import { DEVICE_FREE_FAILURES, IP_MAX_FAILURES, reserveAttempt } from "./throttle.server";

const PASSWORD = "amber kettle orbit 42";
let ipSeq = 0;
const freshIp = () => `10.1.0.${++ipSeq}`;

async function fail(email: string, ip: string, times: number) {
  for (let i = 0; i < times; i++) {
    const r = await attemptSignIn({ email, password: "wrong password!", ip, cookieHeader: null });
    expect(r).toEqual({ ok: false, reason: "invalid" });
  }
}

/** Signs in once from a fresh browser and returns the device cookie it was given. */
async function trustedDeviceOf(email: string): Promise<string> {
  const first = await attemptSignIn({ email, password: PASSWORD, ip: freshIp(), cookieHeader: null });
  if (!first.ok) throw new Error("sign-in failed");
  return first.setCookies[1]!.split(";")[0]!;
}

describe("the sign-in throttle", () => {
  it("evaluates exactly 5 passwords of 30 parallel wrong sign-ins on one account", async () => {
    await makeUser({ email: "race@example.test", password: PASSWORD });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        attemptSignIn({ email: "race@example.test", password: `wrong guess ${i}!`, ip: freshIp(), cookieHeader: null }),
      ),
    );
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(25);
  });

  it("an address over its failure limit still lets a trusted device in with the right password", async () => {
    await makeUser({ email: "colleague@example.test", password: PASSWORD });
    const device = await trustedDeviceOf("colleague@example.test");
    // One attacker behind the ministry's shared address uses up its failure budget.
    const nat = freshIp();
    for (let i = 0; i < IP_MAX_FAILURES; i++) expect(reserveAttempt({ accountKey: `spray${i}@example.test`, ip: nat, device: null }).ok).toBe(true);

    const stranger = await attemptSignIn({ email: "colleague@example.test", password: PASSWORD, ip: nat, cookieHeader: null });
    expect(stranger).toMatchObject({ ok: false, reason: "throttled" });
    const colleague = await attemptSignIn({ email: "colleague@example.test", password: PASSWORD, ip: nat, cookieHeader: device });
    expect(colleague.ok).toBe(true);
  });

  it("a trusted device has a finite budget of guesses on its account", async () => {
    await makeUser({ email: "shared-pc@example.test", password: PASSWORD });
    const device = await trustedDeviceOf("shared-pc@example.test");
    for (let i = 0; i < DEVICE_FREE_FAILURES; i++) {
      const r = await attemptSignIn({ email: "shared-pc@example.test", password: `guess number ${i}`, ip: freshIp(), cookieHeader: device });
      expect(r).toEqual({ ok: false, reason: "invalid" });
    }
    const next = await attemptSignIn({ email: "shared-pc@example.test", password: PASSWORD, ip: freshIp(), cookieHeader: device });
    expect(next).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("a device trusted for another account gives no pass on this one", async () => {
    await makeUser({ email: "mine@example.test", password: PASSWORD });
    await makeUser({ email: "theirs@example.test", password: PASSWORD });
    const device = await trustedDeviceOf("mine@example.test");
    await fail("theirs@example.test", freshIp(), 5);
    const r = await attemptSignIn({ email: "theirs@example.test", password: PASSWORD, ip: freshIp(), cookieHeader: device });
    expect(r).toMatchObject({ reason: "throttled" });
  });
});
