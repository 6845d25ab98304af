import { and, eq, gt } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { trustedDevices } from "~/db/schema";
import { getEnv } from "~/env.server";
import { randomToken, sha256 } from "./tokens.server";

const DEVICE_DAYS = 180;

function cookieName() {
  return getEnv().APP_MODE === "production" ? "__Host-cda_device" : "cda_device";
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=") || null;
  }
  return null;
}

/** The device this browser holds, if it is trusted for an account: its key and that account's id. */
export function trustedDevice(cookieHeader: string | null): { key: string; userId: string } | null {
  const token = readCookie(cookieHeader, cookieName());
  if (!token) return null;
  const key = sha256(token);
  const row = getDb()
    .select({ userId: trustedDevices.userId })
    .from(trustedDevices)
    .where(and(eq(trustedDevices.tokenHash, key), gt(trustedDevices.expiresAt, new Date())))
    .get();
  return row ? { key, userId: row.userId } : null;
}

/** Remember this browser for the user; returns the Set-Cookie value. */
export function rememberDevice(userId: string): string {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + DEVICE_DAYS * 86_400_000);
  getDb().insert(trustedDevices).values({ tokenHash: sha256(token), userId, expiresAt }).run();
  const secure = getEnv().APP_MODE === "production" ? "; Secure" : "";
  return `${cookieName()}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${DEVICE_DAYS * 86_400}${secure}`;
}
