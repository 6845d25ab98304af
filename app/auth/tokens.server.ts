import { createHash, randomBytes } from "node:crypto";

/** 256 bits of randomness, URL-safe: invitation codes, reset tokens, device tokens. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function randomId(): string {
  return randomBytes(15).toString("base64url");
}
