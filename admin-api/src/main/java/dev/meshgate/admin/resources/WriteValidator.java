package dev.meshgate.admin.resources;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.ResourceValidator;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges a resource about to be written, in the context of the rest of the configuration, with the same validator
 * {@code meshgate validate} uses. Errors about the candidate refuse the write (422); warnings about it are passed
 * back as HTTP {@code Warning} headers; findings about other resources are not this write's business.
 */
@FunctionalInterface
public interface WriteValidator {

    WriteValidator NONE = (candidate, context) -> List.of();

    /**
     * @param context every other resource of the configuration (both layers); may contain the candidate's old
     *                version, which is replaced
     */
    List<Diagnostic> check(Resource<?> candidate, List<Resource<?>> context);

    static WriteValidator of(ResourceValidator validator) {
        return (candidate, context) -> {
            ResourceKey key = candidate.key();
            List<Resource<?>> all = new ArrayList<>(context.size() + 1);
            for (Resource<?> r : context) {
                if (!r.key().equals(key)) {
                    all.add(r);
                }
            }
            all.add(candidate);
            String name = candidate.displayName();
            List<Diagnostic> mine = new ArrayList<>();
            for (Diagnostic d : validator.validate(all).diagnostics()) {
                if (name.equals(d.resource())) {
                    mine.add(d);
                }
            }
            return mine;
        };
    }
}
