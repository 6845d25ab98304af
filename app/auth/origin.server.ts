const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginCheckInput {
  method: string;
  origin: string | null | undefined;
  secFetchSite: string | null | undefined;
  expectedOrigin: string;
}

/**
 * CSRF defence for every non-GET request. The Origin header must be ours. Browsers send
 * `Origin: null` on same-origin form posts when the page's Referrer-Policy is no-referrer
 * (which ours is), so a null or missing Origin is accepted only when the browser itself
 * vouches for the request with `Sec-Fetch-Site: same-origin`, a header pages cannot forge.
 */
export function isAllowedOrigin({ method, origin, secFetchSite, expectedOrigin }: OriginCheckInput): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (origin && origin !== "null") return origin === expectedOrigin;
  return secFetchSite === "same-origin";
}
