// One HTML-to-text rule for question analytics, attempts.csv, xAPI and word counts.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { htmlToText } from "~/lib/html-text";
import { wordCount } from "../../scripts/content/lesson";
import { compileQuiz, markdown } from "../../scripts/content/quiz";

describe("htmlToText", () => {
  it("gives the real course's prompts without a space before punctuation", () => {
    const file = "content/modules/threats-and-threat-actors/quiz.yml";
    const { quiz } = compileQuiz({
      source: fs.readFileSync(file, "utf8"),
      displayPath: file,
      objectiveIds: new Set(["LO1", "LO2", "LO3", "LO4", "LO5", "LO6", "LO7", "LO8", "LO9"]),
    });
    const question = quiz!.publicQuiz.questions.find((q) => q.promptHtml.includes("<strong>actor</strong> (who attacks),"))!;
    expect(htmlToText(question.promptHtml)).toBe(
      "Which of these are categories of threat actor (who attacks), rather than types of threat (what happens)? Select all that apply.",
    );
  });

  it("joins inline elements to their neighbours without spaces", () => {
    expect(htmlToText(markdown("See **the** [UN report](https://un.org/x)'s *annex*: `A/RES/70/237`."))).toBe(
      "See the UN report's annex: A/RES/70/237.",
    );
    expect(htmlToText('un<span class="x">believ</span>able, <abbr title="a > b">ICT</abbr>s')).toBe("unbelievable, ICTs");
  });

  it("separates block elements by one space", () => {
    expect(htmlToText(markdown("First paragraph.\n\nSecond one."))).toBe("First paragraph. Second one.");
    expect(htmlToText(markdown("- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |"))).toBe("one two a b 1 2");
    expect(htmlToText("line<br>break<br/>again<hr>end")).toBe("line break again end");
    expect(htmlToText("<h2>Title</h2><p>Text</p>")).toBe("Title Text");
  });

  it("decodes entities after removing tags, so escaped markup stays text", () => {
    expect(htmlToText(markdown('Use `A&B` <b> & "q" it\'s'))).toBe('Use A&B <b> & "q" it\'s');
    expect(htmlToText("it&#x27;s &#39;x&#39; caf&#233; 1&nbsp;000 &ndash; &unknown; &#0;")).toBe("it's 'x' café 1 000 – &unknown; \uFFFD");
    expect(htmlToText("&amp;lt;")).toBe("&lt;");
  });

  it("collapses white space and drops comments", () => {
    expect(htmlToText("  a\n\t <!-- note -->  b  ")).toBe("a b");
  });
});

describe("wordCount", () => {
  it("counts words as the reader sees them", () => {
    expect(wordCount("<p>un<em>believ</em>able text</p><p>next</p>")).toBe(3);
    expect(wordCount("<p>A &amp; B — C.</p>")).toBe(3);
  });
});
