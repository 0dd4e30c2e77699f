# syntax=docker/dockerfile:1
# wedadiag: a static binary in a distroless image, running as a non-root user.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) \
#                --build-arg REVISION=$(git rev-parse HEAD) -t wedadiag .
#   docker run --rm -p 9894:9894 -v /var/log/app:/var/log/app:ro wedadiag --logs '/var/log/app/*.log'
#
# Arguments after the image name go to `wedadiag run`. Positions and alert
# state are kept in /var/lib/wedadiag: mount a volume there to keep them.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
ARG REVISION=unknown
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION} -X main.revision=${REVISION}" \
      -o /out/wedadiag ./cmd/wedadiag \
 && mkdir -p /out/state

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/wedadiag /wedadiag
COPY --from=build --chown=65532:65532 /out/state /var/lib/wedadiag
ENV WEDADIAG_STATE_DIR=/var/lib/wedadiag
USER 65532:65532
EXPOSE 9894
VOLUME ["/var/lib/wedadiag"]
ENTRYPOINT ["/wedadiag", "run"]
