import type { ReactNode } from "react";
import { Pager } from "./Pager";

export interface ListPage {
  page: number;
  pages: number;
  total: number;
}

/**
 * A panel with a heading and a paged table; the last column is an unlabelled "Actions" column.
 * `param` is the query parameter that carries this table's page.
 */
export function ListSection({
  id,
  title,
  columns,
  list,
  param,
  empty,
  children,
}: {
  id: string;
  title: string;
  columns: string[];
  list: ListPage;
  param: string;
  empty: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {list.total ? (
        <>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th scope="col" key={c}>
                      {c}
                    </th>
                  ))}
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>{children}</tbody>
            </table>
          </div>
          <Pager label={`${title}: pages`} param={param} page={list.page} pages={list.pages} total={list.total} />
        </>
      ) : (
        <p>{empty}</p>
      )}
    </section>
  );
}
