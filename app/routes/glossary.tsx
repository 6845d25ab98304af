import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { getCourse } from "~/content/course.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = () =>
  pageMeta("Glossary · Cyber Diplomacy Academy", "The key terms of cyber diplomacy defined in the course, with the module that explains each.");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const course = getCourse();
  const titles = new Map(course.modules.map((m) => [m.slug, m.title]));
  return { terms: course.glossary.map((g) => ({ ...g, moduleTitle: titles.get(g.module) ?? g.module })) };
}

export default function Glossary() {
  const { terms } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Glossary</h1>
      <p className="muted">Every key term of the course, from the modules that define it.</p>
      <dl className="glossary panel">
        {terms.map((t) => (
          <div key={`${t.module}-${t.term}`}>
            <dt>{t.term}</dt>
            <dd>
              <div dangerouslySetInnerHTML={{ __html: t.html }} />
              <p className="muted small">From: {t.moduleTitle}</p>
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}
