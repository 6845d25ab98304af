import { describe, expect, it } from "vitest";
import { isAllowedOrigin } from "./origin.server";

const expectedOrigin = "https://academy.example.org";

describe("isAllowedOrigin", () => {
  it("lets safe methods through", () => {
    expect(isAllowedOrigin({ method: "GET", origin: "https://evil.example", secFetchSite: "cross-site", expectedOrigin })).toBe(true);
  });
  it("accepts our own origin and rejects any other", () => {
    expect(isAllowedOrigin({ method: "POST", origin: expectedOrigin, secFetchSite: null, expectedOrigin })).toBe(true);
    expect(isAllowedOrigin({ method: "POST", origin: "https://evil.example", secFetchSite: "same-origin", expectedOrigin })).toBe(false);
    expect(isAllowedOrigin({ method: "DELETE", origin: "http://academy.example.org", secFetchSite: null, expectedOrigin })).toBe(false);
  });
  it("accepts a null Origin only when the browser marks the request same-origin", () => {
    expect(isAllowedOrigin({ method: "POST", origin: "null", secFetchSite: "same-origin", expectedOrigin })).toBe(true);
    expect(isAllowedOrigin({ method: "POST", origin: "null", secFetchSite: "cross-site", expectedOrigin })).toBe(false);
    expect(isAllowedOrigin({ method: "POST", origin: null, secFetchSite: null, expectedOrigin })).toBe(false);
  });
});
