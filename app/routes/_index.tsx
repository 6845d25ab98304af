import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getUser, homeFor } from "~/auth/session.server";
import { editionName } from "~/content/course.server";
import { listUserCohorts } from "~/models/cohort.server";

export const meta: MetaFunction = () => [{ title: "My course · Cyber Diplomacy Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (!user) throw redirect("/login");
  if (user.role !== "learner") throw redirect(homeFor(user.role));
  const cohort = listUserCohorts(user.id)[0];
  return {
    name: user.name,
    cohort: cohort ? { name: cohort.name, edition: editionName(cohort.edition) } : null,
  };
}

export default function LearnerHome() {
  const { name, cohort } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Welcome, {name}</h1>
      <section className="panel" aria-labelledby="cohort-title">
        <h2 id="cohort-title">Your cohort</h2>
        {cohort ? (
          <p>
            You study in <strong>{cohort.name}</strong>
            {cohort.edition ? `, with the ${cohort.edition} edition of the lessons` : ""}.
          </p>
        ) : (
          <p>You are not in a cohort yet. Your course coordinator can add you with an invitation.</p>
        )}
        <p className="muted">
          The course modules, your progress against each learning objective and your certificate appear here as the
          course opens.
        </p>
      </section>
    </>
  );
}
