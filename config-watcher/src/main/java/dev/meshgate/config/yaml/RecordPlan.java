package dev.meshgate.config.yaml;

import dev.meshgate.config.model.JsonName;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.networking.HTTPRoute;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to bind and encode one record class, computed once per class: the YAML name, binding and accessor of
 * each component and the canonical constructor.
 */
final class RecordPlan {

    /**
     * Fields Kubernetes puts in metadata that the model deliberately does not keep (MODEL-CONVENTIONS 9):
     * accepted so {@code kubectl get -o yaml} output loads, and dropped.
     */
    private static final Map<Class<?>, Set<String>> IGNORED = Map.of(ObjectMeta.class, Set.of(
            "uid", "managedFields", "ownerReferences", "finalizers", "generateName", "selfLink",
            "deletionTimestamp", "deletionGracePeriodSeconds", "clusterName"));

    /**
     * Fields Istio removed (their proto numbers are reserved) that old samples still carry: accepted with a
     * warning and dropped, instead of failing configs that loaded in earlier Istio versions.
     */
    private static final Map<Class<?>, Map<String, String>> REMOVED = Map.of(HTTPRoute.class, Map.of(
            "websocketUpgrade", "removed from Istio and ignored: websocket upgrades are always allowed"));

    private static final ClassValue<RecordPlan> PLANS = new ClassValue<>() {
        @Override
        protected RecordPlan computeValue(Class<?> type) {
            return new RecordPlan(type);
        }
    };

    final Class<?> type;
    final String[] names;
    final TypeBinding[] bindings;
    final Class<?>[] rawTypes;
    final Method[] accessors;
    final List<String> knownNames;
    final Set<String> ignored;
    /** Removed field name to the warning it gets. */
    final Map<String, String> removed;
    private final Map<String, Integer> index = new HashMap<>();
    private final Constructor<?> constructor;

    static RecordPlan of(Class<?> recordClass) {
        return PLANS.get(recordClass);
    }

    private RecordPlan(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        this.type = type;
        RecordComponent[] comps = type.getRecordComponents();
        int n = comps.length;
        names = new String[n];
        bindings = new TypeBinding[n];
        rawTypes = new Class<?>[n];
        accessors = new Method[n];
        for (int i = 0; i < n; i++) {
            RecordComponent c = comps[i];
            JsonName jn = c.getAnnotation(JsonName.class);
            names[i] = jn != null ? jn.value() : c.getName();
            rawTypes[i] = c.getType();
            try {
                bindings[i] = TypeBinding.of(c.getGenericType());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(type.getName() + "." + c.getName() + ": " + e.getMessage(), e);
            }
            accessors[i] = c.getAccessor();
            accessors[i].setAccessible(true);
            if (index.put(names[i], i) != null) {
                throw new IllegalArgumentException(type.getName() + ": two components named " + names[i]);
            }
        }
        knownNames = List.of(names);
        ignored = IGNORED.getOrDefault(type, Set.of());
        removed = REMOVED.getOrDefault(type, Map.of());
        try {
            constructor = type.getDeclaredConstructor(rawTypes);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no canonical constructor in " + type.getName(), e);
        }
    }

    /** Component index of a YAML field name, or -1. */
    int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    Object construct(Object[] args) throws ReflectiveOperationException {
        return constructor.newInstance(args);
    }

    Object get(Object record, int i) {
        try {
            return accessors[i].invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + type.getName() + "." + names[i], e);
        }
    }

    static Object zeroOf(Class<?> primitive) {
        if (primitive == boolean.class) {
            return false;
        } else if (primitive == int.class) {
            return 0;
        } else if (primitive == long.class) {
            return 0L;
        } else if (primitive == double.class) {
            return 0.0d;
        } else if (primitive == float.class) {
            return 0.0f;
        }
        throw new IllegalArgumentException("unsupported primitive " + primitive);
    }
}
