# syntax=docker/dockerfile:1
#
# Build:  docker build --build-arg VERSION=$(git describe --tags --always) -t pakt .
# Run:    see docker-compose.yml (needs DATABASE_URL pointing at PostgreSQL).

# ---- build stage -----------------------------------------------------------
FROM golang:1.26-bookworm AS build

WORKDIR /src

# Dependencies first so this layer is cached until go.mod/go.sum change.
COPY go.mod go.sum ./
RUN go mod download

# Then the source. Templates, static files, locales and migrations are
# embedded with go:embed, so the binary is all the runtime image needs.
COPY . .

ARG VERSION=docker
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X pakt/app.Version=${VERSION}" -o /out/pakt .

# Empty data directory, copied into the runtime image owned by the non-root
# user (distroless has no shell, so it cannot be created there with RUN).
# Uploads live in PostgreSQL; the directory is only read at start, to import
# files of older versions (docs/evidence.md).
RUN mkdir -p /out/data/files

# ---- runtime stage ---------------------------------------------------------
# distroless/static rather than debian-slim: the binary is static (CGO off) and
# needs only CA certificates, tzdata and /etc/passwd, which this image provides.
# There is no shell or package manager, so the attack surface is small and
# image updates are rare. The :nonroot tag runs as uid/gid 65532.
FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=build /out/pakt /pakt
COPY --from=build --chown=65532:65532 /out/data /data

ENV PAKT_ADDR=0.0.0.0:8080 \
    PAKT_DATA_DIR=/data/files

USER 65532:65532
EXPOSE 8080
VOLUME ["/data"]

# No shell or curl in distroless: the binary checks itself by GETting
# /healthz on PAKT_ADDR and exiting 0 (healthy) or 1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["/pakt", "healthcheck"]

# "serve" applies pending migrations under an advisory lock, then listens;
# it shuts down gracefully on SIGTERM.
ENTRYPOINT ["/pakt"]
CMD ["serve"]
