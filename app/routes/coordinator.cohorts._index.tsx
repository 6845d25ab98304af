import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { Field, FieldError, FormAlert } from "~/components/form";
import { editionName, listEditions } from "~/content/course.server";
import { cohortSchema } from "~/lib/form-schemas.server";
import { domainFailure, invalid, parseForm, readForm } from "~/lib/forms.server";
import { createCohort, listCoordinatedCohorts } from "~/models/cohort.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = () =>
  pageMeta("Cohorts · Cyber Diplomacy Academy", "The cohorts you coordinate, and creating a new one.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coordinator");
  const cohorts = listCoordinatedCohorts(user.id).map((c) => ({
    ...c,
    createdAt: c.createdAt.toISOString(),
    edition: editionName(c.edition),
  }));
  return { cohorts, editions: listEditions() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coordinator");
  const schema = cohortSchema(listEditions().map((e) => e.id));
  const formData = await readForm(request);
  const parsed = parseForm(formData, schema);
  if (!parsed.ok) return invalid(parsed);
  try {
    const cohort = createCohort({ ...parsed.data, coordinatorId: user.id });
    throw redirect(`/coordinator/cohorts/${cohort.slug}`);
  } catch (error) {
    if (error instanceof Response) throw error;
    return domainFailure(error, formData);
  }
}

export default function Cohorts() {
  const { cohorts, editions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors ?? {};
  const values = actionData?.values ?? {};
  return (
    <>
      <h1>Your cohorts</h1>
      {cohorts.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Cohorts you coordinate</caption>
            <thead>
              <tr>
                <th scope="col">Cohort</th>
                <th scope="col">Edition</th>
                <th scope="col">Learners</th>
                <th scope="col">Open invitations</th>
              </tr>
            </thead>
            <tbody>
              {cohorts.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/coordinator/cohorts/${c.slug}`}>{c.name}</Link>
                    <div className="muted small">{c.slug}</div>
                  </td>
                  <td>{c.edition ?? "Standard"}</td>
                  <td>{c.learners}</td>
                  <td>{c.pendingInvitations}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>You do not coordinate a cohort yet. Create the first one below.</p>
      )}

      <section className="panel" aria-labelledby="create-title">
        <h2 id="create-title">Create a cohort</h2>
        {actionData?.formError ? <FormAlert>{actionData.formError}</FormAlert> : null}
        <Form method="post" noValidate>
          <Field label="Name" name="name" required defaultValue={values.name ?? ""} error={errors.name} />
          <Field
            label="Slug"
            name="slug"
            required
            hint="A short identifier in lower case, e.g. montevideo-2026."
            defaultValue={values.slug ?? ""}
            error={errors.slug}
          />
          <div className="field">
            <label htmlFor="field-edition">Edition</label>
            <p id="field-edition-hint" className="hint">
              A country edition adapts lessons to one country; leave standard otherwise.
            </p>
            <select
              id="field-edition"
              name="edition"
              defaultValue={values.edition ?? ""}
              aria-describedby={errors.edition ? "field-edition-hint field-edition-error" : "field-edition-hint"}
              aria-invalid={errors.edition ? true : undefined}
            >
              <option value="">Standard (no country edition)</option>
              {editions.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
            {errors.edition ? <FieldError id="field-edition-error">{errors.edition}</FieldError> : null}
          </div>
          <button type="submit" className="button">
            Create cohort
          </button>
        </Form>
      </section>
    </>
  );
}
