package dev.meshgate.gateway.demo;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.yaml.LoadResult;
import dev.meshgate.config.yaml.ResourceLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Collectors;

/** The built-in demo configuration (resource {@code demo/demo.yaml}) bound to the backends' ports. */
public final class DemoConfig {

    public static final String RESOURCE = "/demo/demo.yaml";

    private DemoConfig() {
    }

    public static String text(int v1Port, int v2Port) {
        try (InputStream in = DemoConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${V1_PORT}", Integer.toString(v1Port))
                    .replace("${V2_PORT}", Integer.toString(v2Port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ConfigSnapshot snapshot(int v1Port, int v2Port) {
        LoadResult r = new ResourceLoader().load("demo.yaml", text(v1Port, v2Port));
        if (r.hasErrors()) {
            throw new IllegalStateException("built-in demo config does not load: "
                    + r.errors().stream().map(Diagnostic::toString).collect(Collectors.joining("; ")));
        }
        return new ConfigSnapshot(1, "demo", r.resources(), Instant.now());
    }
}
