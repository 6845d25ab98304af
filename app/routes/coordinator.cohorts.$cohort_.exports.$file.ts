import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCoordinatedCohort } from "~/auth/session.server";
import { originFor } from "~/env.server";
import { recordCohortExport, type ExportAction } from "~/models/coordinator-actions.server";
import { attemptsCsv, completionCsv, exercisesCsv, masteryCsv } from "~/models/exports/csv.server";
import { xapiStatements } from "~/models/exports/xapi.server";

const CSV = "text/csv; charset=utf-8";
const EXPORTS: Record<string, { action: ExportAction; type: string; stream: (cohortId: number, origin: string) => ReadableStream<Uint8Array> }> = {
  "completion.csv": { action: "export-completion", type: CSV, stream: (cohortId) => completionCsv({ cohortId }) },
  "mastery.csv": { action: "export-mastery", type: CSV, stream: (cohortId) => masteryCsv({ cohortId }) },
  "attempts.csv": { action: "export-attempts", type: CSV, stream: (cohortId) => attemptsCsv({ cohortId }) },
  "exercises.csv": { action: "export-exercises", type: CSV, stream: (cohortId) => exercisesCsv({ cohortId }) },
  "xapi.ndjson": { action: "export-xapi", type: "application/x-ndjson; charset=utf-8", stream: (cohortId, origin) => xapiStatements({ cohortId, origin }) },
};

/** Streams one of the cohort's exports; each download is written to the audit log first. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, cohort } = await requireCoordinatedCohort(request, params.cohort);
  const kind = params.file ? EXPORTS[params.file] : undefined;
  if (!kind) throw new Response("No such export.", { status: 404 });
  recordCohortExport({ actor: user, cohort }, { action: kind.action });
  const [stem, ext] = params.file!.split(".");
  const filename = `${cohort.slug}-${stem}-${new Date().toISOString().slice(0, 10)}.${ext}`;
  return new Response(kind.stream(cohort.id, originFor(request)), {
    headers: {
      "Content-Type": kind.type,
      "Content-Disposition": `attachment; filename="${filename}"`,
    },
  });
}
