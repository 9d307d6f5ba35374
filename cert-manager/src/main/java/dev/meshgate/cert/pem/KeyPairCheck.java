package dev.meshgate.cert.pem;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Does a private key belong to a certificate's public key? Checked by signing a fixed message and verifying it,
 * which works the same for RSA, EC and EdDSA without algorithm-specific maths.
 */
public final class KeyPairCheck {

  private static final byte[] PROBE = "meshgate key/certificate pairing probe".getBytes(StandardCharsets.US_ASCII);

  private KeyPairCheck() {
  }

  public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    String alg = signatureAlgorithm(privateKey.getAlgorithm());
    if (alg == null || !sameFamily(privateKey.getAlgorithm(), publicKey.getAlgorithm())) {
      return false;
    }
    try {
      Signature signer = Signature.getInstance(alg);
      signer.initSign(privateKey);
      signer.update(PROBE);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(alg);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean sameFamily(String a, String b) {
    return normalise(a).equals(normalise(b));
  }

  private static String normalise(String alg) {
    return switch (alg) {
      case "ECDSA", "EC" -> "EC";
      case "Ed25519", "EdDSA" -> "EdDSA";
      default -> alg;
    };
  }

  private static String signatureAlgorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
  }
}
