# syntax=docker/dockerfile:1
# The hub's image: `docker build -t omnichannel-hub .`, then
#   docker run -p 3000:3000 -p 2525:2525 -v hub-data:/app/.data omnichannel-hub
# (embedded PGlite under /app/.data), or with DATABASE_URL and REDIS_URL (README: Running a cluster).
# Three stages: all dependencies and the build, production dependencies only, the runtime.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV CI=true SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY channel-adapters ./channel-adapters
COPY web ./web
# The server (tsc to dist/) and the web app and chat widget (vite to web/dist, web/dist-widget).
RUN npm run build

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
ENV CI=true SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="omnichannel-hub" \
      org.opencontainers.image.description="Omnichannel communication hub: API, workers, web app"
ENV NODE_ENV=production \
    PORT=3000 \
    SMTP_INBOUND_PORT=2525 \
    DATA_DIR=/app/.data
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/web/dist ./web/dist
COPY --from=build --chown=node:node /app/web/dist-widget ./web/dist-widget
COPY --chown=node:node web/demo.html ./web/demo.html
COPY --chown=node:node templates ./templates
COPY --chown=node:node package.json ./package.json
# The embedded PostgreSQL's files when DATABASE_URL is unset: mount a volume here to keep them.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000 2525
# GET /health answers 200 or 503 within 2 s (database, queue, channels); the slim image has no
# curl, so node's own fetch asks it. Twelve tries 10 s apart cover a first start (dockerfilelint
# 1.8 refuses --start-period, a valid option; compose files may set start_period instead).
HEALTHCHECK --interval=10s --timeout=5s --retries=12 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
