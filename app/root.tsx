import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { getUser, homeFor } from "~/auth/session.server";
import { useNonce } from "~/nonce";
import styles from "~/styles/app.css";
import { pageMeta } from "~/lib/meta";
import { reviewQueueCount } from "~/models/exercise-queue.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => pageMeta("Cyber Diplomacy Academy");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (!user) return { user: null };
  const staff = user.role === "instructor" || user.role === "coordinator";
  return {
    user: { name: user.name, role: user.role, home: homeFor(user.role), exercisesToReview: staff ? reviewQueueCount(user) : null },
  };
}

function Header() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link to={user?.home ?? "/"} className="brand">
          <span aria-hidden="true" className="brand-mark">
            ◆
          </span>{" "}
          Cyber Diplomacy Academy
        </Link>
        {user ? (
          <nav aria-label="Main">
            <ul className="nav-list">
              {user.role === "learner" ? (
                <>
                  <li>
                    <NavLink to="/" end>
                      My course
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/progress">Mastery</NavLink>
                  </li>
                </>
              ) : null}
              {user.role === "instructor" ? (
                <li>
                  <NavLink to="/instructor">Course authoring</NavLink>
                </li>
              ) : null}
              {user.role === "coordinator" ? (
                <li>
                  <NavLink to="/coordinator/cohorts">Cohorts</NavLink>
                </li>
              ) : null}
              {user.role === "coordinator" ? (
                <li>
                  <NavLink to="/instructor">Course</NavLink>
                </li>
              ) : null}
              {user.exercisesToReview !== null ? (
                <li>
                  <NavLink to="/instructor/exercises">Exercises to review ({user.exercisesToReview})</NavLink>
                </li>
              ) : null}
              <li>
                <NavLink to="/glossary">Glossary</NavLink>
              </li>
              <li>
                <NavLink to="/sources">Sources</NavLink>
              </li>
              <li>
                <NavLink to="/account">Account</NavLink>
              </li>
              <li>
                <Form method="post" action="/logout">
                  <button type="submit" className="link-button">
                    Sign out
                  </button>
                </Form>
              </li>
            </ul>
          </nav>
        ) : null}
      </div>
    </header>
  );
}

/** Routes that export `handle = { hydrate: false }` are sent as plain HTML, with no JavaScript. */
export interface RouteHandle {
  hydrate?: boolean;
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const matches = useMatches();
  const hydrate = !matches.some((m) => (m.handle as RouteHandle | undefined)?.hydrate === false);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to main content
        </a>
        <Header />
        <main id="main" tabIndex={-1} className="container">
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">Cyber Diplomacy Academy · training for diplomats of Ministries of Foreign Affairs</div>
        </footer>
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

/** After a client-side navigation, focus moves to the new page's heading, as a page load would. */
function useFocusOnNavigation() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (location.hash) return;
    const target = document.querySelector<HTMLElement>("main h1") ?? document.getElementById("main");
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }, [location.pathname, location.search, location.hash]);
}

export default function App() {
  useFocusOnNavigation();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const title =
      error.status === 403
        ? "You do not have access to this page"
        : error.status === 404
          ? "Page not found"
          : `Something went wrong (${error.status})`;
    const text =
      error.status === 403
        ? "Your account's role does not include this page. If you think it should, ask your course coordinator."
        : error.status === 404
          ? "There is nothing at this address. Check the link, or go back to your home page."
          : typeof error.data === "string"
            ? error.data
            : "Please try again in a moment.";
    return (
      <section aria-labelledby="error-title" className="panel">
        <h1 id="error-title">{title}</h1>
        <p>{text}</p>
        <p>
          <Link to="/">Go to your home page</Link>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="error-title" className="panel">
      <h1 id="error-title">Something went wrong</h1>
      <p>An unexpected error occurred. Nothing you entered was half-saved; please try again.</p>
      <p>
        <Link to="/">Go to your home page</Link>
      </p>
    </section>
  );
}
