import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { endAllSessions, getSessionId, requireUser } from "~/auth/session.server";
import { Field, FormAlert, NewPasswordField, StatusMessage } from "~/components/form";
import { accountSchemas } from "~/lib/form-schemas.server";
import { domainFailure, invalid, parseForm, readForm, retryAfterHeaders } from "~/lib/forms.server";
import { changePassword, updateUserName } from "~/models/user.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = () =>
  pageMeta("Your account · Cyber Diplomacy Academy", "Your profile and password at Cyber Diplomacy Academy, and signing out everywhere.");

const ROLE_NAME = { learner: "Learner", instructor: "Instructor", coordinator: "Coordinator" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { name: user.name, email: user.email, role: ROLE_NAME[user.role], country: user.country };
}

export const headers = retryAfterHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  const intent = formData.get("intent");

  if (intent === "name") {
    const parsed = parseForm(formData, accountSchemas.name);
    if (!parsed.ok) return invalid({ ...parsed, formError: undefined });
    updateUserName({ userId: user.id, name: parsed.data.name });
    return { ok: true as const, intent, message: "Your name is saved." };
  }
  if (intent === "password") {
    const parsed = parseForm(formData, accountSchemas.password);
    if (!parsed.ok) return invalid({ ...parsed, formError: undefined });
    const sessionId = await getSessionId(request);
    try {
      await changePassword({
        userId: user.id,
        currentSessionId: sessionId ?? "",
        ...parsed.data,
        ip: context.clientIp,
        cookieHeader: request.headers.get("Cookie"),
      });
    } catch (error) {
      return domainFailure(error, formData);
    }
    return { ok: true as const, intent, message: "Your password is changed. Every other device has been signed out." };
  }
  if (intent === "signout-everywhere") {
    const cookie = await endAllSessions(user.id);
    throw redirect("/login?signedOut=everywhere", { headers: { "Set-Cookie": cookie } });
  }
  return invalid({ fieldErrors: {}, formError: "Unknown action." });
}

export default function Account() {
  const user = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && !result.ok ? result : undefined;
  return (
    <>
      <h1>Your account</h1>
      {result?.ok ? <StatusMessage>{result.message}</StatusMessage> : null}
      {failure?.formError ? <FormAlert>{failure.formError}</FormAlert> : null}
      <section className="panel" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <dl className="facts">
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>{user.role}</dd>
          {user.country ? (
            <>
              <dt>Country</dt>
              <dd>{user.country}</dd>
            </>
          ) : null}
        </dl>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="name" />
          <Field
            label="Full name"
            name="name"
            autoComplete="name"
            required
            defaultValue={failure?.values.name ?? user.name}
            error={failure?.fieldErrors.name}
          />
          <button type="submit" className="button">
            Save name
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="password-title">
        <h2 id="password-title">Change password</h2>
        <p className="muted">Changing your password signs you out on every other device.</p>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="password" />
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            error={failure?.fieldErrors.currentPassword}
          />
          <NewPasswordField label="New password" name="newPassword" error={failure?.fieldErrors.newPassword} />
          <button type="submit" className="button">
            Change password
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sign out everywhere</h2>
        <p>If you signed in on a shared or lost device, end every session of your account, including this one.</p>
        <Form method="post">
          <input type="hidden" name="intent" value="signout-everywhere" />
          <button type="submit" className="button button-secondary">
            Sign out everywhere
          </button>
        </Form>
      </section>
    </>
  );
}
