-- Duplicate detection at intake (docs/intake.md). Plain ADD COLUMN (no table rebuild), so migrations
-- landing in parallel that rebuild Ticket stay independent of this one.
ALTER TABLE "Ticket" ADD COLUMN "duplicateOfId" INTEGER;
ALTER TABLE "Ticket" ADD COLUMN "duplicateScore" REAL;
ALTER TABLE "Ticket" ADD COLUMN "reportCount" INTEGER NOT NULL DEFAULT 1;
CREATE INDEX "Ticket_customerId_receivedAt_idx" ON "Ticket"("customerId", "receivedAt");
CREATE INDEX "Ticket_customerName_receivedAt_idx" ON "Ticket"("customerName", "receivedAt");
CREATE INDEX "Ticket_chatId_receivedAt_idx" ON "Ticket"("chatId", "receivedAt");
