import { hash, verify } from "@node-rs/argon2";
import { COMMON_PASSWORDS, COMMON_WORDS } from "./common-passwords.server";

import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "~/lib/rules";

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when no account matches makes "no such user" as slow as "wrong password".
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("not-a-real-password-for-timing");
  await verifyPassword(await dummyHash, password);
}

/** abcdef…, 654321…, and digit runs that wrap around (…7890123…). */
function isSequence(s: string): boolean {
  const digits = /^\d+$/.test(s);
  const diff = (i: number) => {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    return digits ? ((d % 10) + 10) % 10 : d;
  };
  const step = diff(1);
  if (!(step === 1 || step === -1 || (digits && step === 9))) return false;
  for (let i = 2; i < s.length; i++) if (diff(i) !== step) return false;
  return true;
}

/**
 * Why a password is not acceptable, or null. The same rule serves every form and the CLI.
 * `personal` holds the person's email and name, which make poor passwords.
 */
export function passwordProblem(password: string, personal: string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  }
  const lower = password.toLowerCase();
  const core = lower.replace(/[^a-z]/g, "");
  if (
    COMMON_PASSWORDS.has(lower) ||
    new Set(lower).size <= 2 ||
    isSequence(lower) ||
    (core.length > 0 && COMMON_WORDS.has(core) && core.length < MIN_PASSWORD_LENGTH)
  ) {
    return "This password is too common or easy to guess. Try a few unrelated words.";
  }
  for (const item of personal) {
    const part = item.toLowerCase().split("@")[0]?.trim() ?? "";
    if (part.length >= 4 && lower.includes(part)) {
      return "Do not use your name or email address in your password.";
    }
  }
  return null;
}
