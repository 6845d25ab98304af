import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import type { RouteHandle } from "~/root";
import { LessonView } from "~/components/LessonView";
import { getCourse } from "~/content/course.server";
import { learnerLesson } from "~/models/learner.server";
import { pageMeta } from "~/lib/meta";
import { courseProgress } from "~/models/progress.server";

// Lesson pages are plain HTML: they work fully without JavaScript, so slow links download none.
export const handle: RouteHandle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(`${data?.lesson.title ?? "Module"} (print)`, data?.lesson.summary);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "learner");
  const found = learnerLesson({ userId: user.id, slug: params.slug ?? "" });
  if (!found) throw new Response("No such module.", { status: 404 });
  const objectives = getCourse().objectives.filter((o) => found.module.objectives.includes(o.id));
  const progress = courseProgress({ userId: user.id, edition: found.edition });
  return {
    lesson: found.lesson,
    objectives: objectives.map((o) => ({ id: o.id, title: o.title })),
    minutesLeft: progress.modules.find((m) => m.slug === found.module.slug)?.minutesLeft ?? 0,
  };
}

export default function PrintModule() {
  const { lesson, objectives, minutesLeft } = useLoaderData<typeof loader>();
  return (
    <div className="print-view">
      <p className="no-print">
        <Link to={`/modules/${lesson.slug}`}>← Back to the module</Link> · Use your browser’s Print command to print
        or save it as PDF.
      </p>
      <LessonView lesson={lesson} objectives={objectives} minutesLeft={minutesLeft} />
    </div>
  );
}
