# What `impfuzz kube images` builds when no registry is reachable: the Go-built static binary
# (CGO_ENABLED=0) alone, at the path the official image has it, under the official image's name.
# The provider always names the binary as the entrypoint, so official and local images run alike.
# No `# syntax=` line: it would make BuildKit pull a frontend image.
FROM scratch
ARG BINARY
COPY ${BINARY} /usr/local/bin/${BINARY}
ENV PATH=/usr/local/bin
