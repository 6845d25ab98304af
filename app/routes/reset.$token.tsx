import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert, NewPasswordField, UnavailableLink } from "~/components/form";
import { resetSchema } from "~/lib/form-schemas.server";
import { domainFailure, invalid, parseForm, readForm } from "~/lib/forms.server";
import { lookupPasswordReset, resetPassword, RESET_UNAVAILABLE } from "~/models/password-reset.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = () =>
  pageMeta("Set your password · Cyber Diplomacy Academy", "Set a new password for your Cyber Diplomacy Academy account with your one-time link.");

export function loader({ params }: LoaderFunctionArgs) {
  const target = lookupPasswordReset(params.token ?? "");
  if (!target) return data({ available: false as const, message: RESET_UNAVAILABLE }, { status: 410 });
  return { available: true as const, email: target.email };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const parsed = parseForm(formData, resetSchema);
  if (!parsed.ok) return invalid(parsed);
  try {
    await resetPassword({ token: params.token ?? "", password: parsed.data.password });
  } catch (error) {
    return domainFailure(error, formData);
  }
  // Every session of the account ended with the reset, including one in this browser.
  throw redirect("/login?reset=1");
}

export default function Reset() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!loaderData.available) {
    return (
      <UnavailableLink title="This link cannot be used" message={loaderData.message} />
    );
  }
  return (
    <section className="panel narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">Set your password</h1>
      <p>
        Choose a new password for <strong>{loaderData.email}</strong>. You will then sign in with it; every other
        session of your account ends.
      </p>
      {actionData?.formError ? <FormAlert>{actionData.formError}</FormAlert> : null}
      <Form method="post" noValidate>
        <input type="email" name="username" autoComplete="username" value={loaderData.email} readOnly hidden />
        <NewPasswordField label="New password" name="password" error={actionData?.fieldErrors.password} />
        <button type="submit" className="button">
          Set password
        </button>
      </Form>
    </section>
  );
}
