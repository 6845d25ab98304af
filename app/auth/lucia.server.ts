// The only module that imports lucia: everything else goes through app/auth/session.server.ts,
// so replacing lucia (unmaintained upstream since 2025, see docs/decisions/002) touches one file.
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import { getDb } from "~/db/client.server";
import { sessions, users, type Role } from "~/db/schema";
import { getEnv } from "~/env.server";

export const SESSION_DAYS = 14;

function createLucia() {
  const production = getEnv().APP_MODE === "production";
  return new Lucia(new DrizzleSQLiteAdapter(getDb(), sessions, users), {
    sessionExpiresIn: new TimeSpan(SESSION_DAYS, "d"),
    sessionCookie: {
      // __Host- binds the cookie to this exact origin over HTTPS (no Domain, Path=/).
      name: production ? "__Host-cda_session" : "cda_session",
      expires: true,
      attributes: { secure: production, sameSite: "lax" },
    },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      name: attributes.name,
      role: attributes.role,
      country: attributes.country,
      deactivatedAt: attributes.deactivatedAt,
    }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: {
      email: string;
      name: string;
      role: Role;
      country: string | null;
      // The drizzle adapter hands over columns by their schema keys (camelCase).
      deactivatedAt: Date | null;
    };
  }
}

let instance: ReturnType<typeof createLucia> | undefined;

export function getLucia() {
  instance ??= createLucia();
  return instance;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  country: string | null;
}

export interface ValidatedSession {
  user: SessionUser | null;
  sessionId: string | null;
  /** A Set-Cookie value to send back: a refreshed cookie, or a blank one for a dead session. */
  setCookie: string | null;
}

export async function validateSessionCookie(cookieHeader: string | null): Promise<ValidatedSession> {
  const lucia = getLucia();
  const sessionId = lucia.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { user: null, sessionId: null, setCookie: null };
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session || !user) {
    return { user: null, sessionId: null, setCookie: lucia.createBlankSessionCookie().serialize() };
  }
  if (user.deactivatedAt) {
    await lucia.invalidateUserSessions(user.id);
    return { user: null, sessionId: null, setCookie: lucia.createBlankSessionCookie().serialize() };
  }
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role, country: user.country },
    sessionId: session.id,
    setCookie: session.fresh ? lucia.createSessionCookie(session.id).serialize() : null,
  };
}

export async function createSession(userId: string): Promise<string> {
  const lucia = getLucia();
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
}

export function blankSessionCookie(): string {
  return getLucia().createBlankSessionCookie().serialize();
}

export async function invalidateSession(sessionId: string): Promise<void> {
  await getLucia().invalidateSession(sessionId);
}

export async function invalidateUserSessions(userId: string): Promise<void> {
  await getLucia().invalidateUserSessions(userId);
}

export function sessionCookieName(): string {
  return getLucia().sessionCookieName;
}
