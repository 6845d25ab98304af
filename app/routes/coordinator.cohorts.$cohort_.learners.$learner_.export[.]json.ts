import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCoordinatedCohort } from "~/auth/session.server";
import { or404 } from "~/lib/forms.server";
import { recordLearnerExport } from "~/models/coordinator-actions.server";
import { learnerExport } from "~/models/exports/learner-json.server";

/** Everything stored about one learner, as JSON (a subject access request, or before deletion). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, cohort } = await requireCoordinatedCohort(request, params.cohort);
  const learner = or404(() => recordLearnerExport({ actor: user, cohort }, { learnerId: params.learner }));
  const data = learnerExport({ userId: learner.id });
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="learner-${learner.id}.json"`,
    },
  });
}
