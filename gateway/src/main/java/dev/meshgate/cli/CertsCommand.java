package dev.meshgate.cli;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The built-in certificate authority from the command line: make a root, issue leaf certificates laid out like a
 * Kubernetes TLS Secret, so a {@code --credentials-dir} (or a Gateway's file paths) can use them at once.
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "Create a certificate authority and issue certificates (ECDSA P-256 by default).",
        subcommands = {CertsCommand.CreateCa.class, CertsCommand.Issue.class})
public final class CertsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is needed: create-ca or issue");
    }

    @Command(name = "create-ca", mixinStandardHelpOptions = true,
            description = "Create a self-signed root (ca.crt, ca.key) in DIR; refuses to overwrite one.")
    static final class CreateCa implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where ca.crt and ca.key go.")
        Path dir;

        @Option(names = "--name", defaultValue = "Meshgate Root CA", paramLabel = "CN",
                description = "Common name of the root (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--lifetime", defaultValue = "3650d", paramLabel = "DURATION",
                converter = DurationConverter.class, description = "Validity (default: ${DEFAULT-VALUE}).")
        Duration lifetime;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (Files.exists(dir.resolve(CertificateAuthority.CERT_FILE))) {
                spec.commandLine().getErr().println("meshgate certs create-ca: " + dir.resolve(CertificateAuthority.CERT_FILE)
                        + " exists; not overwriting a CA");
                return 1;
            }
            CertificateAuthority ca = CertificateAuthority.create(name, lifetime);
            ca.save(dir);
            out.println("created CA \"" + name + "\" in " + dir + " (ca.crt, ca.key)");
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a leaf certificate signed by the CA in --ca-dir; writes tls.crt, tls.key, ca.crt.")
    static final class Issue implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--ca-dir", required = true, paramLabel = "DIR", description = "The CA made by create-ca.")
        Path caDir;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Output directory, e.g. CREDENTIALS_DIR/istio-system/my-cert for credentialName my-cert.")
        Path out;

        @Option(names = "--dns", paramLabel = "NAME", split = ",", description = "DNS SANs (the first is the CN).")
        List<String> dns = new ArrayList<>();

        @Option(names = "--ip", paramLabel = "ADDRESS", split = ",", description = "IP address SANs.")
        List<String> ips = new ArrayList<>();

        @Option(names = "--uri", paramLabel = "URI", split = ",", description = "URI SANs, e.g. SPIFFE IDs.")
        List<String> uris = new ArrayList<>();

        @Option(names = "--lifetime", defaultValue = "90d", paramLabel = "DURATION",
                converter = DurationConverter.class, description = "Validity (default: ${DEFAULT-VALUE}).")
        Duration lifetime;

        @Override
        public Integer call() throws IOException {
            if (dns.isEmpty() && ips.isEmpty() && uris.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "at least one of --dns, --ip, --uri is needed");
            }
            CertificateAuthority ca;
            try {
                ca = CertificateAuthority.load(caDir);
            } catch (IOException e) {
                spec.commandLine().getErr().println("meshgate certs issue: " + e.getMessage());
                return 1;
            }
            String cn = !dns.isEmpty() ? dns.get(0) : !ips.isEmpty() ? ips.get(0) : uris.get(0);
            LeafSpec leaf = LeafSpec.forDns(dns.isEmpty() ? new String[]{cn} : dns.toArray(String[]::new))
                    .withCommonName(cn).withIps(ips.toArray(String[]::new)).withUris(uris.toArray(String[]::new))
                    .withLifetime(lifetime);
            if (dns.isEmpty()) {
                leaf = new LeafSpec(cn, List.of(), leaf.ipAddresses(), leaf.uris(), leaf.notBefore(),
                        leaf.lifetime(), leaf.keyType());
            }
            IssuedCertificate cert = ca.issue(leaf);
            cert.writeTlsSecret(out);
            spec.commandLine().getOut().println("issued " + cert + " into " + out + " (tls.crt, tls.key, ca.crt)");
            return 0;
        }
    }
}
