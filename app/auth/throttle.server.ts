import { and, asc, count, desc, eq, gt, lt } from "drizzle-orm";
import { getDb } from "~/db/client.server";
import { signInFailures } from "~/db/schema";

export const WINDOW_MS = 15 * 60_000;
export const ACCOUNT_FREE_FAILURES = 5;
export const IP_MAX_FAILURES = 100;
const ACCOUNT_BASE_DELAY_MS = 30_000;
const ACCOUNT_MAX_DELAY_MS = WINDOW_MS;

type Scope = "account" | "ip";

function recent(scope: Scope, key: string, now: number) {
  return and(
    eq(signInFailures.scope, scope),
    eq(signInFailures.key, key),
    gt(signInFailures.at, new Date(now - WINDOW_MS)),
  );
}

/** The wait before the next attempt after `failures` recent failures on one account. */
export function accountDelayMs(failures: number): number {
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  return Math.min(ACCOUNT_BASE_DELAY_MS * 2 ** (failures - ACCOUNT_FREE_FAILURES), ACCOUNT_MAX_DELAY_MS);
}

export interface ThrottleInput {
  accountKey: string;
  ip: string;
  /** A browser that signed in to this account before: exempt from the per-account delay. */
  trustedDevice: boolean;
  now?: number;
}

/** Seconds to wait before another sign-in attempt is allowed, or 0. */
export function signInRetryAfter({ accountKey, ip, trustedDevice, now = Date.now() }: ThrottleInput): number {
  const db = getDb();
  let waitMs = 0;

  const ipCount = db.select({ n: count() }).from(signInFailures).where(recent("ip", ip, now)).get()?.n ?? 0;
  if (ipCount >= IP_MAX_FAILURES) {
    // The window frees a slot when the oldest failure that keeps us at the limit ages out.
    const pivot = db
      .select({ at: signInFailures.at })
      .from(signInFailures)
      .where(recent("ip", ip, now))
      .orderBy(asc(signInFailures.at))
      .limit(1)
      .offset(ipCount - IP_MAX_FAILURES)
      .get();
    if (pivot) waitMs = Math.max(waitMs, pivot.at.getTime() + WINDOW_MS - now);
  }

  if (!trustedDevice) {
    const accountCount =
      db.select({ n: count() }).from(signInFailures).where(recent("account", accountKey, now)).get()?.n ?? 0;
    const delay = accountDelayMs(accountCount);
    if (delay > 0) {
      const last = db
        .select({ at: signInFailures.at })
        .from(signInFailures)
        .where(recent("account", accountKey, now))
        .orderBy(desc(signInFailures.at))
        .limit(1)
        .get();
      if (last) waitMs = Math.max(waitMs, last.at.getTime() + delay - now);
    }
  }
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}

export function recordSignInFailure({ accountKey, ip, now = Date.now() }: Omit<ThrottleInput, "trustedDevice">) {
  const db = getDb();
  const at = new Date(now);
  db.transaction((tx) => {
    tx.insert(signInFailures)
      .values([
        { scope: "account", key: accountKey, at },
        { scope: "ip", key: ip, at },
      ])
      .run();
    // Rows older than the window never count again.
    tx.delete(signInFailures).where(lt(signInFailures.at, new Date(now - WINDOW_MS))).run();
  });
}

export function clearAccountFailures(accountKey: string) {
  getDb()
    .delete(signInFailures)
    .where(and(eq(signInFailures.scope, "account"), eq(signInFailures.key, accountKey)))
    .run();
}
