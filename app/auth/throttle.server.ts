import { and, asc, count, desc, eq, gt, inArray, lt } from "drizzle-orm";
import { getDb, type DB } from "~/db/client.server";
import { signInFailures } from "~/db/schema";
import { formatWait } from "~/lib/format";
import { trustedDevice } from "./device.server";
import { burnPasswordCheck, verifyPassword } from "./password.server";

export const WINDOW_MS = 15 * 60_000;
export const ACCOUNT_FREE_FAILURES = 5;
/**
 * A trusted device's own budget of failures on its account: higher than a stranger's, so that an
 * attacker hammering the account cannot lock its owner out, but finite, so that the device
 * cookie (on a shared or stolen computer) is not a licence to guess.
 */
export const DEVICE_FREE_FAILURES = 10;
export const IP_MAX_FAILURES = 100;
const ACCOUNT_BASE_DELAY_MS = 30_000;
const ACCOUNT_MAX_DELAY_MS = WINDOW_MS;

type Scope = "account" | "ip" | "device";
type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];

function recent(scope: Scope, key: string, now: number) {
  return and(
    eq(signInFailures.scope, scope),
    eq(signInFailures.key, key),
    gt(signInFailures.at, new Date(now - WINDOW_MS)),
  );
}

function recentCount(tx: Tx, scope: Scope, key: string, now: number): number {
  return tx.select({ n: count() }).from(signInFailures).where(recent(scope, key, now)).get()?.n ?? 0;
}

/** The wait before the next attempt after `failures` recent failures on one account. */
export function accountDelayMs(failures: number): number {
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  return Math.min(ACCOUNT_BASE_DELAY_MS * 2 ** (failures - ACCOUNT_FREE_FAILURES), ACCOUNT_MAX_DELAY_MS);
}

export interface AttemptKeys {
  /** The normalised email the attempt is about; null when it names no account (registration). */
  accountKey: string | null;
  ip: string;
  /** The hash of a device cookie trusted for this very account, or null. */
  device: string | null;
}

/**
 * Milliseconds before this attempt may be evaluated, or 0. A device trusted for the account,
 * within its own budget, is exempt from both the account delay and the address block: those
 * throttle strangers, and must not keep the owner (or colleagues behind the same NAT) out.
 */
function waitMs(tx: Tx, { accountKey, ip, device }: AttemptKeys, now: number): number {
  if (device && recentCount(tx, "device", device, now) < DEVICE_FREE_FAILURES) return 0;
  let wait = 0;
  const ipCount = recentCount(tx, "ip", ip, now);
  if (ipCount >= IP_MAX_FAILURES) {
    // The window frees a slot when the oldest failure that keeps us at the limit ages out.
    const pivot = tx
      .select({ at: signInFailures.at })
      .from(signInFailures)
      .where(recent("ip", ip, now))
      .orderBy(asc(signInFailures.at))
      .limit(1)
      .offset(ipCount - IP_MAX_FAILURES)
      .get();
    if (pivot) wait = Math.max(wait, pivot.at.getTime() + WINDOW_MS - now);
  }
  const delay = accountKey === null ? 0 : accountDelayMs(recentCount(tx, "account", accountKey, now));
  if (accountKey !== null && delay > 0) {
    const last = tx
      .select({ at: signInFailures.at })
      .from(signInFailures)
      .where(recent("account", accountKey, now))
      .orderBy(desc(signInFailures.at))
      .limit(1)
      .get();
    if (last) wait = Math.max(wait, last.at.getTime() + delay - now);
  }
  return wait;
}

const seconds = (ms: number) => (ms > 0 ? Math.ceil(ms / 1000) : 0);

/** Seconds to wait before another sign-in attempt is allowed, or 0. */
export function signInRetryAfter(keys: AttemptKeys, now = Date.now()): number {
  return seconds(getDb().transaction((tx) => waitMs(tx, keys, now)));
}

/** The failure rows written for one attempt, removed again if the password turns out right. */
export type Reservation = { ids: number[] };

/**
 * Checks the throttle and, in the same immediate transaction, records the attempt as a failure
 * before its password is verified. Parallel attempts therefore each see the ones before them
 * (and so do other processes on the file): the check and the count cannot race.
 */
export function reserveAttempt(
  keys: AttemptKeys,
  now = Date.now(),
): { ok: true; reservation: Reservation } | { ok: false; retryAfter: number } {
  return getDb().transaction(
    (tx) => {
      const wait = waitMs(tx, keys, now);
      if (wait > 0) return { ok: false as const, retryAfter: seconds(wait) };
      const at = new Date(now);
      const rows: { scope: Scope; key: string; at: Date }[] = [{ scope: "ip", key: keys.ip, at }];
      if (keys.accountKey !== null) rows.push({ scope: "account", key: keys.accountKey, at });
      if (keys.device) rows.push({ scope: "device", key: keys.device, at });
      const ids = tx.insert(signInFailures).values(rows).returning({ id: signInFailures.id }).all();
      // Rows older than the window never count again.
      tx.delete(signInFailures).where(lt(signInFailures.at, new Date(now - WINDOW_MS))).run();
      return { ok: true as const, reservation: { ids: ids.map((r) => r.id) } };
    },
    { behavior: "immediate" },
  );
}

/** The attempt succeeded: it was no failure, and the account's and device's earlier failures are forgiven. */
export function attemptSucceeded(reservation: Reservation, keys: AttemptKeys) {
  getDb().transaction((tx) => {
    tx.delete(signInFailures).where(inArray(signInFailures.id, reservation.ids)).run();
    if (keys.accountKey !== null) {
      tx.delete(signInFailures)
        .where(and(eq(signInFailures.scope, "account"), eq(signInFailures.key, keys.accountKey)))
        .run();
    }
    if (keys.device) {
      tx.delete(signInFailures)
        .where(and(eq(signInFailures.scope, "device"), eq(signInFailures.key, keys.device)))
        .run();
    }
  });
}

export type PasswordCheck =
  | { ok: true; trustedDevice: boolean }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfter: number };

/**
 * Every check of a person's password (sign-in, and the current password on /account) goes
 * through here, under one throttle: the attempt is reserved as a failure before the slow
 * verification, and forgiven only when the password is right.
 */
export async function checkPassword({
  user,
  accountKey,
  password,
  ip,
  cookieHeader,
}: {
  user: { id: string; passwordHash: string | null } | undefined;
  accountKey: string;
  password: string;
  ip: string;
  cookieHeader: string | null;
}): Promise<PasswordCheck> {
  const device = trustedDevice(cookieHeader);
  const keys = { accountKey, ip, device: user && device?.userId === user.id ? device.key : null };
  const reserved = reserveAttempt(keys);
  if (!reserved.ok) return { ok: false, reason: "throttled", retryAfter: reserved.retryAfter };

  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await burnPasswordCheck(password), false);
  if (!valid) return { ok: false, reason: "invalid" };
  attemptSucceeded(reserved.reservation, keys);
  return { ok: true, trustedDevice: keys.device !== null };
}

/** The sentence shown with a 429. */
export function throttledMessage(retryAfter: number): string {
  return `Too many failed sign-in attempts. For your account's safety, wait ${formatWait(retryAfter)} and try again.`;
}
