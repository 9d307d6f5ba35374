package dev.meshgate.gateway.edge;

import dev.meshgate.cert.ca.IssuedCertificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JDK TLS client for the edge tests: SNI, Host and client certificate as asked, HTTP/1.1 over one socket
 * (several requests per connection possible). Accepts any server certificate: the tests check which one was served.
 */
final class TlsProbe {

    String sni;
    IssuedCertificate clientCert;
    String[] protocols;

    TlsProbe protocols(String... p) {
        this.protocols = p;
        return this;
    }

    TlsProbe sni(String s) {
        this.sni = s;
        this.ctx = null;
        return this;
    }

    TlsProbe clientCert(IssuedCertificate c) {
        this.clientCert = c;
        this.ctx = null;
        return this;
    }

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private SSLContext ctx;

    SSLSocket connect(int port) throws Exception {
        return connect("127.0.0.1", port);
    }

    /** Connects to a loopback address other than 127.0.0.1 (per-destination-address matching). */
    SSLSocket connect(String host, int port) throws Exception {
        if (ctx == null) {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers(), new TrustManager[] {new AcceptAll()}, null);
        }
        SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(host, port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        SSLParameters p = socket.getSSLParameters();
        if (sni != null) {
            p.setServerNames(List.of(new SNIHostName(sni)));
        }
        p.setApplicationProtocols(new String[] {"http/1.1"});
        if (protocols != null) {
            p.setProtocols(protocols);
        }
        socket.setSSLParameters(p);
        socket.startHandshake();
        return socket;
    }

    X509Certificate served(int port) throws Exception {
        try (SSLSocket s = connect(port)) {
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    /** Handshake, one request, close. */
    Response get(int port, String host, String path, String... headers) throws Exception {
        try (SSLSocket s = connect(port)) {
            return request(s, host, path, headers);
        }
    }

    /** True when the handshake, or the first request right after it, fails (the server refused the client). */
    boolean refused(int port, String host) {
        try (SSLSocket s = connect(port)) {
            request(s, host, "/", new String[0]);
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    static Response request(Socket s, String host, String path, String... headers) throws IOException {
        StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        OutputStream out = s.getOutputStream();
        out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String status = line(in);
        if (status == null) {
            throw new IOException("connection closed without a response");
        }
        Map<String, String> h = new TreeMap<>();
        String l;
        while ((l = line(in)) != null && !l.isEmpty()) {
            int c = l.indexOf(':');
            h.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
        }
        int length = Integer.parseInt(h.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(status.split(" ")[1]), h, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    private KeyManager[] keyManagers() throws Exception {
        if (clientCert == null) {
            return null;
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", clientCert.privateKey(), "x".toCharArray(),
                new X509Certificate[] {clientCert.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        return new KeyManager[] {new AlwaysPresent((X509KeyManager) kmf.getKeyManagers()[0])};
    }

    /** Sends the client certificate even when the server did not list its issuer (to prove refusals). */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509KeyManager delegate;

        AlwaysPresent(X509KeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, javax.net.ssl.SSLEngine e) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
