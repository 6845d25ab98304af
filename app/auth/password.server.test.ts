import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./password.server";

describe("passwordProblem", () => {
  it("accepts a long passphrase", () => {
    expect(passwordProblem("amber kettle orbit 42")).toBeNull();
  });
  it("rejects short passwords", () => {
    expect(passwordProblem("Sh0rt!pass")).toMatch(/at least 12/);
  });
  it("rejects listed common passwords in any case", () => {
    expect(passwordProblem("Password1234")).toMatch(/too common/);
    expect(passwordProblem("QWERTY123456")).toMatch(/too common/);
  });
  it("rejects a common word padded with digits and symbols", () => {
    expect(passwordProblem("letmein!!2026")).toMatch(/too common/);
  });
  it("rejects repeated characters and sequences", () => {
    expect(passwordProblem("aaaaaaaaaaaaaa")).toMatch(/too common/);
    expect(passwordProblem("abcdefghijklmn")).toMatch(/too common/);
    expect(passwordProblem("98765432109876")).not.toBeNull();
  });
  it("rejects the person's own email name", () => {
    expect(passwordProblem("maria.gonzalez-2026!", ["maria.gonzalez@mrree.gub.uy"])).toMatch(/name or email/);
  });
});

describe("hashing", () => {
  it("hashes with argon2id and a per-hash salt, and verifies", async () => {
    const a = await hashPassword("amber kettle orbit 42");
    const b = await hashPassword("amber kettle orbit 42");
    expect(a).toMatch(/^\$argon2id\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "amber kettle orbit 42")).toBe(true);
    expect(await verifyPassword(a, "amber kettle orbit 43")).toBe(false);
    expect(await verifyPassword("not a hash", "x")).toBe(false);
  });
});
