package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;

/**
 * Field rules for one kind. Implementations only report through the context; they never throw on bad input and
 * never look at other resources (cross-resource findings belong to {@link Analyzer}).
 *
 * @param <S> the spec record of the kind
 */
interface KindValidator<S extends Record> {

    Class<S> specType();

    /**
     * @param resource the whole resource (namespace and name are sometimes part of a rule)
     * @param spec     the context positioned at {@code spec}
     */
    void validate(Resource<S> resource, FieldContext spec);
}
