import { getEnv } from "~/env.server";
import { readCookie } from "./device.server";

/**
 * What a form posted after the session ended is kept as until the learner signs in again: quiz
 * answers or exercise drafts. Each kind has its own cookie holding the random token of the kept
 * row, for as long as the row itself lives (pending_answers / pending_drafts.expires_at).
 */
export type KeptKind = "answers" | "drafts";

export const KEPT_SECONDS: Record<KeptKind, number> = {
  answers: 60 * 60,
  // A long text is worth keeping for a day: the learner may only come back the next morning.
  drafts: 24 * 60 * 60,
};

function cookieName(kind: KeptKind) {
  return getEnv().APP_MODE === "production" ? `__Host-cda_${kind}` : `cda_${kind}`;
}

function cookie(kind: KeptKind, value: string, maxAge: number): string {
  const secure = getEnv().APP_MODE === "production" ? "; Secure" : "";
  return `${cookieName(kind)}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

/** The Set-Cookie value that gives this browser the token of what was kept while it was signed out. */
export function keptCookie(kind: KeptKind, token: string): string {
  return cookie(kind, token, KEPT_SECONDS[kind]);
}

/** The Set-Cookie value that forgets the token once what it kept is back in the form. */
export function clearKeptCookie(kind: KeptKind): string {
  return cookie(kind, "", 0);
}

export function keptToken(kind: KeptKind, cookieHeader: string | null): string | null {
  return readCookie(cookieHeader, cookieName(kind));
}
