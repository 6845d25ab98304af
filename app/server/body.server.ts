import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { MAX_BODY_BYTES } from "~/lib/forms.server";

/** A short page (plain text for a client that does not take HTML) for a request refused before Remix. */
function refuse(req: ExpressRequest, res: ExpressResponse, status: number, title: string, text: string) {
  // The answer goes out at once. Node then discards the rest of the body as it arrives (never
  // stored; bounded by the server's requestTimeout): closing instead would reset the connection
  // under a client still sending, and it would see a broken pipe rather than this page.
  res.status(status);
  if (req.accepts(["html", "text"]) !== "html") return res.type("text/plain").send(`${title}\n${text}\n`);
  res.type("html").send(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>${title} · Cyber Diplomacy Academy</title></head>` +
      `<body><main><h1>${title}</h1><p>${text}</p><p><a href="/">Go to your home page</a></p></main></body></html>`,
  );
}

const tooLarge = (req: ExpressRequest, res: ExpressResponse) =>
  refuse(req, res, 413, "Too much data", `This request carries more than ${MAX_BODY_BYTES / 1024} KiB. No form of this site needs that much; nothing was saved.`);

/**
 * Reads a request's body into `req.body`, at most MAX_BODY_BYTES: a larger declared Content-Length
 * is refused before a byte is read, a chunked body as soon as it passes the limit. Every route is
 * behind it, so no body can hold the event loop or the memory, whatever the route does with it.
 */
export const limitBody: RequestHandler = (req, res, next) => {
  // Read already, within the same limit, by the quiz submission's fast path.
  if (Buffer.isBuffer(req.body)) return next();
  const chunked = req.headers["transfer-encoding"] !== undefined;
  const declared = Number(req.headers["content-length"] ?? 0);
  if (!chunked && !declared) return next();
  if (declared > MAX_BODY_BYTES) return tooLarge(req, res);
  const encoding = req.headers["content-encoding"];
  if (encoding && encoding !== "identity") {
    return refuse(req, res, 415, "Unsupported encoding", "This site takes forms as they are, not compressed (Content-Encoding).");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
    req.off("data", onData).off("end", onEnd);
    tooLarge(req, res);
  };
  const onEnd = () => {
    req.body = Buffer.concat(chunks);
    next();
  };
  req.on("data", onData).on("end", onEnd);
  // A client that goes away mid-body gets no answer; there is nothing to log either.
  req.once("error", () => res.destroy());
};

/** The Remix request with the body `limitBody` read (Remix would otherwise read the spent stream). */
export function withReadBody(request: Request, req: ExpressRequest): Request {
  // A GET or HEAD body was bounded like any other, and is not passed on (fetch forbids it).
  if (!Buffer.isBuffer(req.body) || request.method === "GET" || request.method === "HEAD") return request;
  return new Request(request, { body: req.body, duplex: "half" } as RequestInit);
}
