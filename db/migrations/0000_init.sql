CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`default_skill` text DEFAULT 'default' NOT NULL,
	`welcome_message` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`role` text NOT NULL,
	`name` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `api_keys_account` ON `api_keys` (`account_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`skill` text NOT NULL,
	`engagement_name` text,
	`handoff_id` text,
	`message_text` text NOT NULL,
	`lookback_seconds` integer NOT NULL,
	`push_logged_in` integer NOT NULL,
	`push_logged_out` integer NOT NULL,
	`messages_per_second` integer,
	`status` text NOT NULL,
	`total` integer NOT NULL,
	`start_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`dispatched_at` integer,
	`expires_at` integer,
	`completed_at` integer,
	`workflow_id` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `campaigns_account_created` ON `campaigns` (`account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `campaigns_account_status` ON `campaigns` (`account_id`,`status`);--> statement-breakpoint
CREATE TABLE `consumers` (
	`account_id` text NOT NULL,
	`consumer_id` text NOT NULL,
	`logged_in` integer NOT NULL,
	`push_token` text,
	`platform` text NOT NULL,
	`sdk_version` text NOT NULL,
	`app_id` text NOT NULL,
	`device_model` text,
	`device_os` text,
	`os_version` text,
	`country` text,
	`city` text,
	`first_login_at` integer NOT NULL,
	`last_login_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `consumer_id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `conversation_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`sender` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `conversation_messages_conversation` ON `conversation_messages` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`consumer_id` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`skill` text,
	`routed_by` text NOT NULL,
	`welcome_message` text,
	`message_id` text,
	`campaign_id` text,
	`deflection_id` text,
	`created_at` integer NOT NULL,
	`closed_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `conversations_consumer_status` ON `conversations` (`account_id`,`consumer_id`,`status`);--> statement-breakpoint
CREATE INDEX `conversations_campaign` ON `conversations` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `deflections` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`handoff_id` text NOT NULL,
	`consumer_id` text NOT NULL,
	`call_id` text,
	`ivr_number` text,
	`skill` text NOT NULL,
	`engagement_name` text,
	`handoff_name` text NOT NULL,
	`message_text` text NOT NULL,
	`lookback_seconds` integer NOT NULL,
	`push_logged_in` integer NOT NULL,
	`push_logged_out` integer NOT NULL,
	`status` text NOT NULL,
	`error_code` text,
	`message_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`expires_at` integer,
	`completed_at` integer,
	`workflow_id` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deflections_call` ON `deflections` (`account_id`,`call_id`);--> statement-breakpoint
CREATE INDEX `deflections_account_created` ON `deflections` (`account_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `handoffs` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`channels` text NOT NULL,
	`skill` text NOT NULL,
	`engagement_name` text,
	`message_text` text NOT NULL,
	`lookback_seconds` integer NOT NULL,
	`push_logged_in` integer NOT NULL,
	`push_logged_out` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `handoffs_account_name` ON `handoffs` (`account_id`,`name`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`account_id` text NOT NULL,
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`status_code` integer NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `scope`, `key`)
);
--> statement-breakpoint
CREATE TABLE `idp_configs` (
	`account_id` text PRIMARY KEY NOT NULL,
	`issuer` text NOT NULL,
	`audience` text NOT NULL,
	`jwks_url` text,
	`public_key_pem` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`source` text NOT NULL,
	`campaign_id` text,
	`deflection_id` text,
	`seq` integer NOT NULL,
	`consumer_id` text NOT NULL,
	`skill` text NOT NULL,
	`status` text NOT NULL,
	`error_code` text,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`sent_at` integer,
	`delivered_at` integer,
	`read_at` integer,
	`tapped_at` integer,
	`replied_at` integer,
	`failed_at` integer,
	`conversation_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_campaign_seq` ON `messages` (`campaign_id`,`seq`);--> statement-breakpoint
CREATE INDEX `messages_campaign_status` ON `messages` (`campaign_id`,`status`,`error_code`);--> statement-breakpoint
CREATE INDEX `messages_consumer_sent` ON `messages` (`account_id`,`consumer_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `messages_deflection` ON `messages` (`deflection_id`);--> statement-breakpoint
CREATE INDEX `messages_account_created` ON `messages` (`account_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `push_configs` (
	`account_id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`url` text,
	`headers` text,
	`signing_secret` text,
	`messages_per_second` integer,
	`timeout_ms` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
