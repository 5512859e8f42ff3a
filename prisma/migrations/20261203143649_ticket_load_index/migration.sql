-- CreateIndex
CREATE INDEX "Ticket_load_idx" ON "Ticket"("status", "handlerId", "responseOverdue", "resolutionOverdue", "firstResponseAt", "responseDueAt", "resolutionDueAt", "department");
