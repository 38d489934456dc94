# impfuzz's offline kind node image: the debootstrapped base, the files under rootfs/ (assembled by
# build-node-image.ts with the binaries, the rendered configs and the image archive). No RUN steps:
# the build needs no container runtime and no network.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY rootfs/ /
# systemd behaves as in a container (no udev, no hardware units) and stops cleanly on `docker stop`.
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
