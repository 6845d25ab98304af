import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getEnv } from "~/env.server";
import { pageMeta } from "~/lib/meta";
import { studyTimeLabel, verifyCertificate } from "~/models/certificate.server";

export const meta: MetaFunction = () =>
  pageMeta("Certificate verification · Cyber Diplomacy Academy", "Check that a certificate of Cyber Diplomacy Academy is genuine and still valid.");

// Public: anyone given a code can check it; nothing beyond the certificate's own face is shown.
export function loader({ params }: LoaderFunctionArgs) {
  const result = verifyCertificate(params.code ?? "");
  if (result.status !== "valid") return data({ result }, { status: 404 });
  return {
    result: {
      ...result,
      completedAt: result.completedAt.toISOString().slice(0, 10),
      studyTime: studyTimeLabel(),
      issuer: getEnv().ISSUER_NAME,
    },
  };
}

export default function VerifyCertificate() {
  const { result } = useLoaderData<typeof loader>();
  return (
    <section className="panel narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">Certificate verification</h1>
      {result.status === "valid" ? (
        <p role="status" className="alert alert-success">
          <span aria-hidden="true">✓ </span>
          Authentic: {result.learnerName} completed {result.courseTitle} on {result.completedAt} ({result.studyTime}).
          Issued by {result.issuer}.
        </p>
      ) : (
        <p role="status" className="alert alert-error">
          <span aria-hidden="true">✗ </span>
          {result.status === "revoked" ? "This certificate has been revoked." : "No certificate has this code. Check that it was copied exactly."}
        </p>
      )}
    </section>
  );
}
