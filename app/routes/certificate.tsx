import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { getCourse } from "~/content/course.server";
import { getEnv, originFor } from "~/env.server";
import { pageMeta } from "~/lib/meta";
import { certificateFor, studyTimeLabel } from "~/models/certificate.server";

export const meta: MetaFunction = () =>
  pageMeta("Certificate · Cyber Diplomacy Academy", "Your certificate of completion of the cyber diplomacy course, with its verification link.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "learner");
  const certificate = certificateFor(user.id);
  if (!certificate) return { certificate: null };
  const objectives = getCourse().objectives.filter((o) => certificate.objectivesMastered.includes(o.id));
  return {
    certificate: {
      learnerName: certificate.learnerName,
      courseTitle: certificate.courseTitle,
      studyTime: studyTimeLabel(),
      issuer: getEnv().ISSUER_NAME,
      completedAt: certificate.completedAt.toISOString(),
      code: certificate.code,
      revoked: certificate.revokedAt !== null,
      verifyUrl: `${originFor(request)}/certificates/${certificate.code}`,
      objectives: objectives.map((o) => ({ label: `${o.id}: ${o.title}`, practical: certificate.objectivesPractical.includes(o.id) })),
    },
  };
}

export default function CertificatePage() {
  const { certificate } = useLoaderData<typeof loader>();
  if (!certificate) {
    return (
      <section className="panel">
        <h1>Certificate</h1>
        <p>Your certificate appears here when you have completed every module of the course.</p>
        <p>
          <Link to="/">Back to my course</Link>
        </p>
      </section>
    );
  }
  const date = new Date(certificate.completedAt).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  return (
    <article className="certificate" aria-labelledby="certificate-title">
      {certificate.revoked ? (
        <p role="alert" className="alert alert-error">
          <span aria-hidden="true">⚠ </span>This certificate has been revoked by the course coordinators.
        </p>
      ) : null}
      <p className="certificate-issuer">{certificate.issuer}</p>
      <p className="certificate-kicker">Certificate of completion</p>
      <h1 id="certificate-title">{certificate.learnerName}</h1>
      <p>
        has completed the course <strong>{certificate.courseTitle}</strong>, {certificate.studyTime}, on{" "}
        <time dateTime={certificate.completedAt}>{date}</time>.
      </p>
      {certificate.objectives.length ? (
        <>
          <h2>Learning objectives mastered</h2>
          <ul>
            {certificate.objectives.map((o) => (
              <li key={o.label}>
                {o.label}
                {o.practical ? " (shown in a practical exercise)" : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>Issued by {certificate.issuer}.</p>
      <p className="certificate-code">
        Verification code: <strong>{certificate.code}</strong>
        <br />
        Verify at <a href={certificate.verifyUrl}>{certificate.verifyUrl}</a>
      </p>
      <p className="no-print muted">Use your browser’s Print command to print this certificate or save it as PDF.</p>
    </article>
  );
}
