# OpenJules: one image for the web process and the workers.
#   docker build -t openjules .
#   docker run --env-file .env -p 3000:3000 -v openjules-data:/data openjules          # web + worker
#   docker run ... openjules node src/main.ts worker                                   # a worker only
# Node 24 runs the TypeScript sources directly (type stripping); the only build is the web app's (web/dist, stage `web`).
# Workers run repository code in bubblewrap, which needs user namespaces: see compose.yaml.

# --- dependencies: production packages only (the `node` runtime package is a dev dependency; the image's Node 24 runs the app)
# (no install scripts: `prepare` builds the web app, which is the `web` stage's job, and no production package needs one)
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- the web app (React + Vite + Tailwind, dev dependencies): static files in web/dist, served under /app
FROM node:24-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY web ./web
COPY src ./src
RUN npm run build:web

# --- runtime
FROM node:24-bookworm-slim AS runtime
# bubblewrap: the sandbox; util-linux: prlimit/setpriv for its limits; git: workspaces; ripgrep: the agent's search;
# tini: PID 1 that forwards signals and reaps the sandbox's orphaned processes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap ca-certificates git ripgrep tini util-linux \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    JULES_DATA_DIR=/data \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# Sources stay owned by root: the app (user node) cannot change its own code.
COPY package.json app.yml ./
COPY bin ./bin
COPY src ./src
COPY --from=web /app/web/dist ./web/dist
RUN ln -s /app/bin/openjules.js /usr/local/bin/openjules \
 && mkdir -p /data && chown node:node /data && chmod 0711 /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# Liveness only (no dependencies); /readyz says whether the database, queue and disk are usable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "src/main.ts"]
