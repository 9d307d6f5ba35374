package dev.meshgate.cli;

import dev.meshgate.config.diag.ResourceValidator;
import dev.meshgate.config.diag.ValidationResult;
import dev.meshgate.config.model.Resource;

import java.util.List;

/**
 * Accepts everything. A placeholder until dev.meshgate.config.validation.ConfigValidator exists; only
 * {@link ConfigPipeline#validator()} refers to it.
 */
final class NoopValidator implements ResourceValidator {

    @Override
    public ValidationResult validate(List<Resource<?>> resources) {
        return new ValidationResult(resources, List.of());
    }
}
