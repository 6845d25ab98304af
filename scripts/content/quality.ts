// The quality gate of the item banks: figures that reveal test-wise cues (the key is the longest
// choice, or always in the same place), banks too small or too narrow to draw from, and wording the
// item-writing standard forbids. Every threshold is in QUALITY_THRESHOLDS and documented in
// content/README.md. It reads the quiz files itself (base and edition files), so it does not depend
// on how the compiler turns them into artifacts.
import fs from "node:fs";
import path from "node:path";
import { htmlToText } from "~/lib/html-text";
import {
  editionQuizSchema,
  quizSchema,
  type QualityFigures,
  type QualityReport,
} from "~/content/schema";
import { markdown } from "./quiz";
import { Problems, type Problem } from "./problems";
import { parseYaml, validate, type ParsedYaml } from "./yaml";

export const QUALITY_THRESHOLDS = {
  /** Shares and ratios of single-choice items are judged only from this many single-choice items. */
  minSingleForShares: 6,
  /** Share of single-choice items whose key is strictly the longest choice. */
  keyLongestWarn: 0.35,
  keyLongestError: 0.5,
  /**
   * Share of single-choice items whose key is strictly the shortest choice: below this, the mirror cue
   * ("never pick the shortest") beats chance.
   */
  keyShortestWarnBelow: 0.1,
  /** Mean key length over mean distractor length (characters, Markdown stripped), single-choice items. */
  keyRatioWarnBelow: 0.8,
  keyRatioWarnAbove: 1.25,
  keyRatioError: 1.5,
  /** One position holding more than this share of the keys, judged from at least minSingleForPositions keys. */
  keyPositionWarn: 0.4,
  minSingleForPositions: 8,
  /** Multiple-choice items whose keys are exactly the first k choices, judged from at least minMultipleForPrefix items. */
  multiplePrefixWarn: 0.5,
  minMultipleForPrefix: 4,
  /** True-false items: one value (true or false) holding more than this share, from at least minTrueFalse items. */
  trueFalseWarn: 0.75,
  minTrueFalse: 4,
  /** Stems whose word-trigram Jaccard similarity is at least this are near-duplicates. */
  nearDuplicate: 0.6,
  /** Course-wide items per objective, when the course uses banks. */
  perObjectiveCourseWarn: 20,
  /** A bank (when draw is set) smaller than this, or than bankDrawFactor × draw, is warned about. */
  bankWarnBelow: 24,
  bankDrawFactor: 2,
  /** Share of application items, when draw is set. */
  applicationWarnBelow: 0.4,
} as const;

const T = QUALITY_THRESHOLDS;

/** "All of the above" and its relatives: the standard forbids them (they reward partial knowledge). */
// NOTE: "all of them" inside a sentence is ordinary prose ("we heard from all of them"); only a choice that
// points at the other choices is refused.
const FORBIDDEN_CHOICE =
  /\b(?:all|none|both|neither)\s+of\s+(?:the\s+)?(?:above|below|these|(?:other\s+)?(?:options|answers|choices))\b|^\s*(?:all|none|both|neither)(?:\s+of\s+(?:them|those))?\s*[.!]?\s*$/i;

export interface QualityModule {
  slug: string;
  /** The module folder. */
  dir: string;
  objectives: string[];
  /** The base lesson's reviewed date, if any. */
  reviewed: string | null;
}

interface Item {
  id: string;
  file: string;
  line: number;
  column: number;
  objectives: string[];
  section?: string;
  kind?: string;
  type: "single" | "multiple" | "true-false";
  prompt: string;
  choices: { text: string; correct: boolean; feedback?: string; line: number; column: number }[];
  answer?: boolean;
}

interface Bank {
  /** Shown in the table: the module, or module + edition. */
  label: string;
  module: string;
  edition: string | null;
  file: string;
  /** Where problems about the whole bank are reported. */
  at: { line: number; column: number };
  draw: number | null;
  drawAt: { line: number; column: number } | null;
  items: Item[];
  /** The items this file adds (an edition's own; all of them for the base file). */
  own: Item[];
}

const plain = (md: string) => htmlToText(markdown(md)).trim();
const percent = (x: number) => `${Math.round(x * 100)} %`;

