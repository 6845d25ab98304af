import { createHash, randomBytes } from "node:crypto";

/** 256 bits of randomness, URL-safe: invitation codes, reset tokens, device tokens. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/**
 * 120 bits as hex: record ids that appear in URLs and exports. Hex, not base64url, so an id never
 * begins with "-", which a spreadsheet export would have to neutralise (and so change).
 */
export function randomId(): string {
  return randomBytes(15).toString("hex");
}
