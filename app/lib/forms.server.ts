import { data, type HeadersFunction } from "@remix-run/node";
import type { z } from "zod";
import { DomainError, TooManyAttempts } from "~/models/errors.server";

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

export type Parsed<T> = { ok: true; data: T } | FormFailure;

export function parseForm<S extends z.ZodType>(formData: FormData, schema: S): Parsed<z.infer<S>> {
  const raw = Object.fromEntries([...formData.keys()].map((k) => [k, formData.get(k)]));
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

/** Turns a broken domain rule into the same 400 form response; anything else is rethrown. */
export function domainFailure(error: unknown, formData: FormData) {
  if (!(error instanceof DomainError)) throw error;
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
