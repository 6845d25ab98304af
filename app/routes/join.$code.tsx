import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getUser, homeFor, startSession } from "~/auth/session.server";
import { Field, FormAlert, NewPasswordField, UnavailableLink } from "~/components/form";
import { countryNames, normalizeCountry } from "~/lib/countries";
import { joinSchema } from "~/lib/form-schemas.server";
import { domainFailure, invalid, parseForm, readForm, retryAfterHeaders } from "~/lib/forms.server";
import { cohortLabel } from "~/models/cohort.server";
import { invitationUnavailableMessage, lookupInvitation, redeemInvitation } from "~/models/invitation.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = () =>
  pageMeta("Join the course · Cyber Diplomacy Academy", "Create your account at Cyber Diplomacy Academy with the invitation you were sent.");

export const headers = retryAfterHeaders;

const ROLE_LABEL = { learner: "a learner", instructor: "an instructor", coordinator: "a coordinator" } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = lookupInvitation(params.code ?? "");
  const user = await getUser(request);
  if (found.status !== "pending") {
    return data(
      { available: false as const, message: invitationUnavailableMessage(found.status), signedInAs: user?.name ?? null },
      { status: found.status === "unknown" ? 404 : 410 },
    );
  }
  return {
    available: true as const,
    cohortName: cohortLabel(found.cohort),
    role: found.invitation.role,
    boundEmail: found.invitation.email,
    expiresAt: found.invitation.expiresAt.toISOString(),
    countries: countryNames(),
    signedInAs: user?.name ?? null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const parsed = parseForm(formData, joinSchema);
  if (!parsed.ok) return invalid(parsed);
  let userId: string;
  let role: keyof typeof ROLE_LABEL;
  try {
    const user = await redeemInvitation({
      code: params.code ?? "",
      ...parsed.data,
      country: normalizeCountry(parsed.data.country),
      ip: context.clientIp,
    });
    userId = user.id;
    role = user.role;
  } catch (error) {
    return domainFailure(error, formData);
  }
  const cookie = await startSession(userId);
  throw redirect(homeFor(role), { headers: { "Set-Cookie": cookie } });
}

export default function Join() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();

  if (!loaderData.available) {
    return (
      // After a refused registration used the code up, the refusal says why better than "used".
      <UnavailableLink title="This invitation cannot be used" message={actionData?.formError ?? loaderData.message} />
    );
  }

  const values = actionData?.values ?? {};
  const errors = actionData?.fieldErrors ?? {};
  return (
    <section className="panel narrow" aria-labelledby="join-title">
      <h1 id="join-title">Join {loaderData.cohortName}</h1>
      <p>
        You are invited to the Cyber Diplomacy course as {ROLE_LABEL[loaderData.role]}. Create your account to begin. The invitation
        expires on{" "}
        <time dateTime={loaderData.expiresAt}>{new Date(loaderData.expiresAt).toUTCString().slice(0, 16)}</time>.
      </p>
      {loaderData.signedInAs ? (
        <p className="alert alert-info">
          <span aria-hidden="true">ℹ </span>You are signed in as {loaderData.signedInAs}. This invitation creates a
          new, separate account.
        </p>
      ) : null}
      {actionData?.formError ? <FormAlert>{actionData.formError}</FormAlert> : null}
      <Form method="post" noValidate>
        <Field
          label="Full name"
          name="name"
          autoComplete="name"
          required
          defaultValue={values.name ?? ""}
          error={errors.name}
        />
        <Field
          label="Email address"
          name="email"
          type="email"
          autoComplete="email"
          required
          readOnly={Boolean(loaderData.boundEmail)}
          hint={loaderData.boundEmail ? "This invitation is for this address." : undefined}
          defaultValue={loaderData.boundEmail ?? values.email ?? ""}
          error={errors.email}
        />
        <NewPasswordField label="Password" name="password" error={errors.password} />
        <Field
          label="Country"
          name="country"
          autoComplete="country-name"
          list="country-list"
          required
          hint="The country whose Ministry you serve."
          defaultValue={values.country ?? ""}
          error={errors.country}
        />
        <datalist id="country-list">
          {loaderData.countries.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <div className="privacy">
          <h2>Your privacy</h2>
          <p>
            We store your name, email address, country, your progress and your quiz results to run this course and
            to give your course coordinators completion and mastery reports. We do not share them with anyone else,
            and use no tracking or advertising cookies: only a cookie that keeps you signed in. Ask your coordinator
            to have your account deactivated or your data removed.
          </p>
        </div>
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          Create my account
        </button>
      </Form>
    </section>
  );
}
