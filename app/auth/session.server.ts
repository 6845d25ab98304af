import { AsyncLocalStorage } from "node:async_hooks";
import { redirect } from "@remix-run/node";
import type { Role } from "~/db/schema";
import { getCoordinatedCohort } from "~/models/cohort.server";
import {
  blankSessionCookie,
  createSession,
  invalidateSession,
  invalidateUserSessions,
  liveSessionFromCookie,
  validateSessionCookie,
  type SessionUser,
  type ValidatedSession,
} from "./lucia.server";

export type { SessionUser };

interface RequestAuth {
  cookieHeader: string | null;
  result: Promise<ValidatedSession>;
}

// The server validates the session once per request (refreshing the cookie when lucia extends
// it); loaders and actions of that request reuse the result instead of querying again.
const requestAuth = new AsyncLocalStorage<RequestAuth>();

export type { ValidatedSession };
export { liveSessionFromCookie };

/** Runs `fn` with the request's session validated once (or as `known` already validated it). */
export function withRequestAuth<T>(
  cookieHeader: string | null,
  known: Promise<ValidatedSession> | undefined,
  fn: (auth: Promise<ValidatedSession>) => T,
): T {
  const result = known ?? validateSessionCookie(cookieHeader);
  return requestAuth.run({ cookieHeader, result }, () => fn(result));
}

function validate(request: Request): Promise<ValidatedSession> {
  const cookieHeader = request.headers.get("Cookie");
  const current = requestAuth.getStore();
  if (current && current.cookieHeader === cookieHeader) return current.result;
  return validateSessionCookie(cookieHeader);
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  return (await validate(request)).user;
}

export async function getSessionId(request: Request): Promise<string | null> {
  return (await validate(request)).sessionId;
}

// A reserved name (RFC 2606) that no request can carry: only a target that resolves to it is ours.
const LOCAL_ORIGIN = "http://app.invalid";

/**
 * Only paths of this site: an open redirect would let a link send a signed-in person anywhere.
 * The target is resolved with the WHATWG URL parser, as a browser does (which drops tabs and
 * newlines and reads `\` as `/`), so `/\t/evil.example` cannot pass as a path; the result is the
 * parser's percent-encoded path, always a valid Location header.
 */
export function safeRedirect<F extends string | null = string>(
  to: FormDataEntryValue | string | null | undefined,
  fallback: F = "/" as F,
): string | F {
  if (typeof to !== "string" || !to.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(to, LOCAL_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== LOCAL_ORIGIN) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = `${url.pathname}${url.search}`;
    throw redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export async function requireRole(request: Request, ...roles: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) {
    throw new Response("You do not have access to this page.", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

/** Where each role starts. */
export function homeFor(role: Role): string {
  switch (role) {
    case "instructor":
      return "/instructor";
    case "coordinator":
      return "/coordinator/cohorts";
    default:
      return "/";
  }
}

export async function startSession(userId: string): Promise<string> {
  return createSession(userId);
}

export async function endSession(request: Request): Promise<string> {
  const sessionId = await getSessionId(request);
  if (sessionId) await invalidateSession(sessionId);
  return blankSessionCookie();
}

export async function endAllSessions(userId: string): Promise<string> {
  await invalidateUserSessions(userId);
  return blankSessionCookie();
}

/** The cohort named in the URL, if the signed-in coordinator coordinates it; 404 otherwise. */
export async function requireCoordinatedCohort(request: Request, param: string | undefined) {
  const user = await requireRole(request, "coordinator");
  const cohort = param ? getCoordinatedCohort({ cohort: param, userId: user.id }) : undefined;
  // Someone else's cohort looks exactly like a missing one.
  if (!cohort) throw new Response("No such cohort.", { status: 404 });
  return { user, cohort };
}
