#!/bin/sh
# kafka-run-class.sh CLASS ARGS...: a Kafka tool on the broker's classpath, as the distribution's script.
class=$1
shift
exec java -Xmx256m -cp '/opt/kafka/libs/*' "$class" "$@"
