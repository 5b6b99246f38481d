# syntax=docker/dockerfile:1
# The three services from one build. Pick one with --target (docker-compose.yml does):
#   docker build --target ingest-service -t nin/ingest-service .
#   docker build --target trainer-service -t nin/trainer-service .
#   docker build --target trainer-service-gpu -t nin/trainer-service:gpu .   (CUDA 12 natives)
#   docker build --target inference-service -t nin/inference-service .

# ---- build: every module once, tests skipped (CI runs them); TensorFlow's natives land in
# .cache/natives/<classifier> exactly as on a developer machine.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY contracts contracts
COPY nin-core nin-core
COPY test-support test-support
COPY inference-client inference-client
COPY ingest-service ingest-service
COPY trainer-service trainer-service
COPY inference-service inference-service
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp package -DskipTests -Dspotless.check.skip=true

FROM build AS build-gpu
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp package -Pgpu -DskipTests -Dspotless.check.skip=true -pl nin-core,trainer-service -am

# ---- the official Fashion-MNIST files, checked against the SHA-256 the services also check.
FROM debian:bookworm-slim AS dataset
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/share/datasets/fashion-mnist
COPY deploy/fashion-mnist.sha256 /tmp/fashion-mnist.sha256
RUN set -e; base=http://fashion-mnist.s3-website.eu-central-1.amazonaws.com; \
    for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do \
      curl -fsSL "$base/$f.gz" -o "$f.gz"; \
      echo "$(grep " $f\$" /tmp/fashion-mnist.sha256 | cut -d' ' -f1)  -" > /tmp/expected; \
      gzip -dc "$f.gz" | sha256sum -c /tmp/expected; \
    done

# ---- runtimes: a JRE, curl for health checks, an unprivileged user.
FROM eclipse-temurin:17-jre AS jre
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 1001 --create-home nin \
    && mkdir -p /var/lib/nin/tensorboard && chown nin /var/lib/nin/tensorboard
ENV JAVA_OPTS="-Dai.djl.offline=true -XX:MaxRAMPercentage=75"
USER nin
WORKDIR /app

FROM jre AS ingest-service
COPY --from=dataset /usr/share/datasets/fashion-mnist /usr/share/datasets/fashion-mnist
COPY --from=build --chown=nin /src/ingest-service/target/quarkus-app /app
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]

FROM jre AS trainer-service
ENV TENSORFLOW_LIBRARY_PATH=/opt/natives
COPY --from=build /src/.cache/natives/linux-x86_64 /opt/natives
COPY --from=build --chown=nin /src/trainer-service/target/quarkus-app /app
EXPOSE 8081
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]

FROM jre AS inference-service
ENV TENSORFLOW_LIBRARY_PATH=/opt/natives
COPY --from=build /src/.cache/natives/linux-x86_64 /opt/natives
COPY --from=build --chown=nin /src/inference-service/target/quarkus-app /app
EXPOSE 8082
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]

# ---- the trainer on a GPU: CUDA 12 + cuDNN 9 runtime (what TF 2.16's GPU natives link against).
FROM nvidia/cuda:12.3.2-cudnn9-runtime-ubuntu22.04 AS trainer-service-gpu
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 1001 --create-home nin \
    && mkdir -p /var/lib/nin/tensorboard && chown nin /var/lib/nin/tensorboard
ENV JAVA_OPTS="-Dai.djl.offline=true -XX:MaxRAMPercentage=75" \
    TENSORFLOW_LIBRARY_PATH=/opt/natives \
    NIN_TRAINER_DEVICE=gpu
COPY --from=build-gpu /src/.cache/natives/linux-x86_64-gpu /opt/natives
COPY --from=build-gpu --chown=nin /src/trainer-service/target/quarkus-app /app
USER nin
WORKDIR /app
EXPOSE 8081
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]
