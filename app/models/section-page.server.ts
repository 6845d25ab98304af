// A lesson section page's data, the one definition used by the route's loader and by the server's
// fast path (app/server/lesson-pages.server.ts), which serves the same page from a cache keyed by
// everything in it that depends on the learner.
import { getCourse } from "~/content/course.server";
import { exerciseSignpost } from "./exercise-page.server";
import { learnerLesson } from "./learner.server";
import { moduleReadState } from "./progress.server";

export function sectionPage({ userId, slug, sectionId }: { userId: string; slug: string; sectionId: string }) {
  const found = learnerLesson({ userId, slug });
  const index = found?.lesson.sections.findIndex((s) => s.id === sectionId) ?? -1;
  if (!found || index < 0) return undefined;
  const { module, lesson, edition } = found;
  const section = lesson.sections[index]!;
  const { read, quizPassed } = moduleReadState({ userId, slug: module.slug });
  const exercise = exerciseSignpost({ userId, slug: module.slug, edition });
  const outline = lesson.sections.map((s) => ({ id: s.id, title: s.title, read: read.has(s.id) }));
  return {
    data: {
      module: { slug: module.slug, title: module.title, hasQuiz: module.quiz !== null, quizPassed },
      exercise,
      outline,
      section: { id: section.id, title: section.title, html: section.pageHtml },
      position: index + 1,
      count: lesson.sections.length,
      previous: lesson.sections[index - 1]?.id ?? null,
      next: lesson.sections[index + 1]?.id ?? null,
      glossary: lesson.glossary,
      sources: lesson.sources,
      reviewed: lesson.reviewed ?? null,
    },
    /**
     * Everything the page's HTML depends on besides the release: its edition, module and section
     * (the rest of the text follows from them), which sections are read, the quiz and the exercise.
     */
    key: [edition ?? "", module.slug, section.id, outline.map((s) => (s.read ? 1 : 0)).join(""), quizPassed ? 1 : 0, exercise?.status ?? "-"].join("|"),
    /** The content release the page was built from: a new one gives every page a new key. */
    release: getCourse(),
  };
}
