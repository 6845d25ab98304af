import { databaseHealthy } from "~/models/health.server";

export function loader() {
  const healthy = databaseHealthy();
  return Response.json(
    { status: healthy ? "ok" : "error", database: healthy ? "ok" : "unreachable" },
    { status: healthy ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
