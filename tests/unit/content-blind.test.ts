// Issue 11, "Must show": content-blind strategies must not pass the REAL course's quizzes. The
// course in content/ is built into a temporary release, and every module's quiz is played as a
// learner meets it (openAttempt → attemptQuestions → submitAttempt: drawn and shuffled by the
// server, graded by it), by standard and Uruguay-edition learners, many attempts per strategy.
//
// The bounds:
// - passes: no more than a pure guesser could reach by luck. p0, a guesser's chance to pass an
//   attempt, is computed exactly from the served attempts (each question right with its chance
//   probability); the bound is the largest number of passes in N attempts whose probability under
//   Binomial(N, p0) is above 1e-6, so a strategy at chance fails this test about once in a million
//   runs per (module, strategy), and one that reads cues (it passes with a high probability) fails
//   it at once. With draw: 10, a pass mark of 70 % and four choices, p0 ≈ 0.35 % and, for 100
//   attempts, the bound is 6 passes (the bound is computed for the number of attempts played).
// - mean score within MEAN_TOLERANCE of chance, both ways (a strategy far below chance is a cue
//   too: its opposite beats chance). Chance per served question: 1/k for a single or true-false
//   question of k choices, 1/(2^k − 1) for a multiple one (one of the non-empty subsets). The
//   tolerance is 8 points: the quality gate lets the key be the longest choice in up to 30 % of the
//   single-choice questions (chance 25 %), about +5 points on a quiz, and 100 attempts of 10
//   questions measure a mean to about ±1 point.
import fs from "node:fs";
import path from "node:path";
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Before any import reads the environment: this file's server reads the real course's release.
vi.hoisted(() => {
  process.env.CONTENT_BUILD_DIR = `${process.env.TMPDIR ?? "/tmp"}/cda-blind-${process.pid}-${Date.now()}`;
});

import { getCourse, getPublicQuiz, type PublicQuiz } from "~/content/course.server";
import { htmlToText } from "~/lib/html-text";
import { makeCohort, makeUserSync } from "~/models/factories.server";
import { attemptQuestions, openAttempt, submitAttempt } from "~/models/quiz.server";
import { buildContent } from "../../scripts/content/build";
import { formatProblem } from "../../scripts/content/problems";

const ATTEMPTS = Number(process.env.CONTENT_BLIND_ATTEMPTS ?? 100);
/** A comma-separated list of module slugs plays only those (for authors working on one bank). */
const ONLY = process.env.CONTENT_BLIND_MODULES?.split(",").filter(Boolean);
const MEAN_TOLERANCE = 0.08;
const outDir = process.env.CONTENT_BUILD_DIR!;

type Served = PublicQuiz["questions"][number];
type Choice = Served["choices"][number];
const text = (c: Choice) => htmlToText(c.html);
const words = (s: string) => new Set(s.toLowerCase().match(/[a-z]{4,}/g) ?? []);
const pickRandom = <T,>(items: T[]): T => items[randomInt(items.length)]!;
const longest = (cs: Choice[]) => cs.reduce((a, b) => (text(b).length > text(a).length ? b : a));
const shortest = (cs: Choice[]) => cs.reduce((a, b) => (text(b).length < text(a).length ? b : a));
const truth = (q: Served, value: boolean) => q.choices.find((c) => text(c).trim().toLowerCase() === String(value)) ?? q.choices[value ? 0 : 1]!;
function randomAnswer(q: Served): string[] {
  if (q.type !== "multiple") return [pickRandom(q.choices).id];
  for (;;) {
    const subset = q.choices.filter(() => randomInt(2) === 1).map((c) => c.id);
    if (subset.length) return subset;
  }
}

/** What each strategy ticks for a question as served (choices in the order shown). */
const STRATEGIES: Record<string, (q: Served) => string[]> = {
  "longest choice (multiple: the longer half)": (q) => {
    if (q.type !== "multiple") return [longest(q.choices).id];
    const mean = q.choices.reduce((n, c) => n + text(c).length, 0) / q.choices.length;
    return q.choices.filter((c) => text(c).length >= mean).map((c) => c.id);
  },
  "shortest choice": (q) => [shortest(q.choices).id],
  "first choice shown": (q) => [q.choices[0]!.id],
  "second choice shown": (q) => [q.choices[1]!.id],
  "last choice shown": (q) => [q.choices.at(-1)!.id],
  "first two choices of a multiple (else first)": (q) => q.choices.slice(0, q.type === "multiple" ? 2 : 1).map((c) => c.id),
  "first three choices of a multiple (else first)": (q) => q.choices.slice(0, q.type === "multiple" ? 3 : 1).map((c) => c.id),
  "every choice of a multiple (else random)": (q) => (q.type === "multiple" ? q.choices.map((c) => c.id) : randomAnswer(q)),
  '"all true" (else random)': (q) => (q.type === "true-false" ? [truth(q, true).id] : randomAnswer(q)),
  '"all false" (else random)': (q) => (q.type === "true-false" ? [truth(q, false).id] : randomAnswer(q)),
  "most words shared with the prompt": (q) => {
    const stem = words(htmlToText(q.promptHtml));
    const overlap = (c: Choice) => [...words(text(c))].filter((w) => stem.has(w)).length;
    return [q.choices.reduce((a, b) => (overlap(b) > overlap(a) ? b : a)).id];
  },
  "test-wise (longest, first three of a multiple, False)": (q) =>
    q.type === "true-false" ? [truth(q, false).id] : q.type === "multiple" ? q.choices.slice(0, 3).map((c) => c.id) : [longest(q.choices).id],
  random: randomAnswer,
};

