-- CreateTable
CREATE TABLE "ChatSession" (
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "webhook" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("platform", "chatId")
);
