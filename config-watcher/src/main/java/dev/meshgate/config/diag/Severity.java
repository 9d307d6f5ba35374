package dev.meshgate.config.diag;

/** ERROR rejects the resource; WARNING and INFO never block a snapshot. */
public enum Severity {
    ERROR, WARNING, INFO
}
