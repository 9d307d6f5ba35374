package dev.meshgate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code meshgate certs}: a real root and a real leaf that verifies against it, laid out like a TLS Secret. */
class CertsCommandTest {

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static X509Certificate cert(Path file) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    @Test
    void createsACaAndIssuesALeafThatVerifiesAgainstIt() throws Exception {
        Path ca = dir.resolve("ca");
        Result created = run("certs", "create-ca", "--dir", ca.toString(), "--name", "Test Root");
        assertEquals(0, created.exit(), created.err());
        X509Certificate root = cert(ca.resolve("ca.crt"));
        assertTrue(root.getBasicConstraints() >= 0, "a CA certificate");
        assertTrue(root.getSubjectX500Principal().getName().contains("Test Root"));

        Path out = dir.resolve("creds/istio-system/bookinfo-cert");
        Result issued = run("certs", "issue", "--ca-dir", ca.toString(), "--out", out.toString(),
                "--dns", "bookinfo.example.com,*.example.com", "--ip", "127.0.0.1", "--lifetime", "2d");
        assertEquals(0, issued.exit(), issued.err());
        X509Certificate leaf = cert(out.resolve("tls.crt"));
        leaf.verify(root.getPublicKey());
        List<String> sans = new ArrayList<>();
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
            sans.add(String.valueOf(san.get(1)));
        }
        assertTrue(sans.containsAll(List.of("bookinfo.example.com", "*.example.com", "127.0.0.1")), sans.toString());
        long days = (leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime()) / 86_400_000L;
        assertTrue(days >= 1 && days <= 2, "lifetime in days " + days);
        assertTrue(Files.readString(out.resolve("tls.key")).contains("BEGIN PRIVATE KEY"), "PKCS#8 key");
        assertEquals(root, cert(out.resolve("ca.crt")));
    }

    @Test
    void refusesToOverwriteACaAndNeedsASan() {
        Path ca = dir.resolve("ca");
        assertEquals(0, run("certs", "create-ca", "--dir", ca.toString()).exit());
        Result again = run("certs", "create-ca", "--dir", ca.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("not overwriting"), again.err());

        Result noSan = run("certs", "issue", "--ca-dir", ca.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, noSan.exit());
        assertTrue(noSan.err().contains("at least one of --dns, --ip, --uri"), noSan.err());

        Result noCa = run("certs", "issue", "--ca-dir", dir.resolve("nope").toString(), "--out",
                dir.resolve("y").toString(), "--dns", "a.example.com");
        assertEquals(1, noCa.exit());
    }
}
