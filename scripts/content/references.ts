// Key terms and sources as the course cites them from many modules: one normalised key each, so
// "A/RES/70/ 237" and "A/RES/70/237", or a title with and without "(publisher)", are one entry.
import type { GlossaryEntry, SourceRef } from "~/content/schema";
import type { Problem } from "./problems";

/** Where an author wrote a term or a source. */
export interface Cited<T> {
  value: T;
  module: string;
  file: string;
  line: number;
}

export type CourseSource = SourceRef & { modules: string[] };

/** Case, accents' composed forms, punctuation, dashes and parenthetical additions do not count. */
function words(text: string): string[] {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\([^)]*\)/g, " ")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export function termKey(term: string): string {
  return words(term).join(" ") || term.trim().toLowerCase();
}

/** A document symbol without spacing, case or a leading kind of document ("Decree 43542" = "43542"). */
export function symbolKey(symbol: string): string {
  return symbol
    .normalize("NFKC")
    .toLowerCase()
    .replace(/^(?:council\s+)?(?:decree|decision|regulation|resolution|doc\.?|document)\s+/, "")
    .replace(/\s+/g, "");
}

const MIN_SHARED_WORDS = 3;

/**
 * Two citations name one document when their symbols agree, or, without a second symbol to tell
 * them apart and with no other year, when one title is the other with words added before or after
 * ("Tallinn Manual 2.0 …" and "Tallinn Manual 2.0 … (Cambridge University Press)").
 */
export function sameDocument(a: SourceRef, b: SourceRef): boolean {
  if (a.symbol && b.symbol) return symbolKey(a.symbol) === symbolKey(b.symbol);
  if (a.year !== undefined && b.year !== undefined && a.year !== b.year) return false;
  const [x, y] = [words(a.title), words(b.title)].sort((p, q) => p.length - q.length) as [string[], string[]];
  if (x.length < MIN_SHARED_WORDS && x.length !== y.length) return false;
  const starts = x.every((w, i) => y[i] === w);
  const ends = x.every((w, i) => y[y.length - x.length + i] === w);
  return starts || ends;
}

/** Citations that cannot be one document, whatever their titles: two symbols, or two years under different symbols. */
function compatible(a: SourceRef, b: SourceRef): boolean {
  const symbols = a.symbol && b.symbol ? symbolKey(a.symbol) === symbolKey(b.symbol) : null;
  if (symbols === false) return false;
  return symbols === true || a.year === undefined || b.year === undefined || a.year === b.year;
}

const completeness = (s: SourceRef) => [Number(!!s.symbol) + Number(!!s.url) + Number(s.year !== undefined), s.title.length];

/** The spelling written most often, the first cited on a tie. */
function usual(spellings: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const s of spellings) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].reduce<[string, number] | undefined>((top, c) => (!top || c[1] > top[1] ? c : top), undefined)?.[0];
}

/**
 * The most complete variant (symbol, address, year, then the longest title), gaps filled from the
 * others; the symbol as most citations write it.
 */
function mergeVariants(variants: SourceRef[]): SourceRef {
  const [best] = [...variants].sort((a, b) => {
    const [ca, cb] = [completeness(a), completeness(b)];
    return cb[0]! - ca[0]! || cb[1]! - ca[1]!;
  }) as [SourceRef];
  return {
    ...best,
    symbol: usual(variants.flatMap((v) => (v.symbol ? [v.symbol] : []))),
    year: best.year ?? variants.find((v) => v.year !== undefined)?.year,
    url: best.url ?? variants.find((v) => v.url)?.url,
  };
}

const place = (c: Cited<unknown>) => `${c.file}:${c.line}`;
const label = (s: SourceRef) => (s.symbol ? `"${s.title}" (${s.symbol})` : `"${s.title}"`);
const literally = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.trim().replace(/\s+/g, " ").toLowerCase() === b.trim().replace(/\s+/g, " ").toLowerCase();
/** Written alike: the same symbol, or the same title, as typed. A short title beside a symbol is a citation, not a variant. */
const alike = (a: SourceRef, b: SourceRef) => literally(a.symbol, b.symbol) || literally(a.title, b.title);

/**
 * One entry per document, in the order first cited, merged to its most complete variant. A variant
 * spelled differently is a warning at its place, naming the first; the same symbol with two years
 * cannot be merged and is an error.
 */
export function mergeSources(cited: Cited<SourceRef>[]): { sources: CourseSource[]; problems: Problem[] } {
  const groups: Cited<SourceRef>[][] = [];
  const problems: Problem[] = [];
  for (const c of cited) {
    const group = groups.find((g) => g.some((m) => sameDocument(m.value, c.value)) && g.every((m) => compatible(m.value, c.value)));
    if (group) group.push(c);
    else groups.push([c]);
  }
  const sources = groups.map((group) => {
    const first = group[0]!;
    const merged = mergeVariants(group.map((c) => c.value));
    group.forEach((c, i) => {
      if (i === 0) return;
      const conflict = group.slice(0, i).find((m) => m.value.year !== undefined && c.value.year !== undefined && m.value.year !== c.value.year);
      if (!conflict && group.slice(0, i).some((m) => alike(m.value, c.value))) return;
      problems.push({
        file: c.file,
        line: c.line,
        column: 1,
        severity: conflict ? "error" : "warning",
        message: conflict
          ? `source ${label(c.value)} has the symbol of ${label(conflict.value)} at ${place(conflict)} but the year ${c.value.year}, not ${conflict.value.year}; correct one of them`
          : `source ${label(c.value)} is the document cited as ${label(first.value)} at ${place(first)}; the course lists it once, as ${label(merged)}: write it the same way in both places`,
      });
    });
    return { ...merged, modules: [...new Set(group.map((c) => c.module))] };
  });
  return { sources, problems };
}

/**
 * One entry per term. A term written or defined differently in another module keeps its first
 * definition in course order; each later variant is a warning at its place, naming the first.
 */
export function mergeTerms(cited: Cited<GlossaryEntry>[]): { glossary: GlossaryEntry[]; problems: Problem[] } {
  const firsts = new Map<string, Cited<GlossaryEntry>>();
  const problems: Problem[] = [];
  for (const c of cited) {
    const key = termKey(c.value.term);
    const first = firsts.get(key);
    if (!first) {
      firsts.set(key, c);
      continue;
    }
    if (first.value.term === c.value.term && first.value.html === c.value.html) continue;
    const spelled = first.value.term === c.value.term ? "" : ` (written "${first.value.term}" there)`;
    const defined = first.value.html === c.value.html ? "" : " with another definition";
    problems.push({
      file: c.file,
      line: c.line,
      column: 1,
      severity: "warning",
      message: `key term "${c.value.term}" is also defined at ${place(first)}${spelled}${defined}; the course glossary keeps that one: make them agree`,
    });
  }
  const glossary = [...firsts.values()].map((c) => c.value).sort((a, b) => a.term.localeCompare(b.term, "en"));
  return { glossary, problems };
}
