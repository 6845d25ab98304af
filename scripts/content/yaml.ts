// YAML with positions: every problem found by zod is reported at the line of the field it is about.
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { type Problems } from "./problems";

type Path = (string | number)[];

export interface ParsedYaml {
  value: unknown;
  /** Line and column of the field at `path` (or of its nearest existing parent). */
  locate: (path: Path, key?: boolean) => { line: number; column: number };
  ok: boolean;
}

export function parseYaml(source: string, problems: Problems, lineOffset = 0): ParsedYaml {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = counter.linePos(offset);
    return { line: pos.line + lineOffset, column: pos.col };
  };
  for (const error of doc.errors) {
    const pos = at(error.pos[0]);
    const reason = error.message.split("\n")[0] ?? error.message;
    problems.error(pos.line, pos.column, `YAML syntax: ${reason.replace(/ at line \d+, column \d+:?$/, "")}`);
  }
  const locate = (path: Path, key = false) => locateIn(doc, path, key, at);
  if (doc.errors.length) return { value: undefined, locate, ok: false };
  return { value: doc.toJS(), locate, ok: true };
}

function locateIn(
  doc: Document,
  path: Path,
  key: boolean,
  at: (offset: number) => { line: number; column: number },
) {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    if (key && depth === path.length && depth > 0) {
      const parent = prefix.length > 1 ? doc.getIn(prefix.slice(0, -1), true) : doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === prefix.at(-1));
        const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
        if (range) return at(range[0]);
      }
    }
    const node = depth === 0 ? doc.contents : doc.getIn(prefix, true);
    const range = node && typeof node === "object" && "range" in node ? (node.range as [number, number, number] | undefined) : undefined;
    if (range) return at(range[0]);
  }
  return at(0);
}

export function describePath(path: Path): string {
  return path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part + 1}]` : acc ? `${acc}.${part}` : part), "");
}

/** Validates with zod and reports every issue at its field; returns the data when valid. */
export function validate<S extends z.ZodType>(
  schema: S,
  parsed: ParsedYaml,
  problems: Problems,
  what: string,
): z.infer<S> | undefined {
  if (!parsed.ok) return undefined;
  const result = schema.safeParse(parsed.value ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      for (const name of issue.keys) {
        const pos = parsed.locate([...path, name], true);
        problems.error(pos.line, pos.column, `${what}: unknown field "${describePath([...path, name])}"; check its spelling`);
      }
      continue;
    }
    const missing = issue.code === "invalid_type" && valueAt(parsed.value, path) === undefined;
    const pos = parsed.locate(path, missing);
    const field = describePath(path);
    const message = missing ? "is missing" : issue.message;
    problems.error(pos.line, pos.column, `${what}: ${field ? `"${field}" ` : ""}${message}`);
  }
  return undefined;
}

function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}
