import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { getCourse, getLesson } from "~/content/course.server";
import { VISIT_CAP_MS } from "~/lib/rules";
import { getDb, prepared } from "~/db/client.server";
import { objectiveMastery } from "./mastery.server";
import { certificates, cohortMemberships, cohorts, moduleCompletions, quizAttempts, sectionReads, sectionVisits, users } from "~/db/schema";

export type ModuleStatus = "not-started" | "in-progress" | "completed";

const WORDS_PER_MINUTE = 200;

export interface ModuleProgress {
  slug: string;
  title: string;
  summary: string;
  order: number;
  objectives: string[];
  sections: { id: string; title: string; read: boolean }[];
  sectionsRead: number;
  hasQuiz: boolean;
  quizPassed: boolean;
  status: ModuleStatus;
  completedAt: Date | null;
  /** Where "Continue" leads: a section id, or "quiz". */
  resume: string;
  minutesLeft: number;
}

export interface CourseProgress {
  modules: ModuleProgress[];
  /** (sections read + quizzes passed) / (sections + quizzes) */
  fraction: number;
  completedAt: Date | null;
  minutesOnTask: number;
}

/** The edition of the learner's cohort, which decides the lesson text they read. */
export function learnerEdition(userId: string): string | null {
  const query = prepared("learnerEdition", (db) =>
    db
      .select({ edition: cohorts.edition })
      .from(cohortMemberships)
      .innerJoin(cohorts, eq(cohorts.id, cohortMemberships.cohortId))
      .where(and(eq(cohortMemberships.userId, sql.placeholder("userId")), eq(cohortMemberships.role, "learner")))
      .prepare(),
  );
  return query.get({ userId })?.edition ?? null;
}

export function courseProgress({ userId, edition }: { userId: string; edition: string | null }): CourseProgress {
  const db = getDb();
  const course = getCourse();
  const reads = db
    .select({ moduleSlug: sectionReads.moduleSlug, sectionId: sectionReads.sectionId })
    .from(sectionReads)
    .where(eq(sectionReads.userId, userId))
    .all();
  const readSet = new Set(reads.map((r) => `${r.moduleSlug}/${r.sectionId}`));
  const passed = new Set(
    db
      .selectDistinct({ moduleSlug: quizAttempts.moduleSlug })
      .from(quizAttempts)
      .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.passed, true)))
      .all()
      .map((r) => r.moduleSlug),
  );
  const started = new Set([
    ...reads.map((r) => r.moduleSlug),
    ...db
      .selectDistinct({ moduleSlug: sectionVisits.moduleSlug })
      .from(sectionVisits)
      .where(eq(sectionVisits.userId, userId))
      .all()
      .map((r) => r.moduleSlug),
  ]);
  const completions = new Map(
    db
      .select({ moduleSlug: moduleCompletions.moduleSlug, completedAt: moduleCompletions.completedAt })
      .from(moduleCompletions)
      .where(eq(moduleCompletions.userId, userId))
      .all()
      .map((c) => [c.moduleSlug, c.completedAt]),
  );

  let done = 0;
  let total = 0;
  const modules = course.modules.map((m): ModuleProgress => {
    const lesson = getLesson(m.slug, edition);
    const sections = (lesson?.sections ?? []).map((s) => ({ id: s.id, title: s.title, read: readSet.has(`${m.slug}/${s.id}`) }));
    const sectionsRead = sections.filter((s) => s.read).length;
    const hasQuiz = m.quiz !== null;
    const quizPassed = passed.has(m.slug);
    const completedAt = completions.get(m.slug) ?? null;
    const firstUnread = sections.find((s) => !s.read);
    const wordsLeft = (lesson?.sections ?? []).filter((s) => !readSet.has(`${m.slug}/${s.id}`)).reduce((n, s) => n + s.wordCount, 0);
    const quizMinutes = hasQuiz && !quizPassed ? Math.ceil((m.quiz?.questionCount ?? 0) * 0.75) : 0;
    if (completedAt) {
      done += sections.length + (hasQuiz ? 1 : 0);
    } else {
      done += sectionsRead + (quizPassed ? 1 : 0);
    }
    total += sections.length + (hasQuiz ? 1 : 0);
    return {
      slug: m.slug,
      title: m.title,
      summary: m.summary,
      order: m.order,
      objectives: m.objectives,
      sections,
      sectionsRead,
      hasQuiz,
      quizPassed,
      status: completedAt ? "completed" : started.has(m.slug) || quizPassed ? "in-progress" : "not-started",
      completedAt,
      resume: firstUnread?.id ?? (hasQuiz && !quizPassed ? "quiz" : (sections[0]?.id ?? "quiz")),
      minutesLeft: completedAt ? 0 : Math.ceil(wordsLeft / WORDS_PER_MINUTE) + quizMinutes,
    };
  });
  const certificate = db
    .select({ completedAt: certificates.completedAt })
    .from(certificates)
    .where(eq(certificates.userId, userId))
    .get();
  return {
    modules,
    fraction: total ? done / total : 0,
    completedAt: certificate?.completedAt ?? null,
    minutesOnTask: Math.round(timeOnTaskMs(userId) / 60_000),
  };
}

