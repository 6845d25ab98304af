// Durations as people read them, the same on every page (the browser may import this file).

const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** Whole minutes: "1 minute", "45 minutes", "1 hour", "2 hours 5 minutes". */
export function formatMinutes(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (hours === 0) return count(rest, "minute");
  return rest ? `${count(hours, "hour")} ${count(rest, "minute")}` : count(hours, "hour");
}

/** A wait: in seconds below a minute and a half, then in minutes rounded up, so it is never understated. */
export function formatWait(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return whole < 90 ? count(whole, "second") : formatMinutes(Math.ceil(whole / 60));
}

/** A calendar date (YYYY-MM-DD, or an ISO time read in UTC) as people read it: "30 November 2026". */
export function formatDate(value: string): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/** An instant as people read it, the same on the server and in the browser: "30 November 2026, 14:05 UTC". */
export function formatDateTime(value: string): string {
  const date = new Date(value);
  const time = date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  return `${formatDate(value)}, ${time} UTC`;
}
