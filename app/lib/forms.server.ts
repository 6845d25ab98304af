import { data, type HeadersFunction } from "@remix-run/node";
import type { z } from "zod";
import { DomainError, NotFound, TooManyAttempts } from "~/models/errors.server";

export type FieldErrors = Record<string, string>;

export interface FormFailure {
  ok: false;
  formError?: string;
  fieldErrors: FieldErrors;
  /** What was typed (never passwords), so the form can be shown again without losing it. */
  values: Record<string, string>;
}

const SECRET_FIELDS = /password/i;

function echo(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !SECRET_FIELDS.test(key)) values[key] = value;
  }
  return values;
}

/**
 * No form of ours comes near these (the largest, a quiz, is about 70 fields and 3 KB): the server
 * refuses bigger bodies before reading them, so no request can hold the event loop or the memory.
 */
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_FORM_FIELDS = 1000;

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * The one way an action reads its form: a form content type (else 415), a body that parses (else
 * 400), at most MAX_FORM_FIELDS fields (else 413). Its size is already bounded by the server.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase();
  if (!type || !FORM_TYPES.includes(type)) {
    throw new Response(
      `This address takes a form (${FORM_TYPES.join(" or ")}), not ${type ? type.slice(0, 100) : "a body without a content type"}.`,
      { status: 415 },
    );
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response(`The form could not be read: its body is not valid ${type}.`, { status: 400 });
  }
  let fields = 0;
  for (const _ of form.keys()) {
    if (++fields > MAX_FORM_FIELDS) throw new Response(`A form may have at most ${MAX_FORM_FIELDS} fields.`, { status: 413 });
  }
  return form;
}

export type Parsed<T> = { ok: true; data: T } | FormFailure;

/** Validates the form against its schema; a repeated field counts with its first value. */
export function parseForm<S extends z.ZodType>(formData: FormData, schema: S): Parsed<z.infer<S>> {
  // One pass (a lookup per name would be quadratic in the number of fields); a Map, so that a field
  // named __proto__ is a field like any other.
  const first = new Map<string, FormDataEntryValue>();
  for (const [key, value] of formData) if (!first.has(key)) first.set(key, value);
  const raw = Object.fromEntries(first);
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  let formError: string | undefined;
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".");
    if (!key) formError ??= issue.message;
    else fieldErrors[key] ??= issue.message;
  }
  return { ok: false, formError, fieldErrors, values: echo(formData) };
}

/** A 400 response that the form renders again, with its messages beside the fields. */
export function invalid(failure: Omit<FormFailure, "ok" | "values"> & { values?: Record<string, string> }, formData?: FormData) {
  return data<FormFailure>(
    { ok: false, fieldErrors: failure.fieldErrors, formError: failure.formError, values: failure.values ?? (formData ? echo(formData) : {}) },
    { status: 400 },
  );
}

/** The 404 a model's NotFound stands for; anything else is rethrown. */
function rethrowAs404(error: unknown): never {
  if (error instanceof NotFound) throw new Response(error.message, { status: 404 });
  throw error;
}

/** Runs a model call for a loader or action, answering 404 when it names something not there for this user. */
export function or404<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    rethrowAs404(error);
  }
}

/** Turns a broken domain rule into the same 400 form response, a NotFound into a 404; anything else is rethrown. */
export function domainFailure(error: unknown, formData: FormData) {
  if (!(error instanceof DomainError)) rethrowAs404(error);
  if (error instanceof TooManyAttempts) {
    return data<FormFailure>(
      { ok: false, fieldErrors: {}, formError: error.message, values: echo(formData) },
      { status: 429, headers: { "Retry-After": String(error.retryAfter) } },
    );
  }
  return error.field
    ? invalid({ fieldErrors: { [error.field]: error.message } }, formData)
    : invalid({ fieldErrors: {}, formError: error.message }, formData);
}

/** A route's `headers`: document responses take theirs from here, so a 429's Retry-After must be passed on. */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};
