CREATE TABLE `pending_answers` (
	`attempt_id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`answers` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `quiz_attempts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pending_answers_token_unique` ON `pending_answers` (`token_hash`);--> statement-breakpoint
CREATE INDEX `pending_answers_expires_idx` ON `pending_answers` (`expires_at`);