package dev.meshgate.cert.ca;

import dev.meshgate.cert.pem.PemCodec;
import dev.meshgate.cert.pem.PemException;
import dev.meshgate.cert.pem.PemInput;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * A small certificate authority: a self-signed ECDSA P-256 root that issues leaf certificates with DNS, IP and
 * URI (SPIFFE) subject alternative names. For tests, the demo and the mesh agent; not an HSM-grade CA.
 *
 * <p>On disk a CA is two files: {@code ca.crt} and {@code ca.key} (PKCS#8).
 */
public final class CertificateAuthority {

  public static final String CERT_FILE = "ca.crt";
  public static final String KEY_FILE = "ca.key";
  public static final Duration DEFAULT_ROOT_LIFETIME = Duration.ofDays(3650);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final JcaX509CertificateConverter CONVERTER = new JcaX509CertificateConverter();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A new self-signed root. */
  public static CertificateAuthority create(String commonName, Duration lifetime) {
    try {
      KeyPair kp = generate(KeyType.EC_P256);
      X500Name subject = new X500Name("CN=" + escape(commonName) + ",O=meshgate");
      Instant from = Instant.now().minus(Duration.ofMinutes(1));
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(from),
          Date.from(from.plus(lifetime)), subject, kp.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      return new CertificateAuthority(sign(b, kp.getPrivate()), kp.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create CA " + commonName, e);
    }
  }

  public static CertificateAuthority create(String commonName) {
    return create(commonName, DEFAULT_ROOT_LIFETIME);
  }

  /** Loads {@code ca.crt} and {@code ca.key} from {@code dir}; the key must match the certificate. */
  public static CertificateAuthority load(Path dir) throws IOException {
    Path certFile = dir.resolve(CERT_FILE);
    Path keyFile = dir.resolve(KEY_FILE);
    try {
      X509Certificate cert = PemCodec.certificates(new PemInput(certFile.toString(), Files.readAllBytes(certFile)))
          .get(0);
      PrivateKey key = PemCodec.privateKey(new PemInput(keyFile.toString(), Files.readAllBytes(keyFile)));
      if (!dev.meshgate.cert.pem.KeyPairCheck.matches(key, cert.getPublicKey())) {
        throw new IOException("CA in " + dir + ": " + KEY_FILE + " does not match " + CERT_FILE + " "
            + cert.getSubjectX500Principal().getName());
      }
      if (cert.getBasicConstraints() < 0) {
        throw new IOException("CA in " + dir + ": " + CERT_FILE + " is not a CA certificate (basicConstraints)");
      }
      return new CertificateAuthority(cert, key);
    } catch (PemException e) {
      throw new IOException("CA in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Loads the CA in {@code dir}, or creates one there when {@code ca.crt} does not exist yet. */
  public static CertificateAuthority loadOrCreate(Path dir, String commonName) throws IOException {
    if (Files.exists(dir.resolve(CERT_FILE))) {
      return load(dir);
    }
    CertificateAuthority ca = create(commonName);
    ca.save(dir);
    return ca;
  }

  /** Writes {@code ca.crt} and {@code ca.key} (owner-only permissions where the file system supports them). */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(CERT_FILE), certificatePem());
    Path keyFile = dir.resolve(KEY_FILE);
    Files.writeString(keyFile, PemCodec.pkcs8Pem(key));
    try {
      Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return PemCodec.certificatesPem(List.of(certificate));
  }

  /** Issues a leaf certificate usable for both server and client authentication. */
  public IssuedCertificate issue(LeafSpec spec) {
    try {
      KeyPair kp = generate(spec.keyType());
      Instant from = spec.notBefore() != null ? spec.notBefore() : Instant.now().minus(Duration.ofMinutes(1));
      Instant to = from.plus(spec.lifetime());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      List<GeneralName> names = new ArrayList<>();
      spec.dnsNames().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
      spec.ipAddresses().forEach(n -> names.add(new GeneralName(GeneralName.iPAddress, n)));
      spec.uris().forEach(n -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, n)));
      int usage = KeyUsage.digitalSignature | (spec.keyType() == KeyType.RSA_2048 ? KeyUsage.keyEncipherment : 0);
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(from),
          Date.from(to), new X500Name("CN=" + escape(spec.commonName())), kp.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      if (!names.isEmpty()) {
        // URI-only (SPIFFE) certificates have an empty subject in Istio; we keep the CN, so SAN is non-critical.
        b.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(names.toArray(new GeneralName[0])));
      }
      return new IssuedCertificate(sign(b, key), kp.getPrivate(), certificate);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue certificate for " + spec.commonName(), e);
    }
  }

  /** A CRL signed by this CA revoking the given certificates, valid for {@code lifetime}. */
  public X509CRL crl(Collection<X509Certificate> revoked, Duration lifetime) {
    try {
      Instant now = Instant.now().minus(Duration.ofMinutes(1));
      X509v2CRLBuilder b = new JcaX509v2CRLBuilder(certificate, Date.from(now));
      b.setNextUpdate(Date.from(now.plus(lifetime)));
      for (X509Certificate c : revoked) {
        b.addCRLEntry(c.getSerialNumber(), Date.from(now), CRLReason.keyCompromise);
      }
      X509CRLHolder holder = b.build(signer(key));
      return new JcaX509CRLConverter().getCRL(holder);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign CRL", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signingKey)
      throws GeneralSecurityException {
    try {
      X509CertificateHolder holder = b.build(signer(signingKey));
      return CONVERTER.getCertificate(holder);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static ContentSigner signer(PrivateKey k) throws OperatorCreationException {
    String alg = "RSA".equals(k.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaContentSignerBuilder(alg).build(k);
  }

  private static KeyPair generate(KeyType type) throws GeneralSecurityException {
    return switch (type) {
      case EC_P256 -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        yield g.generateKeyPair();
      }
      case RSA_2048 -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        yield g.generateKeyPair();
      }
    };
  }

  // Random positive 127-bit serials: unique in practice, so a rotated certificate is told apart by its serial.
  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static String escape(String rdnValue) {
    return rdnValue.replace("\\", "\\\\").replace(",", "\\,").replace("+", "\\+").replace("=", "\\=")
        .replace("\"", "\\\"").replace("<", "\\<").replace(">", "\\>").replace(";", "\\;");
  }

  /** The public key of the root, e.g. to pin it. */
  public PublicKey publicKey() {
    return certificate.getPublicKey();
  }
}
