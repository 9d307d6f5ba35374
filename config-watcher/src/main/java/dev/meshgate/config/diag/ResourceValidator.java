package dev.meshgate.config.diag;

import dev.meshgate.config.model.Resource;

import java.util.List;

/** Validates a whole candidate configuration: per-resource field rules, then cross-resource analysis. */
@FunctionalInterface
public interface ResourceValidator {

    ValidationResult validate(List<Resource<?>> resources);
}
