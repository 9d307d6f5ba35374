package dev.meshgate.gateway.tls;

import dev.meshgate.cert.ca.IssuedCertificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A plain JDK TLS client for tests: real handshakes against 127.0.0.1, SNI and ALPN as asked, optional client
 * certificate. It accepts any server certificate because the tests inspect which one was served.
 */
final class TlsTestClient {

  String sni;
  IssuedCertificate clientCert;
  String[] protocols;
  String[] cipherSuites;
  String[] alpn = {"http/1.1"};

  TlsTestClient sni(String s) {
    this.sni = s;
    return this;
  }

  TlsTestClient clientCert(IssuedCertificate c) {
    this.clientCert = c;
    return this;
  }

  TlsTestClient protocols(String... p) {
    this.protocols = p;
    return this;
  }

  TlsTestClient cipherSuites(String... c) {
    this.cipherSuites = c;
    return this;
  }

  TlsTestClient alpn(String... a) {
    this.alpn = a;
    return this;
  }

  SSLSocket connect(int port) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keyManagers(), new TrustManager[] {new AcceptAll()}, null);
    SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    SSLParameters p = socket.getSSLParameters();
    if (sni != null) {
      p.setServerNames(List.of(new SNIHostName(sni)));
    }
    if (protocols != null) {
      p.setProtocols(protocols);
    }
    if (cipherSuites != null) {
      p.setCipherSuites(cipherSuites);
    }
    p.setApplicationProtocols(alpn);
    socket.setSSLParameters(p);
    socket.startHandshake();
    return socket;
  }

  /** The leaf certificate the server presented. */
  X509Certificate servedCertificate(int port) throws Exception {
    try (SSLSocket s = connect(port)) {
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  /** Handshake, then one HTTP/1.1 request; returns the status line. Throws when the server refuses. */
  String get(int port, String path) throws Exception {
    try (SSLSocket s = connect(port)) {
      return request(s, path);
    }
  }

  static String request(SSLSocket s, String path) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: " + "test" + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    String status = in.readLine();
    if (status == null) {
      throw new IOException("connection closed without a response");
    }
    String line;
    int length = 0;
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    char[] body = new char[length];
    int read = 0;
    while (read < length) {
      int n = in.read(body, read, length - read);
      if (n < 0) {
        break;
      }
      read += n;
    }
    return status + " " + new String(body, 0, read);
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

  /**
   * JSSE only sends a client certificate whose issuer the server listed; to prove the server rejects a foreign
   * certificate, this key manager sends it anyway.
   */
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
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
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
