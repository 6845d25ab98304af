import fs from "node:fs";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { assetPath } from "~/content/course.server";

const TYPES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", svg: "image/svg+xml" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const file = assetPath(params.slug ?? "", params.file ?? "");
  const type = TYPES[(params.file ?? "").split(".").pop()?.toLowerCase() ?? ""];
  if (!file || !type) throw new Response("Not found", { status: 404 });
  return new Response(fs.readFileSync(file), {
    headers: {
      "Content-Type": type,
      // The name carries a content hash.
      "Cache-Control": "private, max-age=31536000, immutable",
      // An SVG opened directly must not run script.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
