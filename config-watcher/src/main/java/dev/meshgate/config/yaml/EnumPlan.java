package dev.meshgate.config.yaml;

import dev.meshgate.config.model.JsonName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Istio names of one enum's constants, computed once per enum class. */
final class EnumPlan {

    private static final ClassValue<EnumPlan> PLANS = new ClassValue<>() {
        @Override
        protected EnumPlan computeValue(Class<?> type) {
            return new EnumPlan(type);
        }
    };

    private final Map<String, Enum<?>> exact = new HashMap<>();
    private final Map<String, Enum<?>> folded = new HashMap<>();
    private final Map<Enum<?>, String> names = new HashMap<>();
    final List<String> allowed = new ArrayList<>();

    static EnumPlan of(Class<?> enumClass) {
        return PLANS.get(enumClass);
    }

    private EnumPlan(Class<?> type) {
        for (Object o : type.getEnumConstants()) {
            Enum<?> e = (Enum<?>) o;
            String name = e.name();
            try {
                JsonName jn = type.getField(e.name()).getAnnotation(JsonName.class);
                if (jn != null) {
                    name = jn.value();
                }
            } catch (NoSuchFieldException impossible) {
                throw new IllegalStateException(impossible);
            }
            exact.put(name, e);
            folded.putIfAbsent(name.toLowerCase(Locale.ROOT), e);
            names.put(e, name);
            allowed.add(name);
        }
    }

    /** Exact Istio name first, then case-insensitive; null when unknown. */
    Enum<?> lookup(String text) {
        Enum<?> e = exact.get(text);
        return e != null ? e : folded.get(text.toLowerCase(Locale.ROOT));
    }

    String nameOf(Enum<?> e) {
        return names.get(e);
    }
}
