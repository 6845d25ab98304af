import { getLesson, getModule, listModules } from "~/content/course.server";
import { learnerEdition } from "./progress.server";

/** The module (named as the learner's edition names it) and the lesson text a learner reads, or undefined. */
export function learnerLesson({
  userId,
  slug,
  edition = learnerEdition(userId),
}: {
  userId: string;
  slug: string;
  /** The learner's edition when the caller has read it already. */
  edition?: string | null;
}) {
  const module = getModule(slug, edition);
  if (!module) return undefined;
  const lesson = getLesson(slug, edition);
  return lesson ? { module, lesson, edition } : undefined;
}

/** The module after this one in the course, in the learner's edition; undefined after the last. */
export function nextModule({ slug, edition }: { slug: string; edition: string | null }): { slug: string; title: string } | undefined {
  const modules = listModules(edition);
  const index = modules.findIndex((m) => m.slug === slug);
  const next = index < 0 ? undefined : modules[index + 1];
  return next && { slug: next.slug, title: next.title };
}
