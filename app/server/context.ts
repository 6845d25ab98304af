import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-response nonce that the Content-Security-Policy allows for inline scripts. */
    cspNonce: string;
    /** The client's address (from X-Forwarded-For, TRUST_PROXY hops from its right, when TRUST_PROXY > 0). */
    clientIp: string;
  }
}
