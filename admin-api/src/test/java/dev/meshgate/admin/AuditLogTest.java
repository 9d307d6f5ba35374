package dev.meshgate.admin;

import dev.meshgate.admin.audit.AuditEntry;
import dev.meshgate.admin.audit.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditLogTest {

    @TempDir
    Path dir;

    @Test
    void concurrentAppendsGiveOneIntactLinePerEntryAndSurviveReopening() throws Exception {
        Path file = dir.resolve("nested/dir/audit.log");
        AuditLog log = AuditLog.toFile(file);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<Future<Void>>> submitted = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            submitted.add(pool.submit(() -> log.append(new AuditEntry(Instant.now(), "token:t" + n, "create",
                    "networking.istio.io/v1 VirtualService default/r" + n, null, Integer.toString(n), n % 2 == 0, 201))));
        }
        for (java.util.concurrent.Future<Future<Void>> f : submitted) {
            Http.await(f.get());
        }
        pool.shutdown();
        log.close();

        AuditLog again = AuditLog.toFile(file);
        Http.await(again.append(new AuditEntry(Instant.now(), "token:last", "delete", "x", "7", null, false, 200)));
        again.close();

        List<String> lines = Files.readAllLines(file);
        assertEquals(201, lines.size());
        Set<String> versions = new HashSet<>();
        for (String line : lines.subList(0, 200)) {
            JsonObject e = new JsonObject(line);
            versions.add(e.getString("newResourceVersion"));
            assertEquals("create", e.getString("verb"));
        }
        assertEquals(200, versions.size());
        JsonObject last = new JsonObject(lines.get(200));
        assertEquals("token:last", last.getString("principal"));
        assertEquals("7", last.getString("oldResourceVersion"));
        assertTrue(last.containsKey("newResourceVersion") && last.getValue("newResourceVersion") == null);
    }
}
