import { describe, expect, it } from "vitest";
import { neutralise } from "./csv.server";

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
