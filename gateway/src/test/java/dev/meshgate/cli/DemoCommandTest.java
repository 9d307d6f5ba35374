package dev.meshgate.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code meshgate demo} end to end: the printed curl lines' behaviour, on a free port. */
class DemoCommandTest {

    @Test
    void demoServesACanaryAndAnAbRoute() throws Exception {
        DemoCommand demo = new DemoCommand();
        CommandLine cl = new CommandLine(demo);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("--port", "0"));
        int port = demo.ready().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        try {
            assertTrue(out.toString().contains("curl -s -H 'end-user: jason' http://127.0.0.1:" + port + "/"),
                    out.toString());
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("end-user", "jason").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals("hello from v2\n", r.body());
                assertEquals("ab-test", r.headers().firstValue("x-meshgate-route").orElse(null));
            }
            int v1 = 0;
            int v2 = 0;
            for (int i = 0; i < 400; i++) {
                String body = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                        .body();
                if (body.equals("hello from v1\n")) {
                    v1++;
                } else if (body.equals("hello from v2\n")) {
                    v2++;
                }
            }
            assertEquals(400, v1 + v2);
            assertTrue(v2 >= 15 && v2 <= 70, "about 10% v2: " + v2 + "/400");
        } finally {
            demo.stop();
        }
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
    }
}
