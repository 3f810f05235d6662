CREATE INDEX `conversations_deflection` ON `conversations` (`deflection_id`);--> statement-breakpoint
CREATE INDEX `messages_account_source_created` ON `messages` (`account_id`,`source`,`created_at`);