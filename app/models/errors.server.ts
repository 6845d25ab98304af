/** A rule of the domain was broken; `field` names the form field to show it beside. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** The throttle refused an attempt: answered with 429 and Retry-After. */
export class TooManyAttempts extends DomainError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message);
    this.name = "TooManyAttempts";
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    (error.code === "SQLITE_CONSTRAINT_UNIQUE" || error.code === "SQLITE_CONSTRAINT_PRIMARYKEY")
  );
}

/**
 * What a request names is not there for this coordinator: missing, or another cohort's. Routes
 * answer 404 with the message, so someone else's record looks exactly like a missing one.
 */
export class NotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotFound";
  }
}