function readItems(parsed: ParsedYaml, file: string, questions: Record<string, unknown>[]): Item[] {
  return questions.map((raw, i) => {
    const q = raw as unknown as Omit<Item, "file" | "line" | "column" | "choices"> & {
      choices?: { text: string; correct: boolean; feedback?: string }[];
    };
    const at = parsed.locate(["questions", i]);
    return {
      ...q,
      file,
      line: at.line,
      column: at.column,
      choices: (q.choices ?? []).map((c, j) => ({ ...c, ...parsed.locate(["questions", i, "choices", j]) })),
    };
  });
}

/** Parses a quiz file for the gate; invalid files are left to the compiler's own errors. */
function load(file: string, edition: boolean): { parsed: ParsedYaml; data: { draw?: number; questions: Record<string, unknown>[] } } | null {
  const scratch = new Problems(file);
  const parsed = parseYaml(fs.readFileSync(file, "utf8"), scratch);
  const data = validate(edition ? editionQuizSchema : quizSchema, parsed, scratch, "quiz");
  return data && !scratch.list.length ? { parsed, data } : null;
}

function normaliseStem(prompt: string): string[] {
  return plain(prompt)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .split(/\s+/)
    .filter(Boolean);
}

function trigrams(words: string[]): Set<string> {
  if (words.length < 3) return new Set([words.join(" ")]);
  const out = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  const union = a.size + b.size - both;
  return union ? both / union : 0;
}

function trueFalseValue(item: Item): boolean | null {
  if (item.answer !== undefined) return item.answer;
  const key = item.choices.find((c) => c.correct);
  if (!key) return null;
  const t = plain(key.text).toLowerCase();
  return t.startsWith("true") ? true : t.startsWith("false") ? false : null;
}

/** The figures of a set of items (one bank, or the whole course). */
export function figuresOf(items: Item[], draw: number | null, label: string, module: string | null, edition: string | null): QualityFigures {
  const perObjective: Record<string, number> = {};
  for (const q of items) for (const o of q.objectives) perObjective[o] = (perObjective[o] ?? 0) + 1;
  const singles = items.filter((q) => q.type === "single" && q.choices.length >= 2);
  let longest = 0;
  let shortest = 0;
  let keyChars = 0;
  let distractorChars = 0;
  let distractors = 0;
  const positions: number[] = [];
  for (const q of singles) {
    const lengths = q.choices.map((c) => plain(c.text).length);
    const k = q.choices.findIndex((c) => c.correct);
    if (k < 0) continue;
    const keyLength = lengths[k]!;
    if (lengths.every((l, j) => j === k || l < keyLength)) longest++;
    if (lengths.every((l, j) => j === k || l > keyLength)) shortest++;
    keyChars += keyLength;
    lengths.forEach((l, j) => {
      if (j !== k) {
        distractorChars += l;
        distractors++;
      }
    });
    while (positions.length <= k) positions.push(0);
    positions[k]! += 1;
  }
  const multiples = items.filter((q) => q.type === "multiple");
  const prefix = multiples.filter((q) => {
    const flags = q.choices.map((c) => c.correct);
    const k = flags.filter(Boolean).length;
    return k > 0 && flags.slice(0, k).every(Boolean);
  }).length;
  const tf = { true: 0, false: 0 };
  for (const q of items.filter((x) => x.type === "true-false")) {
    const v = trueFalseValue(q);
    if (v !== null) tf[v ? "true" : "false"]++;
  }
  return {
    label,
    module,
    edition,
    questions: items.length,
    draw,
    perObjective,
    application: items.filter((q) => q.kind === "application").length,
    applicationShare: items.length ? items.filter((q) => q.kind === "application").length / items.length : 0,
    single: singles.length,
    keyLongestShare: singles.length ? longest / singles.length : null,
    keyShortestShare: singles.length ? shortest / singles.length : null,
    keyLengthRatio: singles.length && distractors && distractorChars ? keyChars / singles.length / (distractorChars / distractors) : null,
    keyPositions: positions,
    multiple: multiples.length,
    multiplePrefixShare: multiples.length ? prefix / multiples.length : null,
    trueFalse: tf,
  };
}

