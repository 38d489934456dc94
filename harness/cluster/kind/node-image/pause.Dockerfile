# impfuzz's pause program as the pod sandbox image: the official image keeps its binary at /pause and
# names it as the entrypoint, and containerd starts sandboxes from the image's entrypoint.
FROM scratch
ARG BINARY
COPY ${BINARY} /pause
ENTRYPOINT ["/pause"]
