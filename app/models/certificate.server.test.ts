import { describe, expect, it } from "vitest";
import { courseEstimatedMinutes, getCourse } from "~/content/course.server";
import { studyTimeLabel } from "./certificate.server";

describe("study time on a certificate", () => {
  it("is the sum of the modules' estimates: the fixture course's 5 + 4 + 2 minutes", () => {
    expect(getCourse().modules.map((m) => m.estimatedMinutes)).toEqual([5, 4, 2]);
    expect(courseEstimatedMinutes()).toBe(11);
    expect(studyTimeLabel()).toBe("11 minutes of study");
  });
  it("is stated in whole hours from an hour on, half an hour rounding up", () => {
    expect(studyTimeLabel(1)).toBe("1 minute of study");
    expect(studyTimeLabel(60)).toBe("1 hour of study");
    expect(studyTimeLabel(89)).toBe("1 hour of study");
    expect(studyTimeLabel(90)).toBe("2 hours of study");
    // The real course: seven modules of 40 minutes and two of 45.
    expect(studyTimeLabel(7 * 40 + 2 * 45)).toBe("6 hours of study");
  });
});
