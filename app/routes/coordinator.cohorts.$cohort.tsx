import type { RouteHandle } from "~/root";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireCoordinatedCohort } from "~/auth/session.server";
import { ListSection } from "~/components/ListSection";
import { Field, FieldError, FormAlert, StatusMessage } from "~/components/form";
import { StatusBadge } from "~/components/StatusBadge";
import { editionName } from "~/content/course.server";
import { originFor } from "~/env.server";
import { cohortPageSchemas, pageParam, reportQuerySchema } from "~/lib/form-schemas.server";
import { CohortReport, type CohortReportData } from "~/components/CohortReport";
import { ACTIVE_DAYS } from "~/lib/rules";
import { deletedLearnerName } from "~/models/audit.server";
import { cohortReport } from "~/models/report.server";
import { domainFailure, invalid, parseForm, readForm } from "~/lib/forms.server";
import { listMembers, PAGE_SIZE } from "~/models/cohort.server";
import {
  addCohortCoordinator,
  createMemberPasswordLink,
  inviteMembers,
  revokeCohortInvitation,
  revokeMemberCertificate,
  setMemberActive,
} from "~/models/coordinator-actions.server";
import { listInvitations } from "~/models/invitation.server";
import { DEFAULT_INVITATION_DAYS, MAX_INVITATION_DAYS, MAX_INVITATIONS_AT_ONCE, ROLES } from "~/lib/rules";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(
    `${data?.cohort.name ?? "Cohort"} · Cyber Diplomacy Academy`,
    `Report of the cohort ${data?.cohort.name ?? ""}: its learners' completion and mastery, and its invitations.`,
  );

// The report is the heaviest page a coordinator opens, often on a slow link: sent as plain HTML
// (no JavaScript, no second copy of its data for hydration). Every form on it is a plain form.
export const handle: RouteHandle = { hydrate: false };

const ROLE_LABEL = { learner: "Learner", instructor: "Instructor", coordinator: "Coordinator" } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, cohort } = await requireCoordinatedCohort(request, params.cohort);
  const url = new URL(request.url);
  const memberPage = pageParam(url, "members");
  const invitationPage = pageParam(url, "invitations");
  const query = reportQuerySchema.parse(Object.fromEntries(url.searchParams));
  const report = cohortReport(cohort.id, { ...query, filter: query.status });
  const reportData: CohortReportData = {
    ...report,
    slug: cohort.slug,
    activeDays: ACTIVE_DAYS,
    query,
    rows: report.rows.map((r) => ({ ...r, lastActivityAt: r.lastActivityAt?.toISOString() ?? null })),
  };
  const members = listMembers({ cohortId: cohort.id, page: memberPage });
  const invitations = listInvitations({ cohortId: cohort.id, page: invitationPage });
  return {
    // An audit entry's id, never text from the URL: a link cannot make this page say anything.
    deleted: deletedLearnerName({ cohortId: cohort.id, entryId: url.searchParams.get("deleted") }),
    report: reportData,
    me: user.id,
    cohort: { id: cohort.id, name: cohort.name, slug: cohort.slug, edition: editionName(cohort.edition) },
    members: {
      page: memberPage,
      pages: Math.max(1, Math.ceil(members.total / PAGE_SIZE)),
      total: members.total,
      rows: members.rows.map((m) => ({
        ...m,
        joinedAt: m.joinedAt.toISOString(),
          deactivatedAt: m.deactivatedAt?.toISOString() ?? null,
        certificateRevokedAt: m.certificateRevokedAt?.toISOString() ?? null,
      })),
    },
    invitations: {
      page: invitationPage,
      pages: Math.max(1, Math.ceil(invitations.total / PAGE_SIZE)),
      total: invitations.total,
      rows: invitations.rows.map((i) => ({
        ...i,
        createdAt: i.createdAt.toISOString(),
        expiresAt: i.expiresAt.toISOString(),
      })),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, cohort } = await requireCoordinatedCohort(request, params.cohort);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const origin = originFor(request);
  const scope = { actor: user, cohort };
  try {
    switch (intent) {
      case "invite": {
        const parsed = parseForm(formData, cohortPageSchemas.invite);
        if (!parsed.ok) return invalid(parsed);
        const { message, paths, expiresAt } = inviteMembers(scope, parsed.data);
        return { ok: true as const, intent, message, links: paths.map((path) => `${origin}${path}`), expiresAt: expiresAt.toISOString() };
      }
      case "revoke": {
        const parsed = parseForm(formData, cohortPageSchemas.invitation);
        if (!parsed.ok) return invalid(parsed);
        return { ok: true as const, intent, ...revokeCohortInvitation(scope, parsed.data) };
      }
      case "deactivate":
      case "reactivate": {
        const parsed = parseForm(formData, cohortPageSchemas.member);
        if (!parsed.ok) return invalid(parsed);
        return { ok: true as const, intent, ...setMemberActive(scope, { userId: parsed.data.userId, active: intent === "reactivate" }) };
      }
      case "reset": {
        const parsed = parseForm(formData, cohortPageSchemas.member);
        if (!parsed.ok) return invalid(parsed);
        const { message, path, expiresAt } = createMemberPasswordLink(scope, parsed.data);
        return { ok: true as const, intent, message, links: [`${origin}${path}`], expiresAt: expiresAt.toISOString() };
      }
      case "revoke-certificate": {
        const parsed = parseForm(formData, cohortPageSchemas.member);
        if (!parsed.ok) return invalid(parsed);
        return { ok: true as const, intent, ...revokeMemberCertificate(scope, parsed.data) };
      }
      case "add-coordinator": {
        const parsed = parseForm(formData, cohortPageSchemas.coordinator);
        if (!parsed.ok) return invalid(parsed);
        return { ok: true as const, intent, ...addCohortCoordinator(scope, parsed.data) };
      }
      default:
        return invalid({ fieldErrors: {}, formError: "Unknown action." });
    }
  } catch (error) {
    return domainFailure(error, formData);
  }
}

