CREATE TABLE `attempt_grants` (
	`user_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`extra` integer NOT NULL,
	PRIMARY KEY(`user_id`, `module_slug`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`actor_name` text NOT NULL,
	`cohort_id` integer,
	`action` text NOT NULL,
	`subject_id` text,
	`subject_name` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_cohort_idx` ON `audit_log` (`cohort_id`,`at`);--> statement-breakpoint
CREATE TABLE `course_choices` (
	`module_slug` text NOT NULL,
	`question_id` text NOT NULL,
	`choice_id` text NOT NULL,
	`position` integer NOT NULL,
	`label` text NOT NULL,
	`correct` integer NOT NULL,
	PRIMARY KEY(`module_slug`, `question_id`, `choice_id`)
);
--> statement-breakpoint
CREATE TABLE `course_editions` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `course_modules` (
	`slug` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`quiz_version` text,
	`passing_score` real,
	`max_attempts` integer
);
--> statement-breakpoint
CREATE TABLE `course_objectives` (
	`id` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `course_question_objectives` (
	`module_slug` text NOT NULL,
	`question_id` text NOT NULL,
	`objective_id` text NOT NULL,
	PRIMARY KEY(`module_slug`, `question_id`, `objective_id`)
);
--> statement-breakpoint
CREATE INDEX `course_question_objectives_objective_idx` ON `course_question_objectives` (`objective_id`);--> statement-breakpoint
CREATE TABLE `course_questions` (
	`module_slug` text NOT NULL,
	`question_id` text NOT NULL,
	`position` integer NOT NULL,
	`type` text NOT NULL,
	`prompt` text NOT NULL,
	PRIMARY KEY(`module_slug`, `question_id`)
);
--> statement-breakpoint
CREATE TABLE `course_sections` (
	`edition` text NOT NULL,
	`module_slug` text NOT NULL,
	`section_id` text NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`words` integer NOT NULL,
	PRIMARY KEY(`edition`, `module_slug`, `section_id`)
);
--> statement-breakpoint
CREATE TABLE `course_structure` (
	`id` integer PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`course_title` text NOT NULL,
	`mastery_threshold` real NOT NULL,
	`synced_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `latest_answers` (
	`user_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`question_id` text NOT NULL,
	`correct` integer NOT NULL,
	`answered_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `module_slug`, `question_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `learner_modules` (
	`user_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`started_at` integer,
	`last_activity_at` integer,
	`last_section_id` text,
	`sections_read` integer DEFAULT 0 NOT NULL,
	`quiz_passed` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`user_id`, `module_slug`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `learner_objectives` (
	`user_id` text NOT NULL,
	`objective_id` text NOT NULL,
	`correct` integer NOT NULL,
	`answered` integer NOT NULL,
	PRIMARY KEY(`user_id`, `objective_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `learner_objectives_cover_idx` ON `learner_objectives` (`user_id`,`objective_id`,`answered`,`correct`);--> statement-breakpoint
CREATE TABLE `learner_stats` (
	`user_id` text PRIMARY KEY NOT NULL,
	`units_done` integer DEFAULT 0 NOT NULL,
	`modules_completed` integer DEFAULT 0 NOT NULL,
	`time_on_task_ms` integer DEFAULT 0 NOT NULL,
	`last_visit_at` integer,
	`last_activity_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP INDEX `cohort_memberships_cohort_idx`;--> statement-breakpoint
CREATE INDEX `cohort_memberships_cohort_idx` ON `cohort_memberships` (`cohort_id`,`role`,`user_id`);