import { Link } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode } from "react";
import { MIN_PASSWORD_LENGTH } from "~/lib/rules";

export interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
}

/** A labelled input whose error and hint are announced with it (aria-describedby). */
export function Field({ label, name, error, hint, id, ...input }: FieldProps) {
  const fieldId = id ?? `field-${name}`;
  const hintId = hint ? `${fieldId}-hint` : undefined;
  const errorId = error ? `${fieldId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <input id={fieldId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}

export function FieldError({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p id={id} className="field-error">
      <span aria-hidden="true">⚠ </span>
      {children}
    </p>
  );
}

/** A form-level problem: announced at once, and marked by an icon as well as colour. */
export function FormAlert({ children }: { children: ReactNode }) {
  return (
    <div role="alert" className="alert alert-error">
      <span aria-hidden="true">⚠ </span>
      {children}
    </div>
  );
}

export function StatusMessage({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="alert alert-success">
      <span aria-hidden="true">✓ </span>
      {children}
    </div>
  );
}

/** A password being chosen: the same rules and hint on every form that sets one. */
export function NewPasswordField({ label, name, error }: { label: string; name: string; error?: string }) {
  return (
    <Field
      label={label}
      name={name}
      type="password"
      autoComplete="new-password"
      required
      minLength={MIN_PASSWORD_LENGTH}
      hint={`At least ${MIN_PASSWORD_LENGTH} characters, not a common password. A few unrelated words make a strong, memorable one.`}
      error={error}
    />
  );
}

/** The page for a link that cannot be used (invitation or password link), saying why. */
export function UnavailableLink({ title, message }: { title: string; message: string }) {
  return (
    <section className="panel narrow" aria-labelledby="unavailable-title">
      <h1 id="unavailable-title">{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/login">Go to sign in</Link>
      </p>
    </section>
  );
}
