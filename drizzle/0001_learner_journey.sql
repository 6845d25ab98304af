CREATE TABLE `certificates` (
	`user_id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`learner_name` text NOT NULL,
	`course_title` text NOT NULL,
	`completed_at` integer NOT NULL,
	`objectives_mastered` text NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_code_unique` ON `certificates` (`code`);--> statement-breakpoint
CREATE TABLE `module_completions` (
	`user_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`completed_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `module_slug`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `quiz_answers` (
	`attempt_id` text NOT NULL,
	`user_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`question_id` text NOT NULL,
	`choice_ids` text NOT NULL,
	`correct` integer NOT NULL,
	`objectives` text NOT NULL,
	`quiz_version` text NOT NULL,
	`answered_at` integer NOT NULL,
	PRIMARY KEY(`attempt_id`, `question_id`),
	FOREIGN KEY (`attempt_id`) REFERENCES `quiz_attempts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quiz_answers_user_idx` ON `quiz_answers` (`user_id`,`module_slug`,`question_id`,`answered_at`);--> statement-breakpoint
CREATE TABLE `quiz_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`quiz_version` text NOT NULL,
	`question_order` text NOT NULL,
	`started_at` integer NOT NULL,
	`submitted_at` integer,
	`correct_count` integer,
	`question_count` integer,
	`score` real,
	`passed` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quiz_attempts_user_module_idx` ON `quiz_attempts` (`user_id`,`module_slug`,`started_at`);--> statement-breakpoint
CREATE TABLE `section_reads` (
	`user_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`section_id` text NOT NULL,
	`read_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `module_slug`, `section_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `section_visits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`section_id` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `section_visits_user_idx` ON `section_visits` (`user_id`,`at`);