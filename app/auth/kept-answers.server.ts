import { getEnv } from "~/env.server";
import { readCookie } from "./device.server";

/** As long as the kept answers themselves (pending_answers.expires_at). */
export const KEPT_ANSWERS_SECONDS = 60 * 60;

function cookieName() {
  return getEnv().APP_MODE === "production" ? "__Host-cda_answers" : "cda_answers";
}

function cookie(value: string, maxAge: number): string {
  const secure = getEnv().APP_MODE === "production" ? "; Secure" : "";
  return `${cookieName()}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

/** The Set-Cookie value that gives this browser the token of quiz answers kept while it was signed out. */
export function keptAnswersCookie(token: string): string {
  return cookie(token, KEPT_ANSWERS_SECONDS);
}

/** The Set-Cookie value that forgets the token once the answers are back in the form. */
export function clearKeptAnswersCookie(): string {
  return cookie("", 0);
}

export function keptAnswersToken(cookieHeader: string | null): string | null {
  return readCookie(cookieHeader, cookieName());
}
