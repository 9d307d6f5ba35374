package dev.meshgate.config.store.hazelcast;

import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

/**
 * Asks one DNS server for the A and AAAA records of a name, on every call (no cache: each discovery round sees the
 * current answer). Uses the JDK's own DNS client (JNDI, module {@code jdk.naming.dns}), because Java 17's
 * {@link InetAddress} cannot be pointed at a server. Blocking: Hazelcast calls it on its join threads.
 */
public final class DnsServerResolver implements NameResolver {

    private final String host;
    private final int port;

    public DnsServerResolver(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * @param spec {@code HOST:PORT} ({@code [v6]:PORT} for IPv6)
     * @throws IllegalArgumentException when it is not that
     */
    public static DnsServerResolver parse(String spec) {
        String v = spec == null ? "" : spec.trim();
        int colon = v.lastIndexOf(':');
        String h = colon > 0 ? v.substring(0, colon) : "";
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int p;
        try {
            p = colon > 0 ? Integer.parseInt(v.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (h.isEmpty() || p < 1 || p > 65535) {
            throw new IllegalArgumentException("DNS server: expected HOST:PORT (e.g. 10.96.0.10:53), got \""
                    + spec + "\"");
        }
        return new DnsServerResolver(h, p);
    }

    /** {@code host:port} as given. */
    public String server() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public List<InetAddress> resolve(String name) throws IOException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(DirContext.PROVIDER_URL, "dns://" + server());
        env.put("com.sun.jndi.dns.timeout.initial", "1000"); // ms, doubled on each retry
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext ctx = null;
        try {
            ctx = new InitialDirContext(env);
            Attributes records = ctx.getAttributes(name.endsWith(".") ? name : name + ".",
                    new String[] {"A", "AAAA"});
            List<InetAddress> out = new ArrayList<>();
            add(records.get("A"), out);
            add(records.get("AAAA"), out);
            return List.copyOf(out);
        } catch (NameNotFoundException e) {
            return List.of(); // NXDOMAIN
        } catch (NamingException e) {
            throw new IOException("DNS server " + server() + " did not answer for " + name + ": " + e, e);
        } finally {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (NamingException ignored) {
                    // nothing held open
                }
            }
        }
    }

    private static void add(Attribute records, List<InetAddress> out) throws NamingException, IOException {
        if (records == null) {
            return;
        }
        NamingEnumeration<?> all = records.getAll();
        while (all.hasMore()) {
            // an IP literal: getByName parses it without a lookup
            out.add(InetAddress.getByName(all.next().toString()));
        }
    }
}
