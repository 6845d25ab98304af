import { getLesson, getModule } from "~/content/course.server";
import { learnerEdition } from "./progress.server";

/** The module and the lesson text (the learner's edition) a learner reads, or undefined. */
export function learnerLesson({ userId, slug }: { userId: string; slug: string }) {
  const edition = learnerEdition(userId);
  const module = getModule(slug, edition);
  if (!module) return undefined;
  const lesson = getLesson(slug, edition);
  return lesson ? { module, lesson, edition } : undefined;
}
