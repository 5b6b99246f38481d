# Stand-in for eclipse-temurin:17-jre where no registry can be reached: Debian's OpenJDK 17 JRE on
# a Debian root file system (scripts/lib/stand-ins.sh builds it under the official tag). Build context: deploy/docker.
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates \
    && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 LANG=C.UTF-8
LABEL dev.nin.stand-in-for="eclipse-temurin:17-jre"
