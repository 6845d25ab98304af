// The only module that imports lucia: everything else goes through app/auth/session.server.ts,
// so replacing lucia (unmaintained upstream since 2025, see docs/decisions/002) touches one file.
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import type Database from "better-sqlite3";
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser } from "lucia";
import { getDb, getSqlite } from "~/db/client.server";
import { sessions, users, type Role } from "~/db/schema";
import { getEnv } from "~/env.server";

export const SESSION_DAYS = 14;
const SESSION_LIFETIME = new TimeSpan(SESSION_DAYS, "d");

interface SessionRow {
  id: string;
  user_id: string;
  expires_at: number;
  email: string;
  name: string;
  role: Role;
  country: string | null;
  deactivated_at: number | null;
}

const sessionStatements = new WeakMap<Database.Database, Database.Statement>();

/** The session joined with its user: the one lookup of every request, prepared once per connection. */
function sessionRow(sessionId: string): SessionRow | undefined {
  const sqlite = getSqlite();
  let statement = sessionStatements.get(sqlite);
  if (!statement) {
    statement = sqlite.prepare(
      `select s.id, s.user_id, s.expires_at, u.email, u.name, u.role, u.country, u.deactivated_at
       from sessions s join users u on u.id = s.user_id where s.id = ?`,
    );
    sessionStatements.set(sqlite, statement);
  }
  return statement.get(sessionId) as SessionRow | undefined;
}

/** lucia's drizzle adapter, with the session and its user read by `sessionRow` instead of two queries built per call. */
class SessionAdapter extends DrizzleSQLiteAdapter {
  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = sessionRow(sessionId);
    if (!row) return [null, null];
    return [
      { id: row.id, userId: row.user_id, expiresAt: new Date(row.expires_at * 1000), attributes: {} },
      {
        id: row.user_id,
        attributes: {
          email: row.email,
          name: row.name,
          role: row.role,
          country: row.country,
          deactivatedAt: row.deactivated_at === null ? null : new Date(row.deactivated_at),
        },
      },
    ];
  }
}

function createLucia() {
  const production = getEnv().APP_MODE === "production";
  return new Lucia(new SessionAdapter(getDb(), sessions, users), {
    sessionExpiresIn: SESSION_LIFETIME,
    sessionCookie: {
      // __Host- binds the cookie to this exact origin over HTTPS (no Domain, Path=/).
      name: production ? "__Host-cda_session" : "cda_session",
      expires: true,
      attributes: { secure: production, sameSite: "lax" },
    },
    getUserAttributes: (attributes) => attributes,
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

/**
 * validateSessionCookie's commonest answer without a promise, for the lesson fast path: a live
 * session of an active user that lucia would leave as it is. Anything else (no cookie, an unknown,
 * expired or deactivated session, one lucia would extend now) is undefined, and
 * validateSessionCookie decides it.
 */
export function liveSessionFromCookie(cookieHeader: string | null): ValidatedSession | undefined {
  const lucia = getLucia();
  const sessionId = lucia.readSessionCookie(cookieHeader ?? "");
  const row = sessionId ? sessionRow(sessionId) : undefined;
  if (!row || row.deactivated_at !== null) return undefined;
  // lucia extends a session (a new cookie) from half its lifetime before it expires, and ends it at expiry.
  if (Date.now() >= row.expires_at * 1000 - SESSION_LIFETIME.milliseconds() / 2) return undefined;
  return {
    user: { id: row.user_id, email: row.email, name: row.name, role: row.role, country: row.country },
    sessionId: row.id,
    setCookie: null,
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
