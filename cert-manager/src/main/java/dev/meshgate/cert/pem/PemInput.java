package dev.meshgate.cert.pem;

import java.util.Objects;

/** Bytes read from one file or Secret key, with the label used in error messages (file path or key name). */
public record PemInput(String label, byte[] data) {

  public PemInput {
    Objects.requireNonNull(label, "label");
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  int length() {
    return data.length;
  }

  byte[] raw() {
    return data;
  }

  @Override
  public String toString() {
    return "PemInput[" + label + ", " + data.length + " bytes]";
  }
}
