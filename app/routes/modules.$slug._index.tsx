import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireRole } from "~/auth/session.server";
import { courseProgress, learnerEdition } from "~/models/progress.server";

/** /modules/:slug resumes where the learner stopped. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "learner");
  const module = courseProgress({ userId: user.id, edition: learnerEdition(user.id) }).modules.find((m) => m.slug === params.slug);
  if (!module) throw new Response("No such module.", { status: 404 });
  const target = module.status === "completed" ? module.sections[0]?.id ?? "quiz" : module.resume;
  throw redirect(`/modules/${module.slug}/${target}`);
}
