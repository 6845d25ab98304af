import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireCoordinatedCohort } from "~/auth/session.server";
import { Pager } from "~/components/Pager";
import { pageParam } from "~/lib/form-schemas.server";
import { AUDIT_LABEL, AUDIT_PAGE_SIZE, listAudit, type AuditAction } from "~/models/audit.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(
    `Audit log · ${data?.cohort.name ?? "Cohort"} · Cyber Diplomacy Academy`,
    `What coordinators did in the cohort ${data?.cohort.name ?? ""}, and when.`,
  );

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cohort } = await requireCoordinatedCohort(request, params.cohort);
  const page = pageParam(new URL(request.url));
  const { total, rows } = listAudit({ cohortId: cohort.id, page });
  return {
    cohort: { name: cohort.name, slug: cohort.slug },
    page,
    pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    total,
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorName: r.actorName,
      action: AUDIT_LABEL[r.action as AuditAction] ?? r.action,
      subjectName: r.subjectName,
      detail: r.detail,
    })),
  };
}

export default function AuditPage() {
  const { cohort, page, pages, total, rows } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/coordinator/cohorts/${cohort.slug}`}>← {cohort.name}</Link>
      </p>
      <h1>Audit log</h1>
      <p className="muted">
        Every export, every view of a learner&apos;s record and every coordinator action in {cohort.name}, newest first.
        Times are UTC.
      </p>
      <section className="panel" aria-labelledby="audit-title">
        <h2 id="audit-title" className="visually-hidden">
          Entries
        </h2>
        {rows.length === 0 ? (
          <p>Nothing recorded yet.</p>
        ) : (
          <div className="table-wrap" role="region" aria-labelledby="audit-title" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">About</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <time dateTime={r.at}>{r.at.slice(0, 19).replace("T", " ")}</time>
                    </td>
                    <td>{r.actorName}</td>
                    <td>{r.action}</td>
                    <td>{r.subjectName ?? "—"}</td>
                    <td>{r.detail ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager label="Audit log: pages" param="page" page={page} pages={pages} total={total} />
      </section>
    </>
  );
}
