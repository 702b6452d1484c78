# syntax=docker/dockerfile:1
# The autoprobe webhook image: `autoprobe serve` on the current Node LTS (24), with production
# dependencies only, as a numeric non-root user on a distroless base (no shell, no package
# manager). The Helm chart runs it with a read-only root filesystem and an in-memory /tmp.
#
# Kept in step with test/image/image.test.ts, which runs the same steps without a Docker engine
# (it reads this file's COPY and RUN lines): change one, change the other.
#
# Base images are pinned by digest, so a rebuild gets the bytes that were tested (SLSA build L2;
# https://docs.docker.com/build/building/best-practices/#pin-base-image-versions); the tag stays
# for people and for Renovate or Dependabot's docker ecosystem, which move both together.

# ---- build: compile and pack the package exactly as npm would publish it -------------------------
FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json README.md LICENSE ./
COPY src/ src/
RUN npm run build && mkdir /pkg && npm pack --pack-destination /pkg

# ---- install: the packed package and its production dependencies, at the locked versions --------
# Unpacking the tarball and running `npm ci --omit=dev` with the lockfile (rather than
# `npm install <tgz>`) keeps the root package's `overrides` and the tested dependency versions.
FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS install
WORKDIR /app
COPY --from=build /pkg/ /pkg/
COPY package-lock.json ./
RUN tar -xzf /pkg/autoprobe-*.tgz --strip-components=1 -C /app \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime --------------------------------------------------------------------------------------
FROM gcr.io/distroless/nodejs24-debian12:nonroot@sha256:14d42e2511532589a7c7e01a753667a74fcc96266e137e8125006b87b0c32d0a
WORKDIR /app
# Owned by root and not writable by the process; it writes only to /tmp (self-managed
# certificates), which the chart mounts as an in-memory emptyDir.
COPY --from=install --chown=0:0 /app /app
ENV NODE_ENV=production
# distroless "nonroot", by number so Kubernetes can check runAsNonRoot.
USER 65532:65532
EXPOSE 8443 8080
# The image's node is /nodejs/bin/node (distroless puts nothing on PATH).
ENTRYPOINT ["/nodejs/bin/node", "/app/dist/main.js", "serve"]