/** Problems about a bank's figures and its items. */
/** `largest`: the module's largest bank (base plus one edition's own), which may make up a short base bank. */
function judgeBank(bank: Bank, moduleObjectives: string[], problems: Problem[], largest: number): QualityFigures {
  const f = figuresOf(bank.items, bank.draw, bank.label, bank.module, bank.edition);
  const start = problems.length;
  const report = (severity: Problem["severity"], at: { line: number; column: number }, message: string, file = bank.file) =>
    problems.push({ file, line: at.line, column: at.column, message, severity });
  const whose = bank.edition ? `the ${bank.edition} edition's bank (base and edition questions)` : "this quiz";

  // Test-wise cues.
  if (f.single >= T.minSingleForShares && f.keyLongestShare !== null) {
    const message = `${whose}: the key is strictly the longest choice in ${percent(f.keyLongestShare)} of ${f.single} single-choice questions; at most ${percent(T.keyLongestWarn)} (aim for 25 %, as often as chance): lengthen distractors or shorten keys`;
    if (f.keyLongestShare > T.keyLongestError) report("error", bank.at, message);
    else if (f.keyLongestShare > T.keyLongestWarn) report("warning", bank.at, message);
  }
  if (f.single >= T.minSingleForShares && f.keyShortestShare !== null && f.keyShortestShare < T.keyShortestWarnBelow) {
    report(
      "warning",
      bank.at,
      `${whose}: the key is strictly the shortest choice in only ${percent(f.keyShortestShare)} of ${f.single} single-choice questions; at least ${percent(T.keyShortestWarnBelow)} (aim for 25 %): otherwise "never the shortest" beats chance; write some keys concisely`,
    );
  }
  if (f.single >= T.minSingleForShares && f.keyLengthRatio !== null) {
    const r = f.keyLengthRatio;
    const message = `${whose}: mean key length / mean distractor length is ${r.toFixed(2)} over ${f.single} single-choice questions; keep it between ${T.keyRatioWarnBelow} and ${T.keyRatioWarnAbove}`;
    if (r > T.keyRatioError) report("error", bank.at, message);
    else if (r > T.keyRatioWarnAbove || r < T.keyRatioWarnBelow) report("warning", bank.at, message);
  }
  const keys = f.keyPositions.reduce((a, b) => a + b, 0);
  if (keys >= T.minSingleForPositions) {
    const top = Math.max(...f.keyPositions);
    if (top / keys > T.keyPositionWarn) {
      const at = f.keyPositions.indexOf(top);
      report("warning", bank.at, `${whose}: ${top} of ${keys} single-choice keys (${percent(top / keys)}) are choice ${String.fromCharCode(97 + at)}; spread keys evenly over the positions (at most ${percent(T.keyPositionWarn)} in one)`);
    }
  }
  if (f.multiple >= T.minMultipleForPrefix && f.multiplePrefixShare !== null && f.multiplePrefixShare > T.multiplePrefixWarn) {
    report("warning", bank.at, `${whose}: in ${percent(f.multiplePrefixShare)} of ${f.multiple} multiple-choice questions the keys are exactly the first choices; mix their positions (at most ${percent(T.multiplePrefixWarn)})`);
  }
  const tfCount = f.trueFalse.true + f.trueFalse.false;
  if (tfCount >= T.minTrueFalse) {
    const major = f.trueFalse.true >= f.trueFalse.false ? "true" : "false";
    const share = f.trueFalse[major] / tfCount;
    if (share > T.trueFalseWarn) {
      report("warning", bank.at, `${whose}: ${f.trueFalse[major]} of ${tfCount} true-false questions are ${major}; balance them (at most ${percent(T.trueFalseWarn)} one way)`);
    }
  }

  // Wording and duplicates: reported at the question (or choice) in the file that holds it.
  for (const q of bank.own) {
    for (const c of q.choices) {
      if (FORBIDDEN_CHOICE.test(plain(c.text))) {
        report("error", c, `question "${q.id}": the choice "${plain(c.text)}" is forbidden by the item-writing standard (no "all/none of the above", "both", "neither"); write a real alternative`, q.file);
      }
    }
  }
  const stems = bank.items.map((q) => ({ q, words: normaliseStem(q.prompt) })).map((s) => ({ ...s, grams: trigrams(s.words), text: s.words.join(" ") }));
  const own = new Set(bank.own);
  for (let j = 0; j < stems.length; j++) {
    const b = stems[j]!;
    if (!own.has(b.q)) continue;
    for (let i = 0; i < j; i++) {
      const a = stems[i]!;
      const where = a.q.file === b.q.file ? `line ${a.q.line}` : `${a.q.file}:${a.q.line}`;
      if (a.text === b.text) {
        report("error", b.q, `question "${b.q.id}": the same stem as question "${a.q.id}" (${where}); a retake would meet it twice`, b.q.file);
        break;
      }
      const similarity = jaccard(a.grams, b.grams);
      if (similarity >= T.nearDuplicate) {
        report("warning", b.q, `question "${b.q.id}": its stem is nearly the same as question "${a.q.id}"'s (${where}; ${percent(similarity)} of word triples shared); assess something else or merge them`, b.q.file);
        break;
      }
    }
  }

  // Banks: only when the quiz draws from its bank.
  if (bank.draw !== null) {
    const drawAt = bank.drawAt ?? bank.at;
    const drawFile = bank.file;
    if (f.questions < bank.draw) {
      // A base bank that only an edition's questions bring up to draw is a choice (its other cohorts get
      // every question), not a mistake; a draw no bank of the module can fill is.
      const severity = largest >= bank.draw ? "warning" : "error";
      const why = severity === "warning" ? `; cohorts without an edition of their own get all ${f.questions}` : "";
      report(severity, drawAt, `${whose} has ${f.questions} questions, fewer than draw: ${bank.draw}${why}`, drawFile);
    } else if (f.questions < T.bankWarnBelow || f.questions < T.bankDrawFactor * bank.draw) {
      report("warning", drawAt, `${whose} has ${f.questions} questions; a bank needs at least ${Math.max(T.bankWarnBelow, T.bankDrawFactor * bank.draw)} (${T.bankWarnBelow}, and ${T.bankDrawFactor} × draw) so that retakes meet different questions`, drawFile);
    }
    const withItems = Object.keys(f.perObjective);
    if (bank.draw < withItems.length) {
      report("error", drawAt, `draw: ${bank.draw} cannot cover the ${withItems.length} objectives assessed by ${whose} (${withItems.join(", ")}); draw at least ${withItems.length}`, drawFile);
    }
    const uncovered = moduleObjectives.filter((o) => !f.perObjective[o]);
    if (uncovered.length) {
      report("error", bank.at, `${whose}: objective${uncovered.length > 1 ? "s" : ""} ${uncovered.join(", ")} of the module's frontmatter ${uncovered.length > 1 ? "have" : "has"} no question; every objective of the module must be assessed`);
    }
    if (f.applicationShare < T.applicationWarnBelow) {
      report("warning", bank.at, `${whose}: ${f.application} of ${f.questions} questions (${percent(f.applicationShare)}) are application items (kind: application); at least ${percent(T.applicationWarnBelow)}`);
    }
    for (const q of bank.own) {
      const missing = [
        q.kind ? null : "kind (knowledge or application)",
        q.section ? null : "section (the lesson section it assesses)",
        q.choices.length && q.choices.every((c) => c.feedback) ? null : "feedback on every choice",
      ].filter(Boolean);
      if (missing.length) report("warning", q, `question "${q.id}": give ${missing.join(", ")}`, q.file);
    }
  }
  const mine = problems.slice(start);
  f.errors = mine.filter((p) => p.severity === "error").length;
  f.warnings = mine.length - f.errors;
  return f;
}

