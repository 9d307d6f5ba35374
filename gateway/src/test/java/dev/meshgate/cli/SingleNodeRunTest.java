package dev.meshgate.cli;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 6: "Without {@code --cluster} nothing of Hazelcast starts". A single-node {@code meshgate run} serves traffic
 * and answers its admin API's {@code /cluster/members} with no Hazelcast instance and no Hazelcast thread
 * ({@code hz.*}) appearing in the JVM. Compared with what existed before it started, because other test classes
 * in the same JVM may run clusters of their own.
 */
class SingleNodeRunTest {

    @TempDir
    Path dir;

    private final HttpProbe http = new HttpProbe();
    private InProcessRun run;

    @AfterEach
    void stop() throws Exception {
        if (run != null) {
            run.close();
        }
        http.close();
    }

    @Test
    void withoutClusterNoHazelcastStarts() throws Exception {
        Set<HazelcastInstance> instancesBefore = Hazelcast.getAllHazelcastInstances();
        Set<String> threadsBefore = hazelcastThreads();
        HttpServer backend = HttpProbe.await(http.vertx.createHttpServer()
                .requestHandler(req -> req.response().end("ok")).listen(0, "127.0.0.1"));
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("gw.yaml"), AdminRunE2ETest.gateway());
        Files.writeString(config.resolve("backend.yaml"), AdminRunE2ETest.serviceEntry(backend.actualPort()));
        Files.writeString(config.resolve("vs.yaml"), AdminRunE2ETest.virtualService("api", "api.example.com", "/"));

        run = InProcessRun.start("-c", config.toString(), "--port-map", "80=0");

        assertEquals(200, http.until(10, () -> http.get(run.healthPort(), null, "/healthz/ready"),
                r -> r.status() == 200).status(), "ready");
        int port = http.admin(run.adminPort(), "/listeners").getJsonArray("listeners").getJsonObject(0)
                .getInteger("boundPort");
        assertEquals(200, http.get(port, "api.example.com", "/x").status(), "serves traffic");
        JsonObject members = http.admin(run.adminPort(), "/cluster/members");
        assertEquals(1, members.getJsonArray("members").size(), "one member, itself: " + members.encode());

        // only new ones count: another test's cluster may still be shutting down in this JVM
        Set<HazelcastInstance> newInstances = new java.util.HashSet<>(Hazelcast.getAllHazelcastInstances());
        newInstances.removeAll(instancesBefore);
        assertEquals(Set.of(), newInstances, "no Hazelcast instance was created");
        Set<String> newThreads = hazelcastThreads();
        newThreads.removeAll(threadsBefore);
        assertEquals(Set.of(), newThreads, "no Hazelcast thread was started");
    }

    private static Set<String> hazelcastThreads() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("hz.")) {
                names.add(t.getName());
            }
        }
        return names;
    }
}
