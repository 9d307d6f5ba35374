package dev.meshgate.config.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks, by reflection over everything reachable from {@link Kind#specClass()}, that the model keeps the
 * conventions the generic binder relies on (MODEL-CONVENTIONS.md).
 */
class ModelConventionsTest {

    private static final Set<Class<?>> SCALARS = Set.of(
            String.class, boolean.class, int.class, long.class, double.class,
            Boolean.class, Integer.class, Long.class, Double.class, Duration.class);
    private static final Set<String> MODEL_PACKAGES = Set.of(
            "dev.meshgate.config.model.networking", "dev.meshgate.config.model.security",
            "dev.meshgate.config.model.telemetry", "dev.meshgate.config.model");

    /** Every record and enum reachable from the spec classes, in discovery order. */
    private static Set<Class<?>> reachableTypes() {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (Kind k : Kind.values()) {
            todo.add(k.specClass());
        }
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (!seen.add(c) || !c.isRecord()) {
                continue;
            }
            for (RecordComponent rc : c.getRecordComponents()) {
                collectModelTypes(rc.getGenericType(), todo);
            }
        }
        return seen;
    }

    private static void collectModelTypes(Type t, Deque<Class<?>> out) {
        if (t instanceof Class<?> c) {
            if (c.isRecord() || c.isEnum()) {
                out.add(c);
            }
        } else if (t instanceof ParameterizedType p) {
            for (Type a : p.getActualTypeArguments()) {
                collectModelTypes(a, out);
            }
        }
    }

    private static List<Class<?>> reachableRecords() {
        return reachableTypes().stream().filter(Class::isRecord).toList();
    }

    /** An allowed component type per conventions 3-6; returns a reason when not. */
    private static String disallowed(Type t, boolean top) {
        if (t instanceof Class<?> c) {
            if (SCALARS.contains(c)) {
                return c.isPrimitive() && !top ? "primitive type argument " + c : null;
            }
            if (c == Object.class) {
                return top ? "bare Object component" : null;
            }
            if ((c.isRecord() || c.isEnum()) && MODEL_PACKAGES.contains(c.getPackageName())) {
                return null;
            }
            return "type " + c.getName();
        }
        if (t instanceof ParameterizedType p) {
            Type raw = p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                return args[0] == Object.class ? "List<Object>" : disallowed(args[0], false);
            }
            if (raw == Map.class) {
                if (args[0] != String.class && args[0] != Integer.class) {
                    return "map key " + args[0];
                }
                if (args[1] == Object.class) {
                    return args[0] == String.class ? null : "Map<Integer,Object>";
                }
                return disallowed(args[1], false);
            }
            return "generic type " + p;
        }
        if (t instanceof WildcardType) {
            return "wildcard " + t;
        }
        return "type " + t;
    }

    private static Object zeroOf(Class<?> c) {
        if (c == boolean.class) {
            return false;
        }
        if (c == int.class) {
            return 0;
        }
        if (c == long.class) {
            return 0L;
        }
        if (c == double.class) {
            return 0.0;
        }
        return null;
    }

    /** What the binder does for a document that omits every field: nulls and primitive zeros. */
    private static Object constructEmpty(Class<?> record) throws ReflectiveOperationException {
        RecordComponent[] rcs = record.getRecordComponents();
        Class<?>[] types = Stream.of(rcs).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<?> ctor = record.getDeclaredConstructor(types);
        Object[] args = Stream.of(types).map(ModelConventionsTest::zeroOf).toArray();
        try {
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(record.getSimpleName() + " cannot be built from an empty document", e.getCause());
        }
    }

    @Test
    void everyKindHasAPublicSpecRecordNamedAfterTheKind() {
        assertEquals(11, Kind.values().length);
        for (Kind k : Kind.values()) {
            assertTrue(k.specClass().isRecord(), k.name());
            assertEquals(k.kind(), k.specClass().getSimpleName(), k.name());
            assertTrue(Modifier.isPublic(k.specClass().getModifiers()), k.name());
        }
    }

    @Test
    void everyComponentHasAnAllowedType() {
        List<String> problems = new ArrayList<>();
        for (Class<?> r : reachableRecords()) {
            for (RecordComponent rc : r.getRecordComponents()) {
                String why = disallowed(rc.getGenericType(), true);
                if (why != null) {
                    problems.add(r.getSimpleName() + "." + rc.getName() + ": " + why);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void emptyDocumentGivesNoNullCollectionsAndImmutableOnes() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> r : reachableRecords()) {
            Object o = constructEmpty(r);
            for (RecordComponent rc : r.getRecordComponents()) {
                Class<?> t = rc.getType();
                if (t != List.class && t != Map.class) {
                    continue;
                }
                Object v = rc.getAccessor().invoke(o);
                if (v == null) {
                    problems.add(r.getSimpleName() + "." + rc.getName() + " is null");
                } else if (t == List.class) {
                    try {
                        ((List<?>) v).clear();
                        problems.add(r.getSimpleName() + "." + rc.getName() + " is mutable");
                    } catch (UnsupportedOperationException expected) {
                        // immutable, as required
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void collectionsAreCopiedAndMapsKeepInsertionOrder() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> r : reachableRecords()) {
            RecordComponent[] rcs = r.getRecordComponents();
            Class<?>[] types = Stream.of(rcs).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Object[] args = Stream.of(types).map(ModelConventionsTest::zeroOf).toArray();
            Map<Integer, Object> given = new HashMap<>();
            for (int i = 0; i < rcs.length; i++) {
                if (types[i] == Map.class) {
                    Type keyType = ((ParameterizedType) rcs[i].getGenericType()).getActualTypeArguments()[0];
                    Map<Object, Object> m = new java.util.LinkedHashMap<>();
                    for (int n : new int[] {9, 1, 5, 3, 7}) {
                        m.put(keyType == Integer.class ? (Object) n : "k" + n, sampleValue(rcs[i], 1));
                    }
                    args[i] = m;
                    given.put(i, m);
                } else if (types[i] == List.class) {
                    List<Object> l = new ArrayList<>();
                    l.add(sampleValue(rcs[i], 0));
                    args[i] = l;
                    given.put(i, l);
                }
            }
            if (given.isEmpty()) {
                continue;
            }
            Object o = r.getDeclaredConstructor(types).newInstance(args);
            for (Map.Entry<Integer, Object> e : given.entrySet()) {
                RecordComponent rc = rcs[e.getKey()];
                Object v = rc.getAccessor().invoke(o);
                String name = r.getSimpleName() + "." + rc.getName();
                if (v == e.getValue()) {
                    problems.add(name + " is not copied");
                }
                if (!v.equals(e.getValue())) {
                    problems.add(name + " lost content");
                }
                if (v instanceof Map<?, ?> m
                        && !new ArrayList<>(m.keySet()).equals(new ArrayList<>(((Map<?, ?>) e.getValue()).keySet()))) {
                    problems.add(name + " does not keep insertion order");
                }
                if (e.getValue() instanceof List<?> l) {
                    ((List<Object>) l).add(l.get(0));
                    if (v.equals(l)) {
                        problems.add(name + " shares the caller's list");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** A non-null value of the element/value type of a collection component. */
    private static Object sampleValue(RecordComponent rc, int argIndex) throws ReflectiveOperationException {
        Type t = ((ParameterizedType) rc.getGenericType()).getActualTypeArguments()[argIndex];
        if (t == String.class || t == Object.class) {
            return "v";
        }
        if (t == Integer.class) {
            return 1;
        }
        Class<?> c = (Class<?>) t;
        if (c.isEnum()) {
            return c.getEnumConstants()[0];
        }
        return constructEmpty(c);
    }

    @Test
    void enumsAreReachableAndConstantsAreBindable() {
        Set<Class<?>> enums = new LinkedHashSet<>();
        for (Class<?> c : reachableTypes()) {
            if (c.isEnum()) {
                enums.add(c);
            }
        }
        for (Class<?> expected : List.of(dev.meshgate.config.model.networking.Protocol.class,
                dev.meshgate.config.model.networking.ServerTLSSettings.TLSmode.class,
                dev.meshgate.config.model.networking.ServerTLSSettings.TLSProtocol.class,
                dev.meshgate.config.model.networking.ClientTLSSettings.TLSmode.class,
                dev.meshgate.config.model.networking.LoadBalancerSettings.SimpleLB.class,
                dev.meshgate.config.model.networking.HTTPRedirect.RedirectPortSelection.class,
                dev.meshgate.config.model.networking.ServiceEntry.Resolution.class,
                dev.meshgate.config.model.security.AuthorizationPolicy.Action.class,
                dev.meshgate.config.model.security.MutualTLS.Mode.class,
                dev.meshgate.config.model.telemetry.MetricSelector.IstioMetric.class)) {
            assertTrue(enums.contains(expected), expected + " is not reachable from any Kind");
        }
        for (Class<?> e : enums) {
            Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            for (Object constant : e.getEnumConstants()) {
                String name = ((Enum<?>) constant).name();
                try {
                    JsonName jn = e.getField(name).getAnnotation(JsonName.class);
                    String wire = jn == null ? name : jn.value();
                    assertTrue(wire.matches("[A-Z][A-Z0-9_-]*"), e.getSimpleName() + "." + wire);
                    assertTrue(names.add(wire), "case-insensitive duplicate " + e.getSimpleName() + "." + wire);
                } catch (NoSuchFieldException ex) {
                    fail(ex);
                }
            }
        }
    }

    @Test
    void everyModelRecordIsReachableFromAKind() throws IOException, URISyntaxException {
        Set<String> reachable = new TreeSet<>();
        reachableTypes().forEach(c -> reachable.add(c.getName()));
        Path root = Path.of(Kind.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> orphans = new TreeSet<>();
        for (String pkg : List.of("networking", "security", "telemetry")) {
            Path dir = root.resolve("dev/meshgate/config/model/" + pkg);
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.startsWith("package-info"))
                        .map(n -> "dev.meshgate.config.model." + pkg + "." + n.substring(0, n.length() - 6))
                        .filter(n -> !reachable.contains(n))
                        .forEach(orphans::add);
            }
        }
        assertEquals(Set.of(), orphans, "records no Kind reaches (the binder could never fill them)");
    }

    @Test
    void componentNamesAreJsonNamesOrAnnotated() {
        for (Class<?> r : reachableRecords()) {
            for (RecordComponent rc : r.getRecordComponents()) {
                JsonName jn = rc.getAnnotation(JsonName.class);
                String wire = jn == null ? rc.getName() : jn.value();
                assertTrue(wire.matches("[a-z][A-Za-z0-9]*"), r.getSimpleName() + "." + wire + " is not lowerCamelCase");
            }
        }
    }

    @Test
    void kindLookupsCoverEveryServedVersion() {
        int served = 0;
        for (Kind k : Kind.values()) {
            for (String v : k.versions()) {
                String apiVersion = k.group() + "/" + v;
                assertEquals(k, Kind.lookup(apiVersion, k.kind()).orElseThrow(), apiVersion + " " + k.kind());
                assertTrue(k.serves(apiVersion));
                served++;
            }
            assertEquals(k, Kind.byPlural(k.group(), k.plural()).orElseThrow());
            assertEquals(k, Kind.byKindName(k.kind()).orElseThrow());
            assertEquals(k.versions().size(), k.apiVersions().size());
            assertTrue(Kind.isIstioGroup(k.group()));
        }
        assertEquals(7 * 3 + 3 * 2 + 2, served);
        assertEquals(Kind.VIRTUAL_SERVICE, Kind.lookup("networking.istio.io/v1alpha3", "VirtualService").orElseThrow());
        assertEquals(Kind.AUTHORIZATION_POLICY, Kind.lookup("security.istio.io/v1beta1", "AuthorizationPolicy").orElseThrow());
        assertEquals(Kind.TELEMETRY, Kind.lookup("telemetry.istio.io/v1alpha1", "Telemetry").orElseThrow());
        assertEquals(Kind.SERVICE_ENTRY, Kind.byPlural("networking.istio.io", "serviceentries").orElseThrow());
    }

    @Test
    void kindLookupsRejectWhatIsNotOurs() {
        assertFalse(Kind.lookup("apps/v1", "Deployment").isPresent());
        assertFalse(Kind.lookup("networking.istio.io/v1", "EnvoyFilter").isPresent());
        assertFalse(Kind.lookup("security.istio.io/v1alpha3", "AuthorizationPolicy").isPresent(), "unserved version");
        assertFalse(Kind.lookup("telemetry.istio.io/v1beta1", "Telemetry").isPresent(), "unserved version");
        assertFalse(Kind.lookup("networking.istio.io/v1", "virtualservice").isPresent(), "kind is case-sensitive");
        assertFalse(Kind.lookup("networking.istio.io/v1", "AuthorizationPolicy").isPresent(), "wrong group");
        assertFalse(Kind.lookup(null, "Gateway").isPresent());
        assertFalse(Kind.byPlural("networking.istio.io", "authorizationpolicies").isPresent());
        assertFalse(Kind.isIstioGroup("gateway.networking.k8s.io"));
        assertNotNull(Kind.GATEWAY.preferredApiVersion());
        assertEquals("networking.istio.io/v1", Kind.GATEWAY.preferredApiVersion());
    }
}
