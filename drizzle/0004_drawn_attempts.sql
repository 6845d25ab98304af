ALTER TABLE `course_questions` ADD `edition` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `course_questions` ADD `section_id` text;--> statement-breakpoint
ALTER TABLE `quiz_attempts` ADD `choice_order` text;