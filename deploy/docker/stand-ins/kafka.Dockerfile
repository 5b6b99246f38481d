# Stand-in for apache/kafka:4.1.0 where no registry can be reached: the Kafka 4.1.0 broker's jars
# from Maven Central on a JRE, with an entrypoint that honours the KAFKA_* variables and the
# /opt/kafka/bin scripts that docker-compose.yml and kafka-access.sh use (scripts/lib/stand-ins.sh builds it under the
# official tag). Build context: deploy/docker.
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17-jre
FROM ${MAVEN_IMAGE} AS jars
ARG EXTRA_CA_CERTS=""
COPY trust-extra-ca.sh /usr/local/bin/
RUN trust-extra-ca.sh "$EXTRA_CA_CERTS"
COPY stand-ins/kafka/pom.xml /build/pom.xml
RUN --mount=type=cache,target=/root/.m2 \
    cd /build && mvn -B -ntp -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/opt/kafka/libs

FROM ${JRE_IMAGE}
COPY --from=jars /opt/kafka/libs /opt/kafka/libs
# entrypoint.sh and the tools the compose file, k8s/ and kafka-access.sh call (kafka-*.sh)
COPY stand-ins/kafka/*.sh /opt/kafka/bin/
ENTRYPOINT ["/opt/kafka/bin/entrypoint.sh"]
EXPOSE 9092
LABEL dev.nin.stand-in-for="apache/kafka:4.1.0"