const chanceOf = (q: Served) => (q.type === "multiple" ? 1 / (2 ** q.choices.length - 1) : 1 / q.choices.length);

/** P(score ≥ pass mark) for a guesser who gets each question right with its chance probability. */
function guessPassProbability(chances: number[], passingScore: number): number {
  let dist = [1];
  for (const p of chances) {
    const next = new Array<number>(dist.length + 1).fill(0);
    dist.forEach((v, k) => {
      next[k] = next[k]! + v * (1 - p);
      next[k + 1] = next[k + 1]! + v * p;
    });
    dist = next;
  }
  return dist.reduce((sum, v, k) => (chances.length && k / chances.length >= passingScore - 1e-12 ? sum + v : sum), 0);
}

interface Row {
  module: string;
  learners: string;
  strategy: string;
  mean: number;
  chance: number;
  passRate: number;
  passBound: number;
  ok: boolean;
}

const rows: Row[] = [];

beforeAll(async () => {
  const result = await buildContent({ contentDir: path.resolve("content"), outDir });
  if (!result.ok) throw new Error(`the course does not build:\n${result.problems.map(formatProblem).join("\n")}`);
}, 120_000);
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

function play(slug: string, edition: string | null, strategy: (q: Served) => string[]) {
  const quiz = getPublicQuiz(slug)!;
  const cohort = makeCohort({ edition });
  // Each learner plays as many attempts as the quiz allows (at most 5), so retakes are drawn too.
  const perLearner = Math.min(quiz.maxAttempts ?? 5, 5);
  let userId = "";
  let scores = 0;
  let passes = 0;
  let chance = 0;
  let guessPass = 0;
  for (let i = 0; i < ATTEMPTS; i++) {
    if (i % perLearner === 0) userId = makeUserSync({ role: "learner", cohortId: cohort.id, passwordHash: null }).id;
    const attempt = openAttempt({ userId, slug });
    const served = attemptQuestions(attempt, quiz);
    const chances = served.map(chanceOf);
    chance += chances.reduce((a, b) => a + b, 0) / served.length;
    guessPass += guessPassProbability(chances, quiz.passingScore);
    const answers = new Map(served.map((q) => [q.id, strategy(q)]));
    const graded = submitAttempt({ userId, slug, attemptId: attempt.id, answers }).attempt;
    scores += graded.score ?? 0;
    if (graded.passed) passes++;
  }
  return {
    mean: scores / ATTEMPTS,
    chance: chance / ATTEMPTS,
    passRate: passes / ATTEMPTS,
    passBound: luckyPasses(ATTEMPTS, guessPass / ATTEMPTS) / ATTEMPTS,
  };
}

/** The largest number of passes in n attempts that a guesser passing with probability p reaches with probability > 1e-6. */
function luckyPasses(n: number, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return n;
  const pmf = [Math.pow(1 - p, n)];
  for (let k = 0; k < n; k++) pmf.push((pmf[k]! * (n - k) * p) / ((k + 1) * (1 - p)));
  let tail = 0;
  for (let k = n; k >= 0; k--) {
    tail += pmf[k]!;
    if (tail > 1e-6) return k;
  }
  return n;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

describe("content-blind strategies against the real course's quizzes, as served", () => {
  it(
    `pass no quiz and score within ${MEAN_TOLERANCE * 100} points of chance (${ATTEMPTS} attempts per strategy, module and edition)`,
    () => {
      const course = getCourse();
      for (const module of course.modules.filter((m) => m.quiz && (!ONLY || ONLY.includes(m.slug)))) {
        // A Uruguay learner's bank differs only where the module has Uruguay questions.
        const editions = [null, ...course.editions.map((e) => e.id).filter((e) => module.quiz?.editions?.[e])];
        for (const edition of editions) {
          for (const [name, strategy] of Object.entries(STRATEGIES)) {
            const r = play(module.slug, edition, strategy);
            rows.push({
              module: module.slug,
              learners: edition ?? "standard",
              strategy: name,
              ...r,
              ok: r.passRate <= r.passBound && Math.abs(r.mean - r.chance) <= MEAN_TOLERANCE,
            });
          }
        }
      }
      const table = rows
        .map(
          (r) =>
            `${r.ok ? "ok  " : "FAIL"} ${r.module} [${r.learners}] ${r.strategy}: mean ${pct(r.mean)} (chance ${pct(r.chance)}), ` +
            `passed ${pct(r.passRate)} (bound ${pct(r.passBound)})`,
        )
        .join("\n");
      console.log(`Content-blind strategies, ${ATTEMPTS} attempts each:\n${table}`);
      const failures = rows.filter((r) => !r.ok);
      expect(
        failures.map((r) => `${r.module} [${r.learners}] ${r.strategy}`),
        `${failures.length} of ${rows.length} (module, strategy) pairs beat chance or pass:\n${table}`,
      ).toEqual([]);
    },
    900_000,
  );
});
