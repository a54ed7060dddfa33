# syntax=docker/dockerfile:1.7
#
# dualnova: the built server and web app on Node.js 22, production dependencies only, as a non-root user.
# Multi-arch: every stage builds natively for the target platform (linux/arm64 for Graviton, which the
# ECS stack uses, or linux/amd64); nothing is downloaded by architecture. Build locally with
#   docker build --platform linux/arm64 -t dualnova .
# Pin the base image by digest for reproducible builds:  --build-arg NODE_IMAGE=node:22-bookworm-slim@sha256:...
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- toolchain: compilers for native modules (better-sqlite3) when no prebuilt binary fits the platform
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# ---- deps: every dependency, for the build (TypeScript, Vite, React)
FROM toolchain AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

# ---- build: `npm run build` compiles the server into dist/src and the web app into dist/web
FROM deps AS build
COPY tsconfig.base.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
RUN npm run build

# ---- prod-deps: production dependencies only, native modules built for this platform
FROM toolchain AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev

# ---- runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/app/data
WORKDIR /app
# npm, npx, corepack and yarn are not needed to run the app: removing them removes their CVEs too.
# /app/data is the only writable application path (SQLite and the local knowledge-base index).
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && mkdir -p /app/data \
 && chown node:node /app/data
# Amazon RDS certificate authorities: with DB_SSL=true and DB_SSL_CA_FILE pointing here, the app verifies the Aurora endpoint.
ADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
# Application files stay owned by root: the app cannot modify its own code.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/web ./dist/web
COPY kb ./kb
COPY package.json ./
USER node
# The only writable paths when the root filesystem is read-only (as on ECS): declared as volumes so that
# Fargate's task-local volumes keep this ownership and mode (node-owned /app/data, sticky 1777 /tmp).
VOLUME ["/app/data", "/tmp"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The app handles SIGTERM itself: it stops accepting, lets streaming answers finish (25 s), then exits.
CMD ["node", "dist/src/cli/main.js", "serve"]