/**
 * Runs the gate over every module's quiz files. Problems about a question carry its line; about a
 * whole bank, the line of its `questions:` (or `draw:`) key.
 */
export function assessQuality({
  modules,
  rel,
  objectives,
  objectiveAt,
}: {
  modules: QualityModule[];
  rel: (file: string) => string;
  /** The course's objectives, in order. */
  objectives: string[];
  /** Where course.yml defines the objective with this index. */
  objectiveAt: (index: number) => { file: string; line: number; column: number };
}): { problems: Problem[]; report: QualityReport } {
  const problems: Problem[] = [];
  const banks: { bank: Bank; objectives: string[] }[] = [];
  const baseItems: Item[] = [];
  for (const m of modules) {
    const quizFile = path.join(m.dir, "quiz.yml");
    if (!fs.existsSync(quizFile)) continue;
    const base = load(quizFile, false);
    if (!base) continue;
    const file = rel(quizFile);
    const items = readItems(base.parsed, file, base.data.questions);
    baseItems.push(...items);
    const draw = base.data.draw ?? null;
    const drawAt = draw !== null ? base.parsed.locate(["draw"]) : null;
    banks.push({
      bank: { label: m.slug, module: m.slug, edition: null, file, at: base.parsed.locate(["questions"], true), draw, drawAt, items, own: items },
      objectives: m.objectives,
    });
    const editionsDir = path.join(m.dir, "editions");
    const editionFiles = fs.existsSync(editionsDir) ? fs.readdirSync(editionsDir).filter((f) => f.endsWith(".quiz.yml")).sort() : [];
    for (const name of editionFiles) {
      const edition = name.replace(/\.quiz\.yml$/, "");
      const full = path.join(editionsDir, name);
      const loaded = load(full, true);
      if (!loaded) continue;
      const own = readItems(loaded.parsed, rel(full), loaded.data.questions);
      banks.push({
        bank: {
          label: `${m.slug} (${edition})`,
          module: m.slug,
          edition,
          file: rel(full),
          at: loaded.parsed.locate(["questions"], true),
          draw,
          drawAt: null,
          items: [...items, ...own],
          own,
        },
        objectives: m.objectives,
      });
    }
  }
  const usesBanks = banks.some((b) => b.bank.draw !== null);
  const largest = new Map<string, number>();
  for (const { bank } of banks) largest.set(bank.module, Math.max(largest.get(bank.module) ?? 0, bank.items.length));
  const quizzes = banks.map(({ bank, objectives: o }) => judgeBank(bank, o, problems, largest.get(bank.module) ?? 0));
  const course = figuresOf(baseItems, null, "course", null, null);

  if (usesBanks) {
    objectives.forEach((id, i) => {
      const n = course.perObjective[id] ?? 0;
      // An objective with no question at all is already reported by the build.
      if (n > 0 && n < T.perObjectiveCourseWarn) {
        const at = objectiveAt(i);
        problems.push({ ...at, severity: "warning", message: `objective ${id} is assessed by ${n} questions across the course; at least ${T.perObjectiveCourseWarn}` });
      }
    });
    for (const m of modules) {
      if (!m.reviewed) {
        problems.push({
          file: rel(path.join(m.dir, "lesson.mdx")),
          line: 1,
          column: 1,
          severity: "warning",
          message: `frontmatter: no "reviewed" date; give the date its facts were last checked (e.g. reviewed: 2026-11-30), shown to learners as "content current as of"`,
        });
      }
    }
  }
  return { problems, report: { thresholds: { ...T }, quizzes, course } };
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const padLeft = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s);

