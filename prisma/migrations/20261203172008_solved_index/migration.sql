-- DropIndex
DROP INDEX "Ticket_resolvedAt_idx";

-- CreateIndex
CREATE INDEX "Ticket_solved_idx" ON "Ticket"("resolvedAt", "priority", "receivedAt", "waitingSince", "pauses", "handlerId", "satisfaction");
