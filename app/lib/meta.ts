import type { MetaDescriptor } from "@remix-run/node";

export const SITE_DESCRIPTION =
  "Cyber Diplomacy Academy: a self-paced course in cyber diplomacy for diplomats of Ministries of Foreign Affairs.";

/**
 * A page's title and description. Remix renders the meta of the deepest route alone, with no merging,
 * so every route that names its page gives both.
 */
export function pageMeta(title: string, description: string = SITE_DESCRIPTION): MetaDescriptor[] {
  return [{ title }, { name: "description", content: description }];
}