/** A one-button form for a row of a table: the intent, the record it acts on, and a label. */
function RowAction({ intent, field, value, label, hidden }: { intent: string; field: string; value: string | number; label: string; hidden: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={field} value={value} />
      <button type="submit" className="button button-small button-secondary">
        {label}
        <span className="visually-hidden"> {hidden}</span>
      </button>
    </Form>
  );
}

function date(iso: string) {
  return <time dateTime={iso}>{iso.slice(0, 10)}</time>;
}

export default function CohortPage() {
  const { me, cohort, members, invitations, report, deleted } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && !result.ok ? result : undefined;
  const success = result?.ok ? result : undefined;
  const failedIntent = failure?.values.intent;
  const inviteErrors: Record<string, string> = (failedIntent === "invite" && failure?.fieldErrors) || {};
  const inviteValues: Record<string, string> = (failedIntent === "invite" && failure?.values) || {};
  const coordinatorError = failedIntent === "add-coordinator" ? failure?.fieldErrors.email : undefined;
  const links = success && "links" in success ? success.links : null;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/coordinator/cohorts">← All cohorts</Link>
      </p>
      <h1>{cohort.name}</h1>
      <p className="muted">
        {cohort.slug} · {cohort.edition ? `${cohort.edition} edition` : "Standard edition"}
      </p>

      {success ? <StatusMessage>{success.message}</StatusMessage> : null}
      {deleted && !result ? <StatusMessage>{`${deleted} and their records are deleted.`}</StatusMessage> : null}
      {failure?.formError ? <FormAlert>{failure.formError}</FormAlert> : null}

      {links && success && "expiresAt" in success && success.expiresAt ? (
        <section className="panel highlight no-print" aria-labelledby="links-title">
          <h2 id="links-title">{success.intent === "reset" ? "Password link" : "New invitation links"}</h2>
          <p>
            Copy {links.length === 1 ? "this link" : "these links"} now: only a fingerprint is stored, so{" "}
            {links.length === 1 ? "it" : "they"} cannot be shown again. Valid until {date(success.expiresAt)}, for
            one use.
          </p>
          <label htmlFor="created-links">Links, one per line</label>
          <textarea
            id="created-links"
            readOnly
            rows={Math.min(links.length, 8)}
            value={links.join("\n")}
            className="links-box"
          />
        </section>
      ) : null}

      <CohortReport data={report} />

      {/* Management is for the screen: a printed report carries no forms or buttons. */}
      <div className="no-print">
      <h2 className="part-title">Manage the cohort</h2>
      <section className="panel" aria-labelledby="invite-title">
        <h3 id="invite-title">Invite people</h3>
        <Form method="post" noValidate className="grid-form">
          <input type="hidden" name="intent" value="invite" />
          <div className="field">
            <label htmlFor="field-role">Role</label>
            <select id="field-role" name="role" defaultValue={inviteValues.role ?? "learner"}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
            {inviteErrors.role ? <FieldError>{inviteErrors.role}</FieldError> : null}
          </div>
          <Field
            label="Number of invitations"
            name="count"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_INVITATIONS_AT_ONCE}
            required
            defaultValue={inviteValues.count ?? "1"}
            error={inviteErrors.count}
          />
          <Field
            label="Email address (optional)"
            name="email"
            type="email"
            hint="Binds a single invitation to one address."
            defaultValue={inviteValues.email ?? ""}
            error={inviteErrors.email}
          />
          <Field
            label="Valid for (days)"
            name="expiresDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_INVITATION_DAYS}
            required
            defaultValue={inviteValues.expiresDays ?? String(DEFAULT_INVITATION_DAYS)}
            error={inviteErrors.expiresDays}
          />
          <div className="actions">
            <button type="submit" className="button">
              Create invitations
            </button>
          </div>
        </Form>
      </section>

      <ListSection
        id="invitations-title"
        title="Invitations"
        columns={["Role", "For", "Created", "Expires", "Status"]}
        list={invitations}
        param="invitations"
        empty="No invitations yet."
      >
                {invitations.rows.map((inv) => (
                  <tr key={inv.id}>
                    <td>{ROLE_LABEL[inv.role]}</td>
                    <td>{inv.email ?? "Anyone with the link"}</td>
                    <td>{date(inv.createdAt)}</td>
                    <td>{date(inv.expiresAt)}</td>
                    <td>
                      {inv.status === "used" ? (
                        <StatusBadge tone="ok">{`Used${inv.usedByName ? ` by ${inv.usedByName}` : ""}`}</StatusBadge>
                      ) : inv.status === "pending" ? (
                        <StatusBadge tone="info">Pending</StatusBadge>
                      ) : inv.status === "expired" ? (
                        <StatusBadge tone="warn">Expired</StatusBadge>
                      ) : (
                        <StatusBadge tone="off">Revoked</StatusBadge>
                      )}
                    </td>
                    <td>
                      {inv.status === "pending" ? (
                        <RowAction intent="revoke" field="id" value={inv.id} label="Revoke" hidden={`invitation created ${inv.createdAt.slice(0, 10)}`} />
                      ) : null}
                    </td>
                  </tr>
                ))}
      </ListSection>

      <ListSection
        id="members-title"
        title="Members"
        columns={["Name", "Email", "Role", "Country", "Status"]}
        list={members}
        param="members"
        empty="No members yet: create invitations above."
      >
                {members.rows.map((m) => (
                  <tr key={m.id}>
                    <td>{m.name}</td>
                    <td>{m.email}</td>
                    <td>{ROLE_LABEL[m.role]}</td>
                    <td>{m.country ?? "—"}</td>
                    <td>
                      {m.deactivatedAt ? (
                        <StatusBadge tone="off">Deactivated</StatusBadge>
                      ) : (
                        <StatusBadge tone="ok">Active</StatusBadge>
                      )}
                    </td>
                    <td>
                      {m.id !== me && m.role !== "coordinator" ? (
                        <div className="row-actions">
                          <RowAction
                            intent={m.deactivatedAt ? "reactivate" : "deactivate"}
                            field="userId"
                            value={m.id}
                            label={m.deactivatedAt ? "Reactivate" : "Deactivate"}
                            hidden={m.name}
                          />
                          {m.certificateCode && !m.certificateRevokedAt ? (
                            <RowAction intent="revoke-certificate" field="userId" value={m.id} label="Revoke certificate" hidden={`of ${m.name}`} />
                          ) : null}
                          {m.deactivatedAt ? null : (
                            <RowAction intent="reset" field="userId" value={m.id} label="Password link" hidden={`for ${m.name}`} />
                          )}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
      </ListSection>

      <section className="panel" aria-labelledby="coordinators-title">
        <h2 id="coordinators-title">Add a coordinator</h2>
        <p className="muted">
          Give another coordinator access to this cohort. For someone without an account, create an invitation with
          the Coordinator role instead.
        </p>
        <Form method="post" noValidate className="inline-form">
          <input type="hidden" name="intent" value="add-coordinator" />
          <Field
            label="Coordinator's email address"
            name="email"
            id="field-coordinator-email"
            type="email"
            required
            defaultValue={failedIntent === "add-coordinator" ? (failure?.values.email ?? "") : ""}
            error={coordinatorError}
          />
          <button type="submit" className="button">
            Add coordinator
          </button>
        </Form>
      </section>
      </div>
    </>
  );
}
