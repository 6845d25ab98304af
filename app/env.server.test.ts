import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server";

describe("parseEnv", () => {
  it("needs nothing in demo mode", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ APP_MODE: "demo", DATABASE_PATH: "data/app.db", PORT: 3000, TRUST_PROXY: 0 });
    expect(env.HOST).toBeUndefined();
  });
  it("requires PUBLIC_ORIGIN in production and normalises it", () => {
    expect(() => parseEnv({ APP_MODE: "production" })).toThrow(/PUBLIC_ORIGIN: is required/);
    expect(parseEnv({ APP_MODE: "production", PUBLIC_ORIGIN: "https://academy.example.org/" }).PUBLIC_ORIGIN).toBe(
      "https://academy.example.org",
    );
  });
  it("lists every bad variable at once", () => {
    try {
      parseEnv({ APP_MODE: "staging", PORT: "eighty", TRUST_PROXY: "maybe", PUBLIC_ORIGIN: "ftp://x" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const message = (error as Error).message;
      for (const name of ["APP_MODE", "PORT", "TRUST_PROXY", "PUBLIC_ORIGIN"]) expect(message).toContain(`- ${name}:`);
    }
  });
  it("names the issuing organisation, by default the academy", () => {
    expect(parseEnv({}).ISSUER_NAME).toBe("Cyber Diplomacy Academy");
    expect(parseEnv({ ISSUER_NAME: "  Academia Diplomática del Uruguay " }).ISSUER_NAME).toBe("Academia Diplomática del Uruguay");
    expect(() => parseEnv({ ISSUER_NAME: "   " })).toThrow(/- ISSUER_NAME:/);
    expect(() => parseEnv({ ISSUER_NAME: "x".repeat(121) })).toThrow(/- ISSUER_NAME: must be at most 120 characters/);
  });
  it("reads TRUST_PROXY as a number of proxy hops, the former flags as one or none", () => {
    expect(parseEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(0);
    for (const bad of ["1.5", "-1", "all"]) expect(() => parseEnv({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
  });
});
