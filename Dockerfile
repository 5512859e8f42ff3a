# ChatDesk on Node, in a container. The build steps are exactly CI's: npm ci, npm run build; the container
# runs npm start (the compiled server). Not built or run in CI (no Docker engine there): see docs/operations.md.
#   docker build -t chatdesk .
#   docker run -p 3000:3000 -v chatdesk-data:/app/data --env-file .env chatdesk

# --- build: a C/C++ tool chain for better-sqlite3, the Prisma client, the compiled server ---
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build

# --- run: no tool chain, not root, the database on a volume ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=file:/app/data/chatdesk.db
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Shutdown is bounded by SHUTDOWN_TIMEOUT_MS (8 s), inside Docker's default 10 s before SIGKILL.
# What `npm start` runs, without npm in between (signals reach the server directly).
CMD ["node", "src/adapter/node/start.mjs"]
