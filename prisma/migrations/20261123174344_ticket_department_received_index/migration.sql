-- CreateIndex
CREATE INDEX "Ticket_department_receivedAt_idx" ON "Ticket"("department", "receivedAt");
