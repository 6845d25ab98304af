// Streaming CSV and NDJSON for exports. Conventions of every CSV we write:
// - UTF-8 with a BOM (Excel otherwise reads UTF-8 as the local code page), a header row, CRLF line
//   ends (RFC 4180 and Excel's own); a cell holding CR or LF is always quoted.
// - numbers unquoted, rounded to CSV_DECIMALS places (scores and progress are shares from 0 to 1:
//   0.9333, not 0.9333333333333333); NaN and infinities as an empty cell;
//   booleans as the numbers 1/0 (sums and filters work in any spreadsheet);
//   dates as ISO 8601 UTC strings (2026-11-02T10:00:00.000Z); null/undefined as an empty cell;
//   arrays joined with "; ".
// - text starting with = + - @ TAB or CR gets a leading apostrophe (OWASP CSV injection advice).
import { stringify } from "csv-stringify/sync";

/** Rows per batch: small enough that one batch holds the event loop for a few milliseconds only. */
export const BATCH_SIZE = 100;

/** Decimal places of every number in a CSV: a share to a hundredth of a percent. */
const CSV_DECIMALS = 4;
const SCALE = 10 ** CSV_DECIMALS;

// = + - @ TAB CR: the characters that make a spreadsheet read a cell as a formula.
const FORMULA_START = new Set([61, 43, 45, 64, 9, 13]);

/** The value as written to a CSV cell: text that a spreadsheet could evaluate is made inert. */
export function neutralise(value: unknown): string | number {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    return Number.isInteger(value) ? value : Math.round(value * SCALE) / SCALE;
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  const text = Array.isArray(value)
    ? value.map((v) => String(neutralise(v))).join("; ")
    : typeof value === "string"
      ? value
      : JSON.stringify(value);
  return FORMULA_START.has(text.charCodeAt(0)) ? `'${text}` : text;
}

/** One CSV record per row, CRLF-terminated. */
export function csvRows(rows: readonly (readonly unknown[])[]): string {
  return stringify(
    rows.map((row) => row.map(neutralise)),
    // csv-stringify 6.9 quotes any cell holding CR or LF (quote_record_delimiter), whatever the delimiter.
    { record_delimiter: "windows" },
  );
}

/** Lets the event loop run other work (requests, timers) between two batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const encoder = new TextEncoder();

/**
 * Pulls one batch at a time, only when the reader wants more (backpressure), and gives the event
 * loop a turn before each batch. The batch source must not hold a SQLite statement open across
 * batches: better-sqlite3 has one connection, and an open iterator blocks every write.
 */
function batchStream<T>(prefix: string, batches: () => Iterable<T[]>, encode: (batch: T[]) => string): ReadableStream<Uint8Array> {
  let iterator: Iterator<T[]> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (prefix) controller.enqueue(encoder.encode(prefix));
    },
    async pull(controller) {
      await yieldToEventLoop();
      iterator ??= batches()[Symbol.iterator]();
      const next = iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      if (next.value.length) controller.enqueue(encoder.encode(encode(next.value)));
    },
    cancel() {
      iterator?.return?.();
    },
  });
}

/** A CSV file (BOM, header, CRLF) streamed batch by batch. */
export function csvStream(columns: readonly string[], batches: () => Iterable<unknown[][]>): ReadableStream<Uint8Array> {
  return batchStream("\uFEFF" + csvRows([columns]), batches, csvRows);
}

/** Newline-delimited JSON: one object per line, LF-terminated, no BOM. */
export function ndjsonStream(batches: () => Iterable<object[]>): ReadableStream<Uint8Array> {
  return batchStream("", batches, (batch) => batch.map((item) => `${JSON.stringify(item)}\n`).join(""));
}

/** Regroups items from batches of any size into batches of `size` (the last may be smaller). */
export function* rebatch<T>(batches: Iterable<T[]>, size = BATCH_SIZE): Generator<T[], void, undefined> {
  const pending: T[] = [];
  for (const batch of batches) {
    for (const item of batch) pending.push(item);
    while (pending.length >= size) yield pending.splice(0, size);
  }
  if (pending.length) yield pending;
}

/** Maps each batch of a batch source lazily. */
export function* mapBatches<T, U>(batches: Iterable<T[]>, map: (batch: T[]) => U[]): Generator<U[], void, undefined> {
  for (const batch of batches) yield map(batch);
}
