CREATE TABLE `exercise_progress` (
	`submission_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`module_slug` text NOT NULL,
	`peers_needed` integer NOT NULL,
	`peer_reviews` integer NOT NULL,
	`instructor_needed` integer NOT NULL,
	`instructor_done` integer NOT NULL,
	`reviewed` integer NOT NULL,
	FOREIGN KEY (`submission_id`) REFERENCES `exercise_submissions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `exercise_progress_user_idx` ON `exercise_progress` (`user_id`,`module_slug`,`peers_needed`,`peer_reviews`,`instructor_needed`,`instructor_done`,`reviewed`);