import { describe, expect, it } from "vitest";
import { levelText, resultText } from "./exercise";
import { rubricFormSchema } from "./form-schemas.server";
import { MAX_REVIEW_COMMENT } from "./rules";
import { parseForm } from "./forms.server";

const levels = [
  { score: 0, label: "Missing", descriptor: "Not there." },
  { score: 1, label: "Partial", descriptor: "Named only." },
  { score: 2, label: "Full", descriptor: "Set out." },
];
const exercise = {
  rubric: [
    { id: "analysis", criterion: "Identifies the threat", objectives: ["LO5"], levels },
    { id: "action", criterion: "Recommends a response", objectives: ["LO6"], levels: levels.slice(0, 2) },
  ],
};
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};

describe("rubricFormSchema, the one reading of a rubric form", () => {
  it("gives the levels by criterion id and, for a form without a text, no text", () => {
    const parsed = parseForm(form({ "criterion.analysis": "2", "criterion.action": "0", intent: "self-assess" }), rubricFormSchema(exercise));
    expect(parsed).toEqual({ ok: true, data: { levels: { analysis: "2", action: "0" }, text: null } });
  });

  it("reads the form's text under its own name, as the model stores it", () => {
    const fields = { "criterion.analysis": "1", "criterion.action": "1" };
    const comment = parseForm(form({ ...fields, comment: "  Clear.\r\nThanks.  " }), rubricFormSchema(exercise, { name: "comment", label: "comment" }));
    expect(comment.ok && comment.data.text).toBe("Clear.\nThanks.");
    const feedback = parseForm(form({ ...fields, feedback: "Sound." }), rubricFormSchema(exercise, { name: "feedback", label: "feedback" }));
    expect(feedback.ok && feedback.data).toEqual({ levels: { analysis: "1", action: "1" }, text: "Sound." });
    const none = parseForm(form(fields), rubricFormSchema(exercise, { name: "feedback", label: "feedback" }));
    expect(none.ok && none.data.text).toBe("");
  });

  it("shows every level error beside its group and the text's error in the same round", () => {
    const long = "x".repeat(MAX_REVIEW_COMMENT + 1);
    const parsed = parseForm(form({ "criterion.analysis": "9", feedback: long }), rubricFormSchema(exercise, { name: "feedback", label: "feedback" }));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.fieldErrors).toEqual({
      "criterion.analysis": 'Choose a level for "Identifies the threat".',
      "criterion.action": 'Choose a level for "Recommends a response".',
      feedback: `Keep the feedback to ${MAX_REVIEW_COMMENT} characters.`,
    });
  });
});

describe("levelText and resultText, the one wording of a level given", () => {
  it("says the score out of the highest level, with the level's label", () => {
    expect(levelText(levels, 1)).toBe("1 of 2 · Partial");
    expect(levelText(levels, null)).toBe("No level");
    expect(resultText(levels, { score: 2, source: "instructor" })).toBe("2 of 2 · Full (instructor's level)");
  });

  it("gives a peers' median between two levels without a label", () => {
    expect(resultText(levels, { score: 1.5, source: "peers" })).toBe("1.5 of 2 (median of the peers)");
  });
});
