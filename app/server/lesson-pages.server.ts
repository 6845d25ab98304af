// The fast path of the commonest requests, a signed-in learner's lesson section and dashboard
// (ADR 010). The page is the one the route renders with React: the first request for each state
// goes through Remix, and its HTML is kept under the state's key (sectionPage's: the edition, the
// section, the read marks, the quiz and the exercise; dashboardPage's: its data without the name);
// later requests in that state get those bytes, after the same session check, the same model reads
// and (for a section) the same visit write as the route. The dashboard's one per-learner part, the
// name, is a slot filled for each request, escaped as React escapes text.
import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";
import type http from "node:http";
import type { SessionUser } from "~/auth/session.server";
import type { CourseArtifact } from "~/content/course.server";
import { recordVisit } from "~/models/progress.server";
import { dashboardPage } from "~/models/dashboard.server";
import { sectionPage } from "~/models/section-page.server";

/** Text as React's server renderer escapes it in an element's content. */
function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" })[c]!);
}

/** Pages kept: about 40 KB each, so at most a few tens of MB. */
const MAX_PAGES = 1_000;
const SECTION_PATH = /^\/modules\/([a-z0-9][a-z0-9_-]*)\/([a-z0-9][a-z0-9_-]*)$/;
const DASHBOARD_PATH = "/";

export interface LessonPages {
  /**
   * Serves the request from the cache, with `headers` besides its own; false when it must go to Remix
   * (then `capture` tells what to keep).
   */
  serve(req: http.IncomingMessage, res: http.ServerResponse, user: SessionUser | null, headers?: Record<string, string>): boolean;
  /** For a request `serve` declined: a function to call with the page Remix rendered, or null. */
  capture(req: http.IncomingMessage, user: SessionUser | null): ((status: number, html: string) => void) | null;
  /** Whether the request's address is a lesson section's (before any session check). */
  candidate(req: http.IncomingMessage): boolean;
  size(): number;
}

interface Page {
  html: string;
  /** A dashboard's HTML around its reader's name, which is filled in for each request. */
  slot?: [before: string, after: string];
  /** The HTML's bytes, encoded once. */
  identity?: Buffer;
  /** The same bytes compressed, each made on the first request that accepts it. */
  br?: Buffer;
  gzip?: Buffer;
}

/**
 * The encoding the compression middleware would choose for this Accept-Encoding (it prefers br,
 * then gzip), or undefined when only it should decide (weights, or deflate alone).
 */
function encodingFor(accept: string): "br" | "gzip" | "identity" | undefined {
  if (accept.includes(";")) return undefined;
  const tokens = new Set(accept.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean));
  if (tokens.has("br")) return "br";
  if (tokens.has("gzip")) return "gzip";
  if (tokens.has("deflate") || tokens.has("*")) return undefined;
  return "identity";
}

function encode(page: Page, encoding: "br" | "gzip" | "identity"): Buffer {
  if (encoding === "br") {
    // The middleware's own quality (4).
    return (page.br ??= brotliCompressSync(page.html, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } }));
  }
  if (encoding === "gzip") return (page.gzip ??= gzipSync(page.html));
  return (page.identity ??= Buffer.from(page.html));
}

export function createLessonPages(): LessonPages {
  let release: CourseArtifact | null = null;
  let pages = new Map<string, Page>();

  const keep = (key: string, page: Page) => {
    if (pages.size >= MAX_PAGES) pages.delete(pages.keys().next().value!);
    pages.set(key, page);
  };

  // Express's `originalUrl` when the request went through it: its mounting may have changed `url`.
  const addressOf = (req: http.IncomingMessage) => (req as { originalUrl?: string }).originalUrl ?? req.url ?? "";

  /** The page's state: its key, the visit it records, whether its reader's name is a slot. */
  const stateOf = (req: http.IncomingMessage, user: SessionUser | null) => {
    if (req.method !== "GET" || !user || user.role !== "learner") return undefined;
    // Only the bare address: a query string (or anything else) is Remix's to answer.
    const address = addressOf(req);
    let state: { key: string; release: CourseArtifact; visit?: { slug: string; sectionId: string }; named: boolean } | undefined;
    if (address === DASHBOARD_PATH) {
      const page = dashboardPage({ userId: user.id, name: user.name });
      state = { key: `/|${page.key}`, release: page.release, named: true };
    } else {
      const match = SECTION_PATH.exec(address);
      const page = match ? sectionPage({ userId: user.id, slug: match[1]!, sectionId: match[2]! }) : undefined;
      if (!page) return undefined;
      state = { key: page.key, release: page.release, visit: { slug: page.data.module.slug, sectionId: page.data.section.id }, named: false };
    }
    if (state.release !== release) {
      release = state.release;
      pages = new Map();
    }
    return state;
  };

  return {
    serve(req, res, user, headers = {}) {
      // Encoded as the compression middleware encodes the same page sent through Remix.
      const encoding = encodingFor(String(req.headers?.["accept-encoding"] ?? ""));
      if (!encoding) return false;
      const state = stateOf(req, user);
      const kept = state && pages.get(state.key);
      if (!state || !kept) return false;
      if (state.visit) recordVisit({ userId: user!.id, ...state.visit });
      const body = kept.slot ? encode({ html: kept.slot[0] + escapeText(user!.name) + kept.slot[1] }, encoding) : encode(kept, encoding);
      res.writeHead(200, {
        ...headers,
        "Content-Type": "text/html; charset=utf-8",
        ...(encoding === "identity" ? {} : { "Content-Encoding": encoding }),
        Vary: "Accept-Encoding",
        "Content-Length": body.length,
      });
      res.end(body);
      return true;
    },
    capture(req, user) {
      const before = stateOf(req, user);
      if (!before) return null;
      return (status, html) => {
        // Kept only if nothing changed the state while Remix rendered it.
        if (status !== 200 || stateOf(req, user)?.key !== before.key) return;
        // Shared by every learner in that state: never a page with its reader's address, and the
        // name only where the page has a slot for it, and only if it appears there alone.
        if (html.includes(user!.email)) return;
        const name = escapeText(user!.name);
        if (!before.named) {
          if (user!.name.length < 5 || !html.includes(user!.name)) keep(before.key, { html });
          return;
        }
        const at = html.indexOf(name);
        if (name.length === 0 || at < 0 || html.indexOf(name, at + 1) >= 0) return;
        keep(before.key, { html, slot: [html.slice(0, at), html.slice(at + name.length)] });
      };
    },
    candidate: (req) => {
      const address = addressOf(req);
      return address === DASHBOARD_PATH || SECTION_PATH.test(address);
    },
    size: () => pages.size,
  };
}
