import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type express from "express";
import { describe, expect, it } from "vitest";
import { makeCohort, makeUser } from "~/models/factories.server";
import { markSectionRead } from "~/models/progress.server";
import { flushVisits, queuedVisits } from "~/models/visits.server";
import { createLessonPages } from "./lesson-pages.server";

function request(path: string, method = "GET", headers: Record<string, string> = {}) {
  return { method, originalUrl: path, headers } as unknown as express.Request;
}

function response() {
  const sent: { status?: number; headers?: Record<string, unknown>; body?: string } = {};
  const bytes: Buffer[] = [];
  const res = {
    writeHead(status: number, headers: Record<string, unknown>) {
      sent.status = status;
      sent.headers = headers;
      return res;
    },
    end(body: Buffer) {
      // Every page is sent as bytes (the identity page encoded once); `body` is their text, `bytes` them.
      bytes.push(body);
      sent.body = body.toString("utf8");
      return res;
    },
  };
  return { res: res as unknown as express.Response, sent, bytes };
}

async function learner({ name, cohortId = makeCohort().id }: { name?: string; cohortId?: number } = {}) {
  const user = await makeUser({ role: "learner", cohortId, name, passwordHash: null });
  return { id: user.id, email: user.email, name: user.name, role: user.role, country: user.country };
}

describe("the lesson pages' fast path", () => {
  it("serves a section's page from what Remix rendered for the same state, and records the visit", async () => {
    const pages = createLessonPages();
    const ana = await learner();
    const path = "/modules/alpha/threats";
    expect(pages.serve(request(path), response().res, ana)).toBe(false);
    pages.capture(request(path), ana)!(200, "<html>alpha threats, nothing read</html>");
    flushVisits();
    const { res, sent } = response();
    expect(pages.serve(request(path), res, ana)).toBe(true);
    expect(sent).toEqual({
      status: 200,
      headers: { "Content-Type": "text/html; charset=utf-8", Vary: "Accept-Encoding", "Content-Length": 40 },
      body: "<html>alpha threats, nothing read</html>",
    });
    expect(queuedVisits()).toBe(1);
    // Encoded as the compression middleware would: br first, then gzip; weights are left to it.
    const br = response();
    expect(pages.serve(request(path, "GET", { "accept-encoding": "gzip, deflate, br" }), br.res, ana, { "X-Frame-Options": "DENY" })).toBe(true);
    expect(br.sent.headers).toMatchObject({ "X-Frame-Options": "DENY", "Content-Encoding": "br", Vary: "Accept-Encoding" });
    expect(brotliDecompressSync(br.bytes[0]!).toString()).toBe("<html>alpha threats, nothing read</html>");
    const zipped = response();
    expect(pages.serve(request(path, "GET", { "accept-encoding": "gzip" }), zipped.res, ana)).toBe(true);
    expect(gunzipSync(zipped.bytes[0]!).toString()).toBe("<html>alpha threats, nothing read</html>");
    expect(pages.serve(request(path, "GET", { "accept-encoding": "gzip;q=0.5, br;q=1" }), response().res, ana)).toBe(false);
    expect(pages.serve(request(path, "GET", { "accept-encoding": "deflate" }), response().res, ana)).toBe(false);

    // Another learner in the same state gets the same page; a new state is Remix's again.
    const ben = await learner();
    expect(pages.serve(request(path), response().res, ben)).toBe(true);
    markSectionRead({ userId: ben.id, slug: "alpha", sectionId: "introduction" });
    expect(pages.serve(request(path), response().res, ben)).toBe(false);
    expect(pages.serve(request(path), response().res, ana)).toBe(true);
  });

  it("leaves to Remix what it does not know: other roles, methods, query strings, unknown sections, failed renders", async () => {
    const pages = createLessonPages();
    const ana = await learner();
    const path = "/modules/alpha/history";
    pages.capture(request(path), ana)!(500, "<html>error</html>");
    expect(pages.serve(request(path), response().res, ana)).toBe(false);
    pages.capture(request(path), ana)!(200, "<html>ok</html>");
    expect(pages.serve(request(path), response().res, ana)).toBe(true);
    expect(pages.serve(request(path, "POST"), response().res, ana)).toBe(false);
    expect(pages.serve(request(`${path}?x=1`), response().res, ana)).toBe(false);
    expect(pages.serve(request(path), response().res, null)).toBe(false);
    expect(pages.serve(request(path), response().res, { ...ana, role: "instructor" })).toBe(false);
    expect(pages.capture(request("/modules/alpha/no-such-section"), ana)).toBeNull();
    expect(pages.capture(request("/modules/alpha/history.data"), ana)).toBeNull();
  });

  it("does not keep a page whose state changed while it rendered", async () => {
    const pages = createLessonPages();
    const ana = await learner();
    const path = "/modules/alpha/practice";
    const keep = pages.capture(request(path), ana)!;
    markSectionRead({ userId: ana.id, slug: "alpha", sectionId: "history" });
    keep(200, "<html>rendered before the read</html>");
    expect(pages.size()).toBe(0);
    expect(pages.serve(request(path), response().res, ana)).toBe(false);
  });

  it("never keeps a page that names its reader", async () => {
    const pages = createLessonPages();
    const ana = await learner();
    const path = "/modules/alpha/introduction";
    pages.capture(request(path), ana)!(200, `<html>Hello ${ana.name}</html>`);
    pages.capture(request(path), ana)!(200, `<html>${ana.email}</html>`);
    expect(pages.size()).toBe(0);
  });

  it("keeps the dashboard with a slot for its reader's name, filled and escaped for each learner", async () => {
    const pages = createLessonPages();
    const cohortId = makeCohort().id;
    const ana = await learner({ name: "Ana O'Brien & <Sons>", cohortId });
    const ben = await learner({ name: "Ben Ruiz", cohortId });
    flushVisits();
    expect(pages.serve(request("/"), response().res, ana)).toBe(false);
    pages.capture(request("/"), ana)!(200, "<html><h1>Welcome, Ana O&#x27;Brien &amp; &lt;Sons&gt;</h1>0%</html>");
    const seen = response();
    expect(pages.serve(request("/"), seen.res, ben)).toBe(true);
    expect(seen.sent.body).toBe("<html><h1>Welcome, Ben Ruiz</h1>0%</html>");
    expect(seen.sent.headers).toMatchObject({ "Content-Length": Buffer.byteLength(seen.sent.body!) });
    // No visit is recorded for the dashboard.
    expect(queuedVisits()).toBe(0);
    // Another state is Remix's; a page where the name is not alone (or absent) is never kept.
    markSectionRead({ userId: ben.id, slug: "alpha", sectionId: "introduction" });
    expect(pages.serve(request("/"), response().res, ben)).toBe(false);
    pages.capture(request("/"), ben)!(200, "<html><h1>Welcome, Ben Ruiz</h1><p>Ben Ruiz</p></html>");
    pages.capture(request("/"), ben)!(200, "<html><h1>Welcome</h1></html>");
    pages.capture(request("/"), ben)!(200, `<html><h1>Welcome, Ben Ruiz</h1>${ben.email}</html>`);
    expect(pages.serve(request("/"), response().res, ben)).toBe(false);
    expect(pages.size()).toBe(1);
  });
});
