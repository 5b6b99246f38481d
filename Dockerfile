# The three services from one build, from a clean checkout with nothing but Docker (BuildKit:
# DOCKER_BUILDKIT=1 with Docker 20.10+, the default in newer engines). Pick one with --target
# (docker-compose.yml does):
#   docker build --target ingest-service      -t nin/ingest-service .
#   docker build --target trainer-service     -t nin/trainer-service .
#   docker build --target trainer-service-gpu -t nin/trainer-service:gpu .   (CUDA 12 natives)
#   docker build --target inference-service   -t nin/inference-service .
# Behind a TLS-inspecting proxy, hand its CA certificate(s) to the build (PEM, several allowed):
#   docker build --build-arg EXTRA_CA_CERTS="$(cat proxy-ca.pem)" ...
#   (compose: export NIN_EXTRA_CA_CERTS="$(cat proxy-ca.pem)")
# No `# syntax=` line on purpose: the Dockerfile frontend built into the engine runs RUN --mount,
# and fetching a frontend image would need a registry.

# Base images: the official ones; each an ARG so a build can point at a mirror or an internal registry.
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17-jre
ARG DEBIAN_IMAGE=debian:bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.3.2-cudnn9-runtime-ubuntu22.04

# ---- build: the three services and what they depend on, tests skipped (CI runs them); TensorFlow's
# natives land in .cache/natives/<classifier> exactly as on a developer machine. The Maven
# repository is a cache mount, so a code change recompiles without downloading anything again.
FROM ${MAVEN_IMAGE} AS build
ARG EXTRA_CA_CERTS=""
COPY deploy/docker/trust-extra-ca.sh /usr/local/bin/
RUN trust-extra-ca.sh "$EXTRA_CA_CERTS"
WORKDIR /src
# Every module's sources (.dockerignore leaves out build output, docs and scripts): Maven reads
# the whole reactor, so a module missing here fails the build.
COPY . .
# The commit being built, stamped into each checkpoint's lineage (.git is not in the context).
ARG GIT_COMMIT=unknown
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp package -DskipTests -Dspotless.check.skip=true -Dgit.commit.id="$GIT_COMMIT" \
        -pl ingest-service,trainer-service,inference-service -am

FROM build AS build-gpu
ARG GIT_COMMIT=unknown
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp package -Pgpu -DskipTests -Dspotless.check.skip=true -Dgit.commit.id="$GIT_COMMIT" \
        -pl trainer-service -am

# ---- the official Fashion-MNIST files from Debian's dataset-fashion-mnist package (the
# distribution's mirror, no download from a third-party host), checked against the SHA-256 that
# ingest-service also checks when it loads them.
FROM ${DEBIAN_IMAGE} AS dataset
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dataset-fashion-mnist \
    && rm -rf /var/lib/apt/lists/*
COPY deploy/fashion-mnist.sha256 /tmp/fashion-mnist.sha256
RUN set -e; cd /usr/share/datasets/fashion-mnist; \
    for f in $(cut -d' ' -f3 /tmp/fashion-mnist.sha256); do \
      if [ -f "$f.gz" ]; then gzip -d "$f.gz"; fi; \
    done; \
    sha256sum -c /tmp/fashion-mnist.sha256; \
    ls -l

# ---- runtimes: a JRE, curl for the health checks, an unprivileged user. The application files
# stay root-owned (the service cannot rewrite its own code); only its data folder is its own.
FROM ${JRE_IMAGE} AS jre
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 1001 --create-home nin \
    && mkdir -p /var/lib/nin/tensorboard && chown nin /var/lib/nin/tensorboard
ENV JAVA_OPTS="-Dai.djl.offline=true -XX:MaxRAMPercentage=75"
USER nin
WORKDIR /app
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]

# Each service's quarkus-app is copied in four layers, as Quarkus' own Dockerfile.jvm does:
# dependencies (lib/) change rarely, the application (app/) often, so a code change ships a small
# layer and the large one stays cached.
FROM jre AS ingest-service
COPY --from=dataset /usr/share/datasets/fashion-mnist /usr/share/datasets/fashion-mnist
COPY --from=build /src/ingest-service/target/quarkus-app/lib/ /app/lib/
COPY --from=build /src/ingest-service/target/quarkus-app/*.jar /app/
COPY --from=build /src/ingest-service/target/quarkus-app/app/ /app/app/
COPY --from=build /src/ingest-service/target/quarkus-app/quarkus/ /app/quarkus/
EXPOSE 8080

FROM jre AS trainer-service
ENV TENSORFLOW_LIBRARY_PATH=/opt/natives
COPY --from=build /src/.cache/natives/linux-x86_64 /opt/natives
COPY --from=build /src/trainer-service/target/quarkus-app/lib/ /app/lib/
COPY --from=build /src/trainer-service/target/quarkus-app/*.jar /app/
COPY --from=build /src/trainer-service/target/quarkus-app/app/ /app/app/
COPY --from=build /src/trainer-service/target/quarkus-app/quarkus/ /app/quarkus/
EXPOSE 8081

FROM jre AS inference-service
ENV TENSORFLOW_LIBRARY_PATH=/opt/natives
COPY --from=build /src/.cache/natives/linux-x86_64 /opt/natives
COPY --from=build /src/inference-service/target/quarkus-app/lib/ /app/lib/
COPY --from=build /src/inference-service/target/quarkus-app/*.jar /app/
COPY --from=build /src/inference-service/target/quarkus-app/app/ /app/app/
COPY --from=build /src/inference-service/target/quarkus-app/quarkus/ /app/quarkus/
EXPOSE 8082

# ---- the trainer on a GPU: CUDA 12 + cuDNN 9 runtime (what TF 2.16's GPU natives link against).
FROM ${CUDA_IMAGE} AS trainer-service-gpu
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 1001 --create-home nin \
    && mkdir -p /var/lib/nin/tensorboard && chown nin /var/lib/nin/tensorboard
ENV JAVA_OPTS="-Dai.djl.offline=true -XX:MaxRAMPercentage=75" \
    TENSORFLOW_LIBRARY_PATH=/opt/natives \
    NIN_TRAINER_DEVICE=gpu
COPY --from=build-gpu /src/.cache/natives/linux-x86_64-gpu /opt/natives
COPY --from=build-gpu /src/trainer-service/target/quarkus-app/lib/ /app/lib/
COPY --from=build-gpu /src/trainer-service/target/quarkus-app/*.jar /app/
COPY --from=build-gpu /src/trainer-service/target/quarkus-app/app/ /app/app/
COPY --from=build-gpu /src/trainer-service/target/quarkus-app/quarkus/ /app/quarkus/
USER nin
WORKDIR /app
EXPOSE 8081
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]
