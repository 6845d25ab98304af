import type { SessionUser } from "./lucia.server";
import { startSession } from "./session.server";
import { rememberDevice } from "./device.server";
import { checkPassword } from "./throttle.server";
import { findUserByEmail, normalizeEmail } from "~/models/user.server";

export type SignInResult =
  | { ok: true; user: SessionUser; setCookies: string[] }
  | { ok: false; reason: "invalid" | "deactivated" }
  | { ok: false; reason: "throttled"; retryAfter: number };

export async function attemptSignIn({
  email,
  password,
  ip,
  cookieHeader,
}: {
  email: string;
  password: string;
  ip: string;
  cookieHeader: string | null;
}): Promise<SignInResult> {
  const accountKey = normalizeEmail(email);
  const user = findUserByEmail(accountKey);
  const check = await checkPassword({ user, accountKey, password, ip, cookieHeader });
  if (!check.ok) return check;
  if (!user) return { ok: false, reason: "invalid" };
  if (user.deactivatedAt) return { ok: false, reason: "deactivated" };

  const setCookies = [await startSession(user.id)];
  if (!check.trustedDevice) setCookies.push(rememberDevice(user.id));
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, country: user.country },
    setCookies,
  };
}
