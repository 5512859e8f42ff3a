-- CreateIndex
CREATE INDEX "OutboundMessage_platform_target_sentAt_idx" ON "OutboundMessage"("platform", "target", "sentAt");
