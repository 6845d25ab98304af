// A learner's dashboard (`/`), the one definition used by the route's loader and by the server's
// fast path (app/server/lesson-pages.server.ts), which serves the page from a cache keyed by its
// data without the learner's name (ADR 010).
import { getCourse } from "~/content/course.server";
import { cohortLabel, listUserCohorts } from "./cohort.server";
import { exercisesWaiting } from "./exercise-page.server";
import { courseProgress, learnerEdition } from "./progress.server";

export function dashboardPage({ userId, name }: { userId: string; name: string }) {
  const edition = learnerEdition(userId);
  const progress = courseProgress({ userId, edition });
  const course = getCourse();
  const cohort = listUserCohorts(userId)[0];
  const next = progress.modules.find((m) => m.status !== "completed");
  const data = {
    name,
    course: { title: course.title, description: course.description },
    cohort: cohort ? cohortLabel(cohort) : null,
    percent: Math.round(progress.fraction * 100),
    completed: progress.completedAt !== null,
    minutesOnTask: progress.minutesOnTask,
    minutesLeft: progress.minutesLeft,
    waiting: exercisesWaiting(userId),
    next: next ? { slug: next.slug, title: next.title, resume: next.resume, started: next.started } : null,
    modules: progress.modules.map((m) => ({
      slug: m.slug,
      order: m.order,
      title: m.title,
      summary: m.summary,
      status: m.status,
      sectionsRead: m.sectionsRead,
      sectionCount: m.sections.length,
      hasQuiz: m.hasQuiz,
      quizPassed: m.quizPassed,
      exercise: m.exercise,
      minutesLeft: m.minutesLeft,
      resume: m.resume,
      started: m.started,
    })),
  };
  return {
    data,
    /** Everything the page shows but the learner's name (a slot filled per request) and the release. */
    key: JSON.stringify({ ...data, name: "" }),
    /** The content release the page was built from: a new one gives every page a new key. */
    release: course,
  };
}
