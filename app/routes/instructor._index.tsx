import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { editionName } from "~/content/course.server";
import { listUserCohorts } from "~/models/cohort.server";

export const meta: MetaFunction = () => [{ title: "Instructor · Cyber Diplomacy Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "instructor");
  const cohorts = listUserCohorts(user.id).map((c) => ({ id: c.id, name: c.name, edition: editionName(c.edition) }));
  return { name: user.name, cohorts };
}

export default function InstructorHome() {
  const { name, cohorts } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Instructor home</h1>
      <p>Welcome, {name}.</p>
      <section className="panel" aria-labelledby="cohorts-title">
        <h2 id="cohorts-title">Cohorts you teach</h2>
        {cohorts.length ? (
          <ul>
            {cohorts.map((c) => (
              <li key={c.id}>
                {c.name}
                {c.edition ? ` (${c.edition} edition)` : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p>You are not assigned to a cohort yet.</p>
        )}
      </section>
    </>
  );
}
