import { describe, expect, it } from "vitest";
import { assetPath, getCourse, getLesson, getPublicQuiz, getQuizKey, listEditions } from "./course.server";

// The fixture course, built by tests/support/global-setup.ts.
describe("reading the published course", () => {
  it("lists modules and editions from the build", () => {
    expect(getCourse().modules.map((m) => m.slug)).toEqual(["alpha", "beta", "gamma"]);
    expect(listEditions()).toEqual([{ id: "uruguay", name: "Uruguay" }]);
  });

  it("gives a cohort's edition where the module has one, and the base lesson elsewhere", () => {
    const edition = getLesson("beta", "uruguay")!;
    expect(edition.edition).toBe("uruguay");
    expect(edition.sections.map((s) => s.html).join("")).toContain("EDITION-MARKER-TEXT");
    expect(getLesson("beta", null)!.edition).toBeNull();
    expect(getLesson("alpha", "uruguay")!.edition).toBeNull();
    expect(getLesson("nope")).toBeUndefined();
  });

  it("keeps the public quiz and the key apart", () => {
    expect(JSON.stringify(getPublicQuiz("alpha"))).not.toMatch(/MARKER|correct/);
    expect(getQuizKey("alpha")?.questions[0]?.correct).toEqual(["a"]);
    expect(getPublicQuiz("gamma")).toBeUndefined();
  });

  it("serves only published assets", () => {
    const lesson = getLesson("alpha")!;
    const src = /src="\/course-assets\/alpha\/([^"]+)"/.exec(lesson.sections.map((s) => s.html).join(""))?.[1];
    expect(assetPath("alpha", src!)).toMatch(/diagram\.svg$/);
    expect(assetPath("alpha", "../../course.json")).toBeUndefined();
    expect(assetPath("alpha", "missing.svg")).toBeUndefined();
  });
});