/** Sum over section visits of the time to the next visit, each capped at VISIT_CAP_MS. */
export function timeOnTaskMs(userId: string, now = Date.now()): number {
  const visits = getDb()
    .select({ at: sectionVisits.at })
    .from(sectionVisits)
    .where(eq(sectionVisits.userId, userId))
    .orderBy(asc(sectionVisits.at))
    .all()
    .map((v) => v.at.getTime());
  let total = 0;
  visits.forEach((at, i) => {
    const next = visits[i + 1] ?? now;
    total += Math.min(Math.max(next - at, 0), VISIT_CAP_MS);
  });
  return total;
}

export function recordVisit({ userId, slug, sectionId, at = new Date() }: { userId: string; slug: string; sectionId: string; at?: Date }) {
  const insert = prepared("recordVisit", (db) =>
    db
      .insert(sectionVisits)
      .values({
        userId: sql.placeholder("userId"),
        moduleSlug: sql.placeholder("slug"),
        sectionId: sql.placeholder("sectionId"),
        at: sql.placeholder("at"),
      })
      .prepare(),
  );
  insert.run({ userId, slug, sectionId, at });
}

/** Idempotent: reading a section twice (refresh, double click, back button) records it once. */
export function markSectionRead({ userId, slug, sectionId, edition }: { userId: string; slug: string; sectionId: string; edition: string | null }) {
  getDb().insert(sectionReads).values({ userId, moduleSlug: slug, sectionId, readAt: new Date() }).onConflictDoNothing().run();
  recordCompletions({ userId, edition });
}

/**
 * Stores the module completions and the certificate the learner has just earned. Earlier ones
 * are never removed or recomputed.
 */
export function recordCompletions({ userId, edition }: { userId: string; edition: string | null }) {
  const progress = courseProgress({ userId, edition });
  const db = getDb();
  const now = new Date();
  db.transaction((tx) => {
    for (const m of progress.modules) {
      if (!m.completedAt && m.sections.every((s) => s.read) && (!m.hasQuiz || m.quizPassed)) {
        tx.insert(moduleCompletions).values({ userId, moduleSlug: m.slug, completedAt: now }).onConflictDoNothing().run();
        m.completedAt = now;
      }
    }
    if (progress.modules.length && progress.modules.every((m) => m.completedAt)) {
      const learner = tx.select({ name: users.name }).from(users).where(eq(users.id, userId)).get();
      tx.insert(certificates)
        .values({
          userId,
          code: newCertificateCode(),
          learnerName: learner?.name ?? "",
          courseTitle: getCourse().title,
          completedAt: now,
          objectivesMastered: objectiveMastery({ userId }).filter((o) => o.state === "mastered").map((o) => o.id),
        })
        .onConflictDoNothing()
        .run();
    }
  });
}

/** 20 characters of Crockford base32 (100 bits), grouped for reading aloud. */
function newCertificateCode(): string {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => alphabet[b % 32]).join("");
  return chars.match(/.{5}/g)!.join("-");
}

/** What the reader needs on every page turn: the sections read in one module, and its quiz state. */
export function moduleReadState({ userId, slug }: { userId: string; slug: string }): { read: Set<string>; quizPassed: boolean } {
  const reads = prepared("moduleReads", (db) =>
    db
      .select({ sectionId: sectionReads.sectionId })
      .from(sectionReads)
      .where(and(eq(sectionReads.userId, sql.placeholder("userId")), eq(sectionReads.moduleSlug, sql.placeholder("slug"))))
      .prepare(),
  );
  const passed = prepared("modulePassed", (db) =>
    db
      .select({ id: quizAttempts.id })
      .from(quizAttempts)
      .where(
        and(
          eq(quizAttempts.userId, sql.placeholder("userId")),
          eq(quizAttempts.moduleSlug, sql.placeholder("slug")),
          eq(quizAttempts.passed, true),
        ),
      )
      .limit(1)
      .prepare(),
  );
  return {
    read: new Set(reads.all({ userId, slug }).map((r) => r.sectionId)),
    quizPassed: Boolean(passed.get({ userId, slug })),
  };
}
