# Meshgate image: the runnable jar on a JRE 17, as a non-root user.
# Build the jar first (mvn -B -DskipTests package), then: docker build -t meshgate/meshgate:0.1.0 .
# The Helm chart (helm/meshgate) runs it with a read-only root filesystem and an emptyDir on /tmp, which the
# JVM, Netty's native TLS library and Vert.x's file cache need to be writable.
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 meshgate \
 && useradd --system --uid 10001 --gid meshgate --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin meshgate

COPY gateway/target/meshgate.jar /opt/meshgate/meshgate.jar

USER 10001:10001
WORKDIR /tmp
# traffic (unprivileged; the Service maps 80/443 onto them), status (/healthz/ready), metrics, Hazelcast
EXPOSE 8080 8443 15021 15090 5701
# read by the java launcher itself; the chart sets it from values.javaOpts
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/opt/meshgate/meshgate.jar"]
CMD ["--help"]
