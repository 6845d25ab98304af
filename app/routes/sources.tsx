import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { SourceLink } from "~/components/References";
import { getCourse } from "~/content/course.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = () =>
  pageMeta("Sources · Cyber Diplomacy Academy", "The primary sources the course cites: UN reports and resolutions, treaties and national documents.");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const course = getCourse();
  const titles = new Map(course.modules.map((m) => [m.slug, m.title]));
  return { sources: course.sources.map((s) => ({ ...s, moduleTitles: s.modules.map((m) => titles.get(m) ?? m) })) };
}

export default function Sources() {
  const { sources } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Sources</h1>
      <p className="muted">The primary documents cited in the course, with the modules that cite them.</p>
      <ul className="sources panel">
        {sources.map((s) => (
          <li key={`${s.symbol ?? ""}${s.title}`}>
            <SourceLink source={s} />
            <span className="muted small"> · {s.moduleTitles.join("; ")}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
