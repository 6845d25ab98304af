// A lesson section page's data, the one definition used by the route's loader and by the server's
// fast path (app/server/lesson-pages.server.ts), which serves the same page from a cache keyed by
// everything in it that depends on the learner.
import { sql } from "drizzle-orm";
import { getCourse } from "~/content/course.server";
import { preparedSql } from "~/db/client.server";
import type { ExerciseStatus } from "~/lib/exercise";
import { exerciseSignpost, exerciseStatusOfSql } from "./exercise-page.server";
import { learnerEditionOf } from "./figures.server";
import { learnerLesson } from "./learner.server";
import { moduleReadColumns, readStateOf, type ReadStateRow } from "./progress.server";
import { mirrorCourseStructure } from "./structure.server";

/**
 * What a lesson page asks of the database, in one statement: the learner's edition (learnerEdition),
 * the module's read state (moduleReadState) and the exercise's status (exerciseStatusOf), each from
 * the SQL of those functions.
 */
function lessonPageState(userId: string, slug: string) {
  mirrorCourseStructure();
  const query = preparedSql("lessonPageState", () => {
    const [user, module] = [sql.raw("@userId"), sql.raw("@slug")];
    return sql`select nullif(${learnerEditionOf(user)}, '') as edition, ${moduleReadColumns(user, module)},
      ${exerciseStatusOfSql(user, module)} as exercise`;
  });
  const row = query.get({ userId, slug }) as ReadStateRow & { edition: string | null; exercise: ExerciseStatus };
  return { edition: row.edition, ...readStateOf(row), exercise: row.exercise };
}

export function sectionPage({ userId, slug, sectionId }: { userId: string; slug: string; sectionId: string }) {
  const state = lessonPageState(userId, slug);
  const found = learnerLesson({ userId, slug, edition: state.edition });
  const index = found?.lesson.sections.findIndex((s) => s.id === sectionId) ?? -1;
  if (!found || index < 0) return undefined;
  const { module, lesson, edition } = found;
  const section = lesson.sections[index]!;
  const { read, quizPassed } = state;
  const exercise = exerciseSignpost({ userId, slug: module.slug, edition, status: state.exercise });
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