export function formatPositions(positions: number[]): string {
  return positions.map((n, i) => `${String.fromCharCode(97 + i)}${n}`).join(" ") || "—";
}

/** The figures as a plain-text table, for content:check. */
export function formatQualityTable(report: QualityReport): string {
  const header = ["Quiz", "Qs", "Draw", "Per objective", "Appl.", "Longest", "Shortest", "Ratio", "Key positions", "MC prefix", "T/F (t:f)", "Problems"];
  const rows = [...report.quizzes, report.course].map((f) => [
    f.label,
    String(f.questions),
    f.draw === null ? "—" : String(f.draw),
    Object.entries(f.perObjective)
      .sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))
      .map(([o, n]) => `${o}:${n}`)
      .join(" "),
    percent(f.applicationShare),
    f.keyLongestShare === null ? "—" : `${percent(f.keyLongestShare)} of ${f.single}`,
    f.keyShortestShare === null ? "—" : percent(f.keyShortestShare),
    f.keyLengthRatio === null ? "—" : f.keyLengthRatio.toFixed(2),
    formatPositions(f.keyPositions),
    f.multiplePrefixShare === null ? "—" : `${percent(f.multiplePrefixShare)} of ${f.multiple}`,
    `${f.trueFalse.true}:${f.trueFalse.false}`,
    f.errors === undefined ? "" : `${f.errors} E, ${f.warnings} W`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = new Set([1, 2, 4, 5, 6, 7]);
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? padLeft(c, widths[i]!) : pad(c, widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
