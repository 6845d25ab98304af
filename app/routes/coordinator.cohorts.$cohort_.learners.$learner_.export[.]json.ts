import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCohortLearner, requireCoordinatedCohort } from "~/auth/session.server";
import { audit } from "~/models/audit.server";
import { learnerExport } from "~/models/exports/learner-json.server";

/** Everything stored about one learner, as JSON (a subject access request, or before deletion). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, cohort } = await requireCoordinatedCohort(request, params.cohort);
  const learner = requireCohortLearner(cohort.id, params.learner);
  audit({ actor: user, cohortId: cohort.id, action: "export-learner", subject: learner });
  const data = learnerExport({ userId: learner.id });
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="learner-${learner.id}.json"`,
    },
  });
}
