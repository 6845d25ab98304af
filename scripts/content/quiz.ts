// Validates a quiz.yml and splits it into what the browser may see and the server-only key.
import { createHash } from "node:crypto";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import type { z } from "zod";
import { editionQuizSchema, type questionSchema, quizSchema, type PublicQuiz, type QuizKey } from "~/content/schema";
import { Problems } from "./problems";
import { parseYaml, validate, type ParsedYaml } from "./yaml";

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
  /** The base bank's questions per objective. */
  questionsPerObjective: Record<string, number>;
  /** Each edition's own questions, per objective. */
  editions: Record<string, { questionCount: number; questionsPerObjective: Record<string, number> }>;
}

/** An edition's own questions (`editions/<edition>.quiz.yml`), checked against that edition's lesson. */
export interface EditionQuizSource {
  edition: string;
  source: string;
  displayPath: string;
  /** The section ids of the lesson this edition's learners read (its own, or the base lesson). */
  sectionIds: Set<string> | null;
}

type Question = z.infer<typeof questionSchema>;

/** Checks one file's questions; ids must be unique across the base bank and every edition's. */
function checkQuestions(
  questions: Question[],
  parsed: ParsedYaml,
  problems: Problems,
  context: { objectiveIds: Set<string>; sectionIds: Set<string> | null; lessonName: string; ids: Map<string, string> },
) {
  const { objectiveIds, sectionIds, lessonName, ids } = context;
  questions.forEach((q, i) => {
    const at = (path: (string | number)[]) => parsed.locate(["questions", i, ...path]);
    const where = at([]);
    const label = `question "${q.id}"`;
    if (ids.has(q.id)) {
      problems.error(where.line, where.column, `${label}: the id "${q.id}" is already used ${ids.get(q.id)}; question ids must be unique in the module, its editions' questions included`);
    } else {
      ids.set(q.id, `on line ${where.line} of ${problems.file}`);
    }
    q.objectives.forEach((o, j) => {
      if (!objectiveIds.has(o)) {
        const p = at(["objectives", j]);
        problems.error(p.line, p.column, `${label}: unknown objective "${o}"; course.yml defines ${[...objectiveIds].join(", ")}`);
      }
    });
    if (q.section !== undefined && sectionIds && !sectionIds.has(q.section)) {
      const p = at(["section"]);
      problems.error(
        p.line,
        p.column,
        `${label}: unknown section "${q.section}"; ${lessonName} has ${sectionIds.size ? [...sectionIds].join(", ") : "no sections"}`,
      );
    }
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
}

const truthRank = (text: string) => ({ true: 0, false: 2 })[text.trim().toLowerCase()] ?? 1;

function perObjective(questions: Question[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const q of questions) for (const o of q.objectives) out[o] = (out[o] ?? 0) + 1;
  return out;
}

/**
 * Compiles a module's quiz.yml and its editions' quiz files into one bank: the public part (no
 * correctness) and the server-only key, both with every edition's questions marked as such.
 */
export function compileQuiz({
  source,
  displayPath,
  objectiveIds,
  sectionIds = null,
  editions = [],
}: {
  source: string;
  displayPath: string;
  objectiveIds: Set<string>;
  /** The base lesson's section ids; null skips the check (the lesson itself did not compile). */
  sectionIds?: Set<string> | null;
  editions?: EditionQuizSource[];
}): { quiz?: CompiledQuiz; problems: Problems; editionProblems: Problems[] } {
  const problems = new Problems(displayPath);
  const editionProblems: Problems[] = [];
  const all = [problems];
  const parsed = parseYaml(source, problems);
  const quiz = validate(quizSchema, parsed, problems, "quiz");
  const ids = new Map<string, string>();
  if (quiz) checkQuestions(quiz.questions, parsed, problems, { objectiveIds, sectionIds, lessonName: "lesson.mdx", ids });

  const editionBanks: { edition: string; questions: Question[] }[] = [];
  for (const e of [...editions].sort((a, b) => a.edition.localeCompare(b.edition))) {
    const p = new Problems(e.displayPath);
    all.push(p);
    editionProblems.push(p);
    const parsedEdition = parseYaml(e.source, p);
    const bank = validate(editionQuizSchema, parsedEdition, p, "edition quiz");
    if (!bank) continue;
    checkQuestions(bank.questions, parsedEdition, p, { objectiveIds, sectionIds: e.sectionIds, lessonName: `the ${e.edition} edition's lesson`, ids });
    editionBanks.push({ edition: e.edition, questions: bank.questions });
  }
  if (!quiz || all.some((p) => p.list.some((x) => x.severity === "error"))) return { problems, editionProblems };

  // The version covers every file of the bank: an edition's change opens new attempts too. A module
  // without edition questions keeps the version its quiz.yml alone gave.
  const hash = createHash("sha256").update(source);
  for (const e of [...editions].sort((a, b) => a.edition.localeCompare(b.edition))) hash.update("\0").update(e.edition).update("\0").update(e.source);
  const version = hash.digest("hex").slice(0, 16);

  const normalised = [
    ...quiz.questions.map((q) => ({ q, edition: null as string | null })),
    ...editionBanks.flatMap(({ edition, questions }) => questions.map((q) => ({ q, edition }))),
  ].map(({ q, edition }) => ({
    ...q,
    edition,
    choices: q.choices
      ? // True before False whatever the order written: the server shuffles every other question's choices.
        q.type === "true-false"
        ? [...q.choices].sort((a, b) => truthRank(a.text) - truthRank(b.text))
        : q.choices
      : [
          { id: "true", text: "True", correct: q.answer === true, feedback: undefined },
          { id: "false", text: "False", correct: q.answer === false, feedback: undefined },
        ],
  }));
  return {
    quiz: {
      questionsPerObjective: perObjective(quiz.questions),
      editions: Object.fromEntries(
        editionBanks.map(({ edition, questions }) => [edition, { questionCount: questions.length, questionsPerObjective: perObjective(questions) }]),
      ),
      publicQuiz: {
        version,
        passingScore: quiz.passingScore,
        maxAttempts: quiz.maxAttempts ?? null,
        shuffle: quiz.shuffle,
        draw: quiz.draw ?? null,
        questions: normalised.map((q) => ({
          id: q.id,
          type: q.type,
          objectives: q.objectives,
          section: q.section ?? null,
          kind: q.kind ?? null,
          edition: q.edition,
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
    editionProblems,
  };
}
