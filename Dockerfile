# Runs an exported bundle headless: docker build -t hookline . && docker run -v hookline-data:/data ...
# (see README "Run a bundle on a server"). Node 20 on Debian; better-sqlite3 is compiled in the build stage.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
RUN npm ci --omit=dev --no-audit --no-fund
COPY core ./core
COPY bin ./bin
COPY schemas ./schemas
# Build the CLI bundle (dist-cli/) here, as root: at run time /app belongs to root and the `node` user could not
# write it, so every start would fall back to compiling the TypeScript sources with tsx (about 2x slower to start).
RUN node bin/hookline.mjs --version && test -f dist-cli/hookline.mjs

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
RUN mkdir -p /data /bundles && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/hookline.mjs", "serve"]
CMD ["/bundles/app.bundle.json", "--host", "0.0.0.0", "--port", "8080", "--data-dir", "/data"]
