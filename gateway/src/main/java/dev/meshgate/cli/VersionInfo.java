package dev.meshgate.cli;

import io.netty.handler.ssl.OpenSsl;
import io.netty.util.Version;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Meshgate's version (from meshgate.jar's manifest or Maven metadata) and the versions of the stack under it. */
public final class VersionInfo implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return lines().toArray(String[]::new);
    }

    public static List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("meshgate " + meshgateVersion());
        out.add("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ")");
        out.add("OS " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.add("Vert.x " + vertxVersion());
        out.add("Netty " + nettyVersion());
        out.add("TLS " + openSsl());
        return out;
    }

    /** Implementation-Version of meshgate.jar; Maven's pom.properties; else a development build. */
    public static String meshgateVersion() {
        String v = VersionInfo.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (InputStream in = VersionInfo.class.getResourceAsStream(
                "/META-INF/maven/dev.meshgate/gateway/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String pv = p.getProperty("version");
                if (pv != null) {
                    return pv;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "development build";
    }

    static String vertxVersion() {
        try (InputStream in = io.vertx.core.Vertx.class.getResourceAsStream("/META-INF/vertx/vertx-version.txt")) {
            return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String nettyVersion() {
        Map<String, Version> versions = Version.identify();
        Version common = versions.get("netty-common");
        if (common == null && !versions.isEmpty()) {
            common = versions.values().iterator().next();
        }
        return common == null ? "unknown" : common.artifactVersion();
    }

    static String openSsl() {
        try {
            if (OpenSsl.isAvailable()) {
                return OpenSsl.versionString() + " via netty-tcnative (ALPN "
                        + (OpenSsl.isAlpnSupported() ? "yes" : "no") + ")";
            }
            Throwable cause = OpenSsl.unavailabilityCause();
            return "JDK only; OpenSSL unavailable: " + (cause == null ? "unknown reason" : cause.getMessage());
        } catch (LinkageError e) {
            return "JDK only; OpenSSL unavailable: " + e;
        }
    }
}
