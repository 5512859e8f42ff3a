-- CreateTable
CREATE TABLE "Ticket" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "subCategory" TEXT,
    "priority" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "handlerId" TEXT,
    "handlerName" TEXT,
    "collaborators" TEXT NOT NULL DEFAULT '[]',
    "reporterId" TEXT NOT NULL,
    "reporterName" TEXT,
    "platform" TEXT NOT NULL,
    "chatId" TEXT,
    "messageId" TEXT,
    "receivedAt" DATETIME NOT NULL,
    "customerName" TEXT,
    "customerId" TEXT,
    "customerContact" TEXT,
    "customerTier" TEXT NOT NULL DEFAULT 'normal',
    "industry" TEXT,
    "channel" TEXT,
    "product" TEXT,
    "productVersion" TEXT,
    "scene" TEXT,
    "impactScope" TEXT,
    "expectation" TEXT,
    "expectedDate" TEXT,
    "plan" TEXT,
    "result" TEXT,
    "followUpPlan" TEXT,
    "remarks" TEXT,
    "satisfaction" INTEGER,
    "customerComment" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "responseDueAt" DATETIME NOT NULL,
    "resolutionDueAt" DATETIME NOT NULL,
    "firstResponseAt" DATETIME,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "lastProgressAt" DATETIME NOT NULL,
    "responseOverdue" BOOLEAN NOT NULL DEFAULT false,
    "resolutionOverdue" BOOLEAN NOT NULL DEFAULT false,
    "mergedIntoId" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TicketEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "ticketVersion" INTEGER,
    CONSTRAINT "TicketEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fileKey" TEXT NOT NULL,
    "name" TEXT,
    "size" INTEGER,
    "messageId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Attachment_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Satisfaction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "actorId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "Satisfaction_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CardRef" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT,
    "ref" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CardRef_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DaySequence" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "last" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "PoolCursor" (
    "pool" TEXT NOT NULL PRIMARY KEY,
    "cursor" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "InboundEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "receivedAt" DATETIME NOT NULL,
    "lockedUntil" DATETIME,
    "processedAt" DATETIME
);

-- CreateTable
CREATE TABLE "OutboundMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "ticketId" INTEGER,
    "payload" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "resultRef" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "Notice" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "ticketId" INTEGER,
    "kind" TEXT NOT NULL,
    "level" INTEGER NOT NULL DEFAULT 0,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_number_key" ON "Ticket"("number");

-- CreateIndex
CREATE INDEX "Ticket_status_responseDueAt_idx" ON "Ticket"("status", "responseDueAt");

-- CreateIndex
CREATE INDEX "Ticket_status_resolutionDueAt_idx" ON "Ticket"("status", "resolutionDueAt");

-- CreateIndex
CREATE INDEX "Ticket_status_lastProgressAt_idx" ON "Ticket"("status", "lastProgressAt");

-- CreateIndex
CREATE INDEX "Ticket_status_resolvedAt_idx" ON "Ticket"("status", "resolvedAt");

-- CreateIndex
CREATE INDEX "Ticket_department_status_idx" ON "Ticket"("department", "status");

-- CreateIndex
CREATE INDEX "Ticket_handlerId_status_idx" ON "Ticket"("handlerId", "status");

-- CreateIndex
CREATE INDEX "Ticket_reporterId_status_idx" ON "Ticket"("reporterId", "status");

-- CreateIndex
CREATE INDEX "Ticket_receivedAt_idx" ON "Ticket"("receivedAt");

-- CreateIndex
CREATE INDEX "Ticket_category_receivedAt_idx" ON "Ticket"("category", "receivedAt");

-- CreateIndex
CREATE INDEX "Ticket_chatId_messageId_idx" ON "Ticket"("chatId", "messageId");

-- CreateIndex
CREATE INDEX "TicketEvent_ticketId_at_idx" ON "TicketEvent"("ticketId", "at");

-- CreateIndex
CREATE INDEX "TicketEvent_kind_at_idx" ON "TicketEvent"("kind", "at");

-- CreateIndex
CREATE UNIQUE INDEX "TicketEvent_ticketId_ticketVersion_key" ON "TicketEvent"("ticketId", "ticketVersion");

-- CreateIndex
CREATE UNIQUE INDEX "Attachment_ticketId_fileKey_key" ON "Attachment"("ticketId", "fileKey");

-- CreateIndex
CREATE INDEX "Satisfaction_ticketId_idx" ON "Satisfaction"("ticketId");

-- CreateIndex
CREATE INDEX "Satisfaction_at_idx" ON "Satisfaction"("at");

-- CreateIndex
CREATE INDEX "CardRef_ticketId_idx" ON "CardRef"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "CardRef_platform_ref_key" ON "CardRef"("platform", "ref");

-- CreateIndex
CREATE INDEX "InboundEvent_status_receivedAt_idx" ON "InboundEvent"("status", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundMessage_dedupeKey_key" ON "OutboundMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboundMessage_status_nextAttemptAt_idx" ON "OutboundMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboundMessage_ticketId_idx" ON "OutboundMessage"("ticketId");

-- CreateIndex
CREATE INDEX "Notice_ticketId_idx" ON "Notice"("ticketId");
