import type { SessionUser } from "./lucia.server";
import { burnPasswordCheck, verifyPassword } from "./password.server";
import { startSession } from "./session.server";
import { rememberDevice, trustedDeviceUser } from "./device.server";
import { clearAccountFailures, recordSignInFailure, signInRetryAfter } from "./throttle.server";
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
  const deviceUser = trustedDeviceUser(cookieHeader);
  const trustedDevice = user !== undefined && deviceUser === user.id;

  const retryAfter = signInRetryAfter({ accountKey, ip, trustedDevice });
  if (retryAfter > 0) return { ok: false, reason: "throttled", retryAfter };

  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await burnPasswordCheck(password), false);
  if (!user || !valid) {
    recordSignInFailure({ accountKey, ip });
    return { ok: false, reason: "invalid" };
  }
  if (user.deactivatedAt) return { ok: false, reason: "deactivated" };

  clearAccountFailures(accountKey);
  const setCookies = [await startSession(user.id)];
  if (!trustedDevice) setCookies.push(rememberDevice(user.id));
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, country: user.country },
    setCookies,
  };
}
