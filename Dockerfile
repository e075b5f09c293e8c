# The loadgen image: what each child of a load-fleet run executes on AWS Batch (README: Load fleet).
# Production dependencies only, from the lockfile; install scripts off (none is needed: native modules ship
# prebuilt); a non-root user; the CLI as the entry point: `docker run <image> run --stream <name> ...`.
# Node is pinned to an exact release; the deploy workflow builds it and pushes <repository>:<git sha>.
FROM node:20.20.2-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app

# Dependencies first, in their own layer: a source-only change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# The CLI's files and what it imports from outside loadgen/ (owned by root: the app cannot change itself).
COPY tsconfig.json ./
COPY bin/ bin/
COPY contract/ contract/
COPY loadgen/ loadgen/
COPY constructs/databricks/analysis-sql.ts constructs/databricks/analysis-sql.ts
COPY notebooks/ notebooks/

USER node
ENTRYPOINT ["node", "bin/loadgen.js"]
CMD ["--help"]
