-- A resend asked for while an attempt is in flight: honoured once that
-- attempt is recorded, instead of being lost to it.
ALTER TABLE webhook_deliveries ADD COLUMN resend_requested INTEGER NOT NULL DEFAULT 0;
