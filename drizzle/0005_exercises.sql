CREATE TABLE `course_criteria` (
	`exercise_edition` text NOT NULL,
	`module_slug` text NOT NULL,
	`criterion_id` text NOT NULL,
	`position` integer NOT NULL,
	`criterion` text NOT NULL,
	`max_score` integer NOT NULL,
	PRIMARY KEY(`exercise_edition`, `module_slug`, `criterion_id`)
);
--> statement-breakpoint
CREATE TABLE `course_criterion_objectives` (
	`exercise_edition` text NOT NULL,
	`module_slug` text NOT NULL,
	`criterion_id` text NOT NULL,
	`objective_id` text NOT NULL,
	PRIMARY KEY(`exercise_edition`, `module_slug`, `criterion_id`, `objective_id`)
);
--> statement-breakpoint
CREATE TABLE `course_exercises` (
	`edition` text NOT NULL,
	`module_slug` text NOT NULL,
	`exercise_edition` text NOT NULL,
	`version` text NOT NULL,
	`title` text NOT NULL,
	`required` integer NOT NULL,
	`self_review` integer NOT NULL,
	`peers` integer NOT NULL,
	`instructor_review` integer NOT NULL,
	PRIMARY KEY(`edition`, `module_slug`)
);
--> statement-breakpoint
CREATE TABLE `exercise_results` (
	`submission_id` text NOT NULL,
	`user_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`criterion_id` text NOT NULL,
	`score` real NOT NULL,
	`max_score` integer NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`submission_id`, `criterion_id`),
	FOREIGN KEY (`submission_id`) REFERENCES `exercise_submissions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `exercise_results_user_idx` ON `exercise_results` (`user_id`,`module_slug`);--> statement-breakpoint
CREATE TABLE `exercise_review_levels` (
	`review_id` text NOT NULL,
	`criterion_id` text NOT NULL,
	`score` integer NOT NULL,
	PRIMARY KEY(`review_id`, `criterion_id`),
	FOREIGN KEY (`review_id`) REFERENCES `exercise_reviews`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `exercise_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`submission_id` text NOT NULL,
	`kind` text NOT NULL,
	`reviewer_id` text,
	`assigned_at` integer NOT NULL,
	`completed_at` integer,
	`comment` text,
	`removed_at` integer,
	`removed_by` text,
	FOREIGN KEY (`submission_id`) REFERENCES `exercise_submissions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`removed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exercise_reviews_peer_unique` ON `exercise_reviews` (`submission_id`,`reviewer_id`) WHERE kind = 'peer';--> statement-breakpoint
CREATE UNIQUE INDEX `exercise_reviews_single_unique` ON `exercise_reviews` (`submission_id`,`kind`) WHERE kind in ('self', 'instructor');--> statement-breakpoint
CREATE INDEX `exercise_reviews_reviewer_idx` ON `exercise_reviews` (`reviewer_id`,`kind`,`assigned_at`);--> statement-breakpoint
CREATE TABLE `exercise_submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`edition` text DEFAULT '' NOT NULL,
	`exercise_version` text NOT NULL,
	`texts` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	`submitted_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exercise_submissions_user_module_unique` ON `exercise_submissions` (`user_id`,`module_slug`);--> statement-breakpoint
CREATE INDEX `exercise_submissions_module_idx` ON `exercise_submissions` (`module_slug`,`submitted_at`);--> statement-breakpoint
CREATE TABLE `pending_drafts` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`module_slug` text NOT NULL,
	`texts` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pending_drafts_expires_idx` ON `pending_drafts` (`expires_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_learner_objectives` (
	`user_id` text NOT NULL,
	`objective_id` text NOT NULL,
	`correct` real NOT NULL,
	`answered` integer NOT NULL,
	`practical` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `objective_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_learner_objectives`("user_id", "objective_id", "correct", "answered", "practical") SELECT "user_id", "objective_id", "correct", "answered", 0 FROM `learner_objectives`;--> statement-breakpoint
DROP TABLE `learner_objectives`;--> statement-breakpoint
ALTER TABLE `__new_learner_objectives` RENAME TO `learner_objectives`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `learner_objectives_cover_idx` ON `learner_objectives` (`user_id`,`objective_id`,`answered`,`correct`);--> statement-breakpoint
ALTER TABLE `learner_modules` ADD `exercise_done` integer DEFAULT false NOT NULL;