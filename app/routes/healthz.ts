import { checkHealth } from "~/models/health.server";

export function loader() {
  const { ok, checks } = checkHealth();
  return Response.json({ status: ok ? "ok" : "error", checks }, { status: ok ? 200 : 503 });
}
