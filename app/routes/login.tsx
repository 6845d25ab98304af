import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { attemptSignIn } from "~/auth/sign-in.server";
import { getUser, homeFor, safeRedirect } from "~/auth/session.server";
import { throttledMessage } from "~/auth/throttle.server";
import { Field, FormAlert, StatusMessage } from "~/components/form";
import { loginSchema } from "~/lib/form-schemas.server";
import { invalid, parseForm, readForm, retryAfterHeaders } from "~/lib/forms.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = () =>
  pageMeta("Sign in · Cyber Diplomacy Academy", "Sign in to Cyber Diplomacy Academy, the self-paced cyber diplomacy course for diplomats.");

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(homeFor(user.role));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const parsed = parseForm(formData, loginSchema);
  if (!parsed.ok) return invalid(parsed);
  const { email, password } = parsed.data;
  // Settled before any session exists, so no value of it can fail after one is made.
  const redirectTo = safeRedirect(parsed.data.redirectTo, null);

  const result = await attemptSignIn({
    email,
    password,
    ip: context.clientIp,
    cookieHeader: request.headers.get("Cookie"),
  });
  if (result.ok) {
    const headers = new Headers();
    for (const cookie of result.setCookies) headers.append("Set-Cookie", cookie);
    throw redirect(redirectTo ?? homeFor(result.user.role), { headers });
  }
  const values = { email };
  if (result.reason === "throttled") {
    return data(
      {
        ok: false as const,
        fieldErrors: {} as Record<string, string>,
        values,
        formError: throttledMessage(result.retryAfter),
      },
      { status: 429, headers: { "Retry-After": String(result.retryAfter) } },
    );
  }
  if (result.reason === "deactivated") {
    return data(
      {
        ok: false as const,
        fieldErrors: {} as Record<string, string>,
        values,
        formError: "This account has been deactivated. Ask your course coordinator if you need access again.",
      },
      { status: 403 },
    );
  }
  return invalid({ fieldErrors: {}, values, formError: "The email address or password is not correct." });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const notice =
    params.get("reset") === "1"
      ? "Your new password is set. Sign in with it."
      : params.get("signedOut") === "everywhere"
        ? "You have been signed out on every device."
        : params.get("signedOut") === "1"
          ? "You have been signed out."
          : params.get("kept") === "answers"
            ? "Your session ended. Sign in again: your quiz answers are kept."
            : params.get("kept") === "drafts"
              ? "Your session ended. Sign in again: your text is kept."
              : null;
  return (
    <section className="panel narrow" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      {notice && !actionData ? <StatusMessage>{notice}</StatusMessage> : null}
      {actionData?.formError ? <FormAlert>{actionData.formError}</FormAlert> : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field
          label="Email address"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={actionData?.values.email ?? ""}
          error={actionData?.fieldErrors.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={actionData?.fieldErrors.password}
        />
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          Sign in
        </button>
      </Form>
      <p className="muted">
        Access is by invitation only. Forgot your password? Ask your course coordinator for a reset link.
      </p>
    </section>
  );
}
