package dev.meshgate.cert.pem;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM certificates, private keys (PKCS#1 {@code RSA PRIVATE KEY}, PKCS#8 {@code PRIVATE KEY}, SEC1
 * {@code EC PRIVATE KEY}) and CRLs, and writes certificates and PKCS#8 keys back as PEM.
 *
 * <p>Keys are converted with the JDK's own providers; BouncyCastle is only used as a parser, so nothing is
 * registered as a JCA provider.
 */
public final class PemCodec {

  private static final JcaX509CertificateConverter CERTS = new JcaX509CertificateConverter();
  private static final JcaX509CRLConverter CRLS = new JcaX509CRLConverter();
  private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

  private PemCodec() {
  }

  /** All certificates in the input, in order. Fails when there is none or something else is in the file. */
  public static List<X509Certificate> certificates(PemInput in) throws PemException {
    List<X509Certificate> out = new ArrayList<>();
    for (Object o : objects(in)) {
      if (o instanceof X509CertificateHolder holder) {
        try {
          out.add(CERTS.getCertificate(holder));
        } catch (CertificateException e) {
          throw new PemException(in.label() + ": unreadable certificate: " + e.getMessage(), e);
        }
      } else if (isPrivateKey(o)) {
        throw new PemException(in.label() + ": contains a private key where certificates were expected");
      }
    }
    if (out.isEmpty()) {
      throw new PemException(in.label() + ": no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
    }
    return out;
  }

  /** The single private key in the input, in any supported form. */
  public static PrivateKey privateKey(PemInput in) throws PemException {
    PrivateKey found = null;
    for (Object o : objects(in)) {
      PrivateKey key;
      if (o instanceof PEMKeyPair pair) {
        // PKCS#1 RSA PRIVATE KEY or SEC1 EC PRIVATE KEY
        key = convert(in, pair.getPrivateKeyInfo());
      } else if (o instanceof PrivateKeyInfo info) {
        key = convert(in, info);
      } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new PemException(in.label() + ": the private key is encrypted; provide it unencrypted"
            + " (e.g. openssl pkey -in key.pem -out key-plain.pem)");
      } else if (o instanceof X509CertificateHolder) {
        continue; // some tools put the certificate next to the key; harmless
      } else {
        continue; // EC PARAMETERS blocks written by `openssl ecparam -genkey`
      }
      if (found != null) {
        throw new PemException(in.label() + ": more than one private key");
      }
      found = key;
    }
    if (found == null) {
      throw new PemException(in.label() + ": no PEM private key found (expected PRIVATE KEY, RSA PRIVATE KEY"
          + " or EC PRIVATE KEY)");
    }
    return found;
  }

  /** All CRLs in the input ({@code -----BEGIN X509 CRL-----}). */
  public static List<X509CRL> crls(PemInput in) throws PemException {
    List<X509CRL> out = new ArrayList<>();
    for (Object o : objects(in)) {
      if (o instanceof X509CRLHolder holder) {
        try {
          out.add(CRLS.getCRL(holder));
        } catch (CRLException e) {
          throw new PemException(in.label() + ": unreadable CRL: " + e.getMessage(), e);
        }
      }
    }
    if (out.isEmpty()) {
      throw new PemException(in.label() + ": no PEM CRL found (expected -----BEGIN X509 CRL-----)");
    }
    return out;
  }

  public static String pkcs8Pem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  public static String certificatesPem(List<X509Certificate> certs) {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : certs) {
      try {
        sb.append(pem("CERTIFICATE", c.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("cannot encode certificate " + c.getSubjectX500Principal(), e);
      }
    }
    return sb.toString();
  }

  public static String crlsPem(List<X509CRL> crls) {
    StringBuilder sb = new StringBuilder();
    for (X509CRL c : crls) {
      try {
        sb.append(pem("X509 CRL", c.getEncoded()));
      } catch (CRLException e) {
        throw new IllegalStateException("cannot encode CRL of " + c.getIssuerX500Principal(), e);
      }
    }
    return sb.toString();
  }

  public static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static boolean isPrivateKey(Object o) {
    return o instanceof PEMKeyPair || o instanceof PrivateKeyInfo || o instanceof PEMEncryptedKeyPair
        || o instanceof PKCS8EncryptedPrivateKeyInfo;
  }

  private static PrivateKey convert(PemInput in, PrivateKeyInfo info) throws PemException {
    try {
      return KEYS.getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw new PemException(in.label() + ": unsupported or corrupt private key (" + e.getMessage() + ")", e);
    }
  }

  private static List<Object> objects(PemInput in) throws PemException {
    if (in.length() == 0) {
      throw new PemException(in.label() + ": file is empty");
    }
    List<Object> out = new ArrayList<>();
    try (Reader r = new InputStreamReader(new ByteArrayInputStream(in.raw()), StandardCharsets.US_ASCII);
         PEMParser parser = new PEMParser(r)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof ASN1ObjectIdentifier || o instanceof X9ECParameters) {
          continue;
        }
        out.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw new PemException(in.label() + ": not valid PEM (" + e.getMessage() + ")", e);
    }
    if (out.isEmpty()) {
      throw new PemException(in.label() + ": no PEM block found (is it DER or empty?)");
    }
    return out;
  }
}
