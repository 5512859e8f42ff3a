-- Attachments are downloaded after the ack (src/app/attachments/download.ts): each row says how that went.
-- Plain ADD COLUMNs (no table rebuild), so D1 applies it in place.
ALTER TABLE "Attachment" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE "Attachment" ADD COLUMN "contentType" TEXT;
ALTER TABLE "Attachment" ADD COLUMN "storageKey" TEXT;
ALTER TABLE "Attachment" ADD COLUMN "error" TEXT;
