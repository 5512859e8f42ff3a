-- Attachments are downloaded after the ack (src/app/attachments/download.ts): each row says how that went.
-- Plain ADD COLUMNs (no table rebuild), so D1 applies it in place.
ALTER TABLE "Attachment" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE "Attachment" ADD COLUMN "contentType" TEXT;
ALTER TABLE "Attachment" ADD COLUMN "storageKey" TEXT;
ALTER TABLE "Attachment" ADD COLUMN "error" TEXT;
-- Rows from before this migration were never downloaded and no download is queued for them.
UPDATE "Attachment" SET "status" = 'failed', "error" = 'received before ChatDesk downloaded attachments' WHERE "status" = 'pending';
