import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { StatusBadge } from "~/components/StatusBadge";
import { or404, readForm } from "~/lib/forms.server";
import { formatDateTime, formatMinutes } from "~/lib/format";
import { pageMeta } from "~/lib/meta";
import { REVIEW_HOLD_MS } from "~/lib/rules";
import { exerciseFor, requestPeerReview, type NoReview } from "~/models/exercise.server";
import { learnerLesson } from "~/models/learner.server";
import { reviewsAssignedTo, type PeerReviewStatus } from "~/models/peer-review.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(`Peer reviews: ${data?.module.title ?? ""}`, `The submissions of your peers you review in the module “${data?.module.title ?? ""}”.`);

/** The learner's module and its exercise, when it has peer review; 404 otherwise. */
async function context(request: Request, slug: string | undefined) {
  const user = await requireRole(request, "learner");
  const found = learnerLesson({ userId: user.id, slug: slug ?? "" });
  if (!found) throw new Response("No such module.", { status: 404 });
  const exercise = or404(() => exerciseFor(user.id, found.module.slug));
  if (exercise.review.peers === 0) throw new Response("This exercise has no peer review.", { status: 404 });
  return { user, module: found.module, exercise };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, module, exercise } = await context(request, params.slug);
  return {
    module: { slug: module.slug, title: module.title },
    exercise: { title: exercise.title, peers: exercise.review.peers },
    reviews: reviewsAssignedTo({ userId: user.id, slug: module.slug }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, module } = await context(request, params.slug);
  await readForm(request);
  const given = requestPeerReview({ userId: user.id, slug: module.slug });
  if ("reviewId" in given) throw redirect(`/modules/${module.slug}/exercise/reviews/${given.reviewId}`, 303);
  return { none: given.none };
}

const WHY_NONE: Record<NoReview, string> = {
  "not-submitted": "You can review your peers once you have submitted your own answers to this exercise.",
  "no-cohort": "Peers review each other within a cohort, and you are not enrolled in one: ask your course coordinator.",
  "no-peer-review": "This exercise has no peer review.",
  "none-waiting": "No submission is waiting for a review right now: those of your cohort that you may review have all the reviews they need. Come back later.",
};

const STATUS: Record<PeerReviewStatus, { tone: "ok" | "warn" | "off"; label: string }> = {
  "to-do": { tone: "warn", label: "To do" },
  sent: { tone: "ok", label: "Sent" },
  returned: { tone: "off", label: "Returned to the pool" },
};

export default function PeerReviews() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const base = `/modules/${data.module.slug}/exercise`;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/">My course</Link> › <Link to={`/modules/${data.module.slug}`}>{data.module.title}</Link> ›{" "}
        <Link to={base}>Exercise</Link>
      </p>
      <h1>Peer reviews: {data.exercise.title}</h1>
      <p>
        Each submission is reviewed by {data.exercise.peers} {data.exercise.peers === 1 ? "peer" : "peers"} of your cohort, against the
        exercise&apos;s rubric. Reviews are anonymous both ways: you do not see whose text you review, and the author does not see your
        name. Send each review within {formatMinutes(REVIEW_HOLD_MS / 60_000)}; after that the submission goes back to the pool for someone else (you can still send
        yours).
      </p>
      {answer ? (
        <div role="status" className="alert alert-info">
          {WHY_NONE[answer.none]}
          {answer.none === "not-submitted" ? (
            <>
              {" "}
              <Link to={base}>Go to the exercise</Link>
            </>
          ) : null}
        </div>
      ) : null}
      <Form method="post">
        <button type="submit" className="button">
          Review the next submission
        </button>
      </Form>
      <h2>Reviews assigned to you</h2>
      {data.reviews.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ul className="module-list">
          {data.reviews.map((r) => (
            <li key={r.id} className="panel">
              <h3 className="outline-title">
                <Link to={`${base}/reviews/${r.id}`}>Review {r.number}</Link>{" "}
                <StatusBadge tone={STATUS[r.status].tone}>{STATUS[r.status].label}</StatusBadge>
              </h3>
              <p className="module-meta">
                {r.status === "sent" && r.sentAt ? (
                  <>
                    Sent on <time dateTime={r.sentAt}>{formatDateTime(r.sentAt)}</time>.
                  </>
                ) : r.status === "to-do" ? (
                  <>
                    Send it by <time dateTime={r.dueAt}>{formatDateTime(r.dueAt)}</time>.
                  </>
                ) : (
                  <>
                    Not sent by <time dateTime={r.dueAt}>{formatDateTime(r.dueAt)}</time>: the submission went back to the pool for another
                    reviewer. You can still send your review.
                  </>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
