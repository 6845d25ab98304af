// Validates a quiz.yml and splits it into what the browser may see and the server-only key.
import { createHash } from "node:crypto";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { quizSchema, type PublicQuiz, type QuizKey } from "~/content/schema";
import { Problems } from "./problems";
import { parseYaml, validate } from "./yaml";

/** Markdown to HTML; raw HTML in the source is escaped, never passed through. */
export function markdown(value: string): string {
  return micromark(value, { extensions: [gfm()], htmlExtensions: [gfmHtml()] }).trim();
}

/** A one-paragraph value rendered without its <p>, for use inline (choices, feedback). */
function inline(value: string): string {
  const html = markdown(value);
  const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return single && !single[1]!.includes("<p>") ? single[1]! : html;
}

export interface CompiledQuiz {
  publicQuiz: PublicQuiz;
  key: QuizKey;
  questionsPerObjective: Record<string, number>;
}

export function compileQuiz({
  source,
  displayPath,
  objectiveIds,
}: {
  source: string;
  displayPath: string;
  objectiveIds: Set<string>;
}): { quiz?: CompiledQuiz; problems: Problems } {
  const problems = new Problems(displayPath);
  const parsed = parseYaml(source, problems);
  const quiz = validate(quizSchema, parsed, problems, "quiz");
  if (!quiz) return { problems };

  const questionLines = new Map<string, number>();
  quiz.questions.forEach((q, i) => {
    const at = (path: (string | number)[]) => parsed.locate(["questions", i, ...path]);
    const where = at([]);
    const label = `question "${q.id}"`;
    if (questionLines.has(q.id)) {
      problems.error(where.line, where.column, `${label}: the id "${q.id}" is already used on line ${questionLines.get(q.id)}; question ids must be unique in the module`);
    }
    questionLines.set(q.id, where.line);
    q.objectives.forEach((o, j) => {
      if (!objectiveIds.has(o)) {
        const p = at(["objectives", j]);
        problems.error(p.line, p.column, `${label}: unknown objective "${o}"; course.yml defines ${[...objectiveIds].join(", ")}`);
      }
    });
    if (q.type === "true-false") {
      if (q.choices && q.answer !== undefined) {
        problems.error(where.line, where.column, `${label}: a true-false question gives either "answer" or "choices", not both`);
      } else if (!q.choices && q.answer === undefined) {
        problems.error(where.line, where.column, `${label}: a true-false question needs "answer: true" or "answer: false"`);
      }
    } else if (q.answer !== undefined) {
      const p = at(["answer"]);
      problems.error(p.line, p.column, `${label}: "answer" is only for true-false questions; mark choices with "correct: true"`);
    }
    const choices = q.choices ?? [];
    if (q.type !== "true-false" || q.choices) {
      if (choices.length < 2) {
        problems.error(where.line, where.column, `${label}: give at least two choices`);
      }
      const seen = new Map<string, number>();
      choices.forEach((c, j) => {
        const p = at(["choices", j]);
        if (seen.has(c.id)) {
          problems.error(p.line, p.column, `${label}: choice id "${c.id}" is used twice (also on line ${seen.get(c.id)})`);
        }
        seen.set(c.id, p.line);
      });
      const correct = choices.filter((c) => c.correct).length;
      const c = at(["choices"]);
      if ((q.type === "single" || q.type === "true-false") && correct !== 1) {
        problems.error(c.line, c.column, `${label}: a ${q.type} question needs exactly one choice with "correct: true" (found ${correct})`);
      }
      if (q.type === "multiple" && correct === 0) {
        problems.error(c.line, c.column, `${label}: a multiple-choice question needs at least one choice with "correct: true"`);
      }
    }
  });
  if (problems.list.length) return { problems };

  const version = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const questionsPerObjective: Record<string, number> = {};
  for (const q of quiz.questions) for (const o of q.objectives) questionsPerObjective[o] = (questionsPerObjective[o] ?? 0) + 1;

  const normalised = quiz.questions.map((q) => ({
    ...q,
    choices:
      q.choices ??
      [
        { id: "true", text: "True", correct: q.answer === true, feedback: undefined },
        { id: "false", text: "False", correct: q.answer === false, feedback: undefined },
      ],
  }));
  return {
    quiz: {
      questionsPerObjective,
      publicQuiz: {
        version,
        passingScore: quiz.passingScore,
        maxAttempts: quiz.maxAttempts ?? null,
        shuffle: quiz.shuffle,
        questions: normalised.map((q) => ({
          id: q.id,
          type: q.type,
          objectives: q.objectives,
          promptHtml: markdown(q.prompt),
          choices: q.choices.map((c) => ({ id: c.id, html: inline(c.text) })),
        })),
      },
      key: {
        version,
        questions: normalised.map((q) => ({
          id: q.id,
          correct: q.choices.filter((c) => c.correct).map((c) => c.id),
          feedbackHtml: Object.fromEntries(q.choices.filter((c) => c.feedback).map((c) => [c.id, inline(c.feedback ?? "")])),
          explanationHtml: markdown(q.explanation),
        })),
      },
    },
    problems,
  };
}
