import { Link, useLocation } from "@remix-run/react";

/** Previous/next links for a long list; nothing when it fits on one page. */
export function Pager({ label, param, page, pages, total }: { label: string; param: string; page: number; pages: number; total: number }) {
  const location = useLocation();
  if (pages <= 1) return null;
  const to = (n: number) => {
    const params = new URLSearchParams(location.search);
    params.set(param, String(n));
    return `?${params.toString()}`;
  };
  return (
    <nav aria-label={label} className="pager">
      {page > 1 ? (
        <Link to={to(page - 1)} preventScrollReset>
          ← Previous
        </Link>
      ) : null}
      <span>
        Page {page} of {pages} ({total} in all)
      </span>
      {page < pages ? (
        <Link to={to(page + 1)} preventScrollReset>
          Next →
        </Link>
      ) : null}
    </nav>
  );
}
