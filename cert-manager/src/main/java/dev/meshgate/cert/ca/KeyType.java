package dev.meshgate.cert.ca;

/** Key algorithms the built-in CA can issue. */
public enum KeyType {
  EC_P256,
  RSA_2048
}
