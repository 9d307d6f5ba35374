package dev.meshgate.cert;

/** Handle to undo a listener registration. */
@FunctionalInterface
public interface Registration {
  void cancel();
}
