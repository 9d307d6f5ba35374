package dev.meshgate.config.yaml;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to bind a YAML node to one Java type of the model. Computed once per record component (see
 * {@link RecordPlan}); binding reports problems to the {@link BindContext} and returns {@link BindContext#FAILED}.
 */
sealed interface TypeBinding {

    /** The value, null when the node is absent/null, or FAILED after reporting an error. */
    Object bind(Node node, String path, BindContext ctx);

    static TypeBinding of(Type type) {
        if (type instanceof WildcardType w) {
            return of(w.getUpperBounds()[0]);
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                return new ListBinding(of(args[0]));
            }
            if (raw == Map.class) {
                Type k = args[0] instanceof WildcardType w ? w.getUpperBounds()[0] : args[0];
                if (k != String.class && k != Integer.class) {
                    throw new IllegalArgumentException("map keys must be String or Integer, not " + k);
                }
                return new MapBinding(k == Integer.class, of(args[1]));
            }
            throw new IllegalArgumentException("unsupported type " + type);
        }
        if (type instanceof Class<?> c) {
            if (c == Object.class) {
                return FreeFormBinding.INSTANCE;
            }
            if (c.isEnum()) {
                return new EnumBinding(c);
            }
            if (c.isRecord()) {
                return new RecordBinding(c);
            }
            for (Scalar s : Scalar.values()) {
                if (s.boxed == c || s.primitive == c) {
                    return s;
                }
            }
            if (c == List.class || c == Map.class) {
                throw new IllegalArgumentException("raw " + c.getSimpleName() + " needs type arguments");
            }
        }
        throw new IllegalArgumentException("unsupported type " + type);
    }

    /** Leaf values. Text is taken as written: YAML 1.1's on/yes/0x1F resolution never changes a String. */
    enum Scalar implements TypeBinding {
        STRING(String.class, null),
        BOOLEAN(Boolean.class, boolean.class),
        INTEGER(Integer.class, int.class),
        LONG(Long.class, long.class),
        DOUBLE(Double.class, double.class),
        FLOAT(Float.class, float.class),
        DURATION(Duration.class, null),
        INSTANT(Instant.class, null);

        final Class<?> boxed;
        final Class<?> primitive;

        Scalar(Class<?> boxed, Class<?> primitive) {
            this.boxed = boxed;
            this.primitive = primitive;
        }

        @Override
        public Object bind(Node node, String path, BindContext ctx) {
            if (!Nodes.admit(node, path, ctx)) {
                return BindContext.FAILED;
            }
            if (Nodes.isNull(node)) {
                return null;
            }
            if (!(node instanceof ScalarNode s)) {
                return ctx.error(node, path, "expected " + expected() + ", got " + Nodes.describe(node));
            }
            String text = s.getValue();
            switch (this) {
                case STRING:
                    return text;
                case BOOLEAN:
                    // Plain YAML 1.1 booleans as Kubernetes' YAML reader takes them; a quoted "true" is a string.
                    if (Nodes.isPlain(s) && Tag.BOOL.equals(s.getTag())) {
                        return Nodes.yamlTrue(text);
                    }
                    return ctx.error(node, path, "expected a boolean (true or false), got " + Nodes.describe(node));
                case INTEGER:
                case LONG: {
                    String t = text.trim();
                    if (!Nodes.INT.matcher(t).matches()) {
                        return ctx.error(node, path, "expected an integer, got " + Nodes.describe(node));
                    }
                    try {
                        long v = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
                        if (this == INTEGER) {
                            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                                return ctx.error(node, path, "value " + t + " is out of range for a 32-bit integer");
                            }
                            return (int) v;
                        }
                        return v;
                    } catch (NumberFormatException e) {
                        return ctx.error(node, path, "value " + t + " is out of range for a 64-bit integer");
                    }
                }
                case DOUBLE:
                case FLOAT: {
                    String t = text.trim();
                    if (!Nodes.NUMBER.matcher(t).matches()) {
                        return ctx.error(node, path, "expected a number, got " + Nodes.describe(node));
                    }
                    double v = Double.parseDouble(t);
                    if (Double.isInfinite(v) || (this == FLOAT && Float.isInfinite((float) v))) {
                        return ctx.error(node, path, "value " + t + " is out of range");
                    }
                    return this == FLOAT ? (Object) (float) v : (Object) v;
                }
                case DURATION:
                    // "1s" plain or quoted; a bare 5 has no unit (Go accepts only a bare 0)
                    if (!Tag.STR.equals(s.getTag()) && !"0".equals(text)) {
                        return ctx.error(node, path, "expected a duration such as \"1s\" or \"100ms\", got "
                                + Nodes.describe(node));
                    }
                    try {
                        return Durations.parse(text);
                    } catch (IllegalArgumentException e) {
                        return ctx.error(node, path, e.getMessage());
                    }
                case INSTANT:
                    try {
                        return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                    } catch (DateTimeParseException e) {
                        return ctx.error(node, path, "invalid timestamp \"" + text
                                + "\": expected RFC 3339 such as 2024-01-31T12:00:00Z");
                    }
                default:
                    throw new AssertionError(this);
            }
        }

        private String expected() {
            return switch (this) {
                case STRING -> "a string";
                case BOOLEAN -> "a boolean";
                case INTEGER, LONG -> "an integer";
                case DOUBLE, FLOAT -> "a number";
                case DURATION -> "a duration such as \"1s\"";
                case INSTANT -> "a timestamp";
            };
        }
    }

    record EnumBinding(Class<?> type) implements TypeBinding {
        @Override
        public Object bind(Node node, String path, BindContext ctx) {
            if (!Nodes.admit(node, path, ctx)) {
                return BindContext.FAILED;
            }
            if (Nodes.isNull(node)) {
                return null;
            }
            EnumPlan plan = EnumPlan.of(type);
            if (!(node instanceof ScalarNode s)) {
                return ctx.error(node, path, "expected one of " + String.join(", ", plan.allowed) + ", got "
                        + Nodes.describe(node));
            }
            Enum<?> e = plan.lookup(s.getValue().trim());
            if (e == null) {
                return ctx.error(node, path, "unknown value \"" + s.getValue() + "\"; allowed values: "
                        + String.join(", ", plan.allowed));
            }
            return e;
        }
    }

    record ListBinding(TypeBinding element, boolean recordLines) implements TypeBinding {
        ListBinding(TypeBinding element) {
            this(element, true);
        }

        @Override
        public Object bind(Node node, String path, BindContext ctx) {
            if (!Nodes.admit(node, path, ctx)) {
                return BindContext.FAILED;
            }
            if (Nodes.isNull(node)) {
                return null;
            }
            if (!(node instanceof SequenceNode seq)) {
                return ctx.error(node, path, "expected a list, got " + Nodes.describe(node));
            }
            return bindAdmitted(seq, path, ctx);
        }

        Object bindAdmitted(SequenceNode seq, String path, BindContext ctx) {
            int before = ctx.errors;
            ctx.enter(seq, path);
            List<Node> items = seq.getValue();
            List<Object> out = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                String p = FieldPath.index(path, i);
                if (recordLines) {
                    ctx.recordLine(p, item);
                }
                Object v = element.bind(item, p, ctx);
                if (v == null) {
                    if (element != FreeFormBinding.INSTANCE) {
                        ctx.error(item, p, "null is not allowed in a list");
                    }
                    continue;
                }
                out.add(v);
            }
            ctx.leave();
            return ctx.errors > before ? BindContext.FAILED : Collections.unmodifiableList(out);
        }
    }

    record MapBinding(boolean integerKeys, TypeBinding value, boolean recordLines) implements TypeBinding {
        MapBinding(boolean integerKeys, TypeBinding value) {
            this(integerKeys, value, true);
        }

        @Override
        public Object bind(Node node, String path, BindContext ctx) {
            if (!Nodes.admit(node, path, ctx)) {
                return BindContext.FAILED;
            }
            if (Nodes.isNull(node)) {
                return null;
            }
            if (!(node instanceof MappingNode map)) {
                return ctx.error(node, path, "expected a mapping, got " + Nodes.describe(node));
            }
            return bindAdmitted(map, path, ctx);
        }

        Object bindAdmitted(MappingNode map, String path, BindContext ctx) {
            int before = ctx.errors;
            ctx.enter(map, path);
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<ScalarNode, Node> e : Nodes.entries(map, path, true, ctx)) {
                String keyText = e.getKey().getValue();
                String p = FieldPath.key(path, keyText);
                if (recordLines) {
                    ctx.recordLine(p, e.getKey());
                }
                Object key = keyText;
                if (integerKeys) {
                    try {
                        key = Integer.parseInt(keyText.trim());
                    } catch (NumberFormatException nfe) {
                        ctx.error(e.getKey(), p, "expected an integer key, got \"" + keyText + "\"");
                        continue;
                    }
                }
                Object v = value.bind(e.getValue(), p, ctx);
                if (v == null) {
                    if (value == Scalar.STRING) {
                        v = ""; // `key:` in a label or header map means the empty value
                    } else if (value == FreeFormBinding.INSTANCE) {
                        continue; // Struct nulls are dropped: the model keeps no nulls
                    } else {
                        ctx.error(e.getValue(), p, "null value is not allowed");
                        continue;
                    }
                }
                out.put(key, v);
            }
            ctx.leave();
            return ctx.errors > before ? BindContext.FAILED : Collections.unmodifiableMap(out);
        }
    }

    record RecordBinding(Class<?> type) implements TypeBinding {
        @Override
        public Object bind(Node node, String path, BindContext ctx) {
            if (!Nodes.admit(node, path, ctx)) {
                return BindContext.FAILED;
            }
            if (Nodes.isNull(node)) {
                return null;
            }
            if (!(node instanceof MappingNode map)) {
                return ctx.error(node, path, "expected a mapping, got " + Nodes.describe(node));
            }
            return bindMapping(map, path, ctx);
        }

        Object bindMapping(MappingNode map, String path, BindContext ctx) {
            RecordPlan plan = RecordPlan.of(type);
            int before = ctx.errors;
            ctx.enter(map, path);
            Object[] args = new Object[plan.names.length];
            for (Map.Entry<ScalarNode, Node> e : Nodes.entries(map, path, false, ctx)) {
                String name = e.getKey().getValue();
                String p = FieldPath.field(path, name);
                int i = plan.indexOf(name);
                if (i < 0) {
                    String removed = plan.removed.get(name);
                    if (removed != null) {
                        ctx.warning(e.getKey(), p, removed);
                    } else if (!plan.ignored.contains(name)) {
                        unknownField(e.getKey(), p, name, plan, ctx);
                    }
                    continue;
                }
                ctx.recordLine(p, e.getKey());
                Object v = plan.bindings[i].bind(e.getValue(), p, ctx);
                args[i] = v;
            }
            ctx.leave();
            if (ctx.errors > before) {
                return BindContext.FAILED;
            }
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null && plan.rawTypes[i].isPrimitive()) {
                    args[i] = RecordPlan.zeroOf(plan.rawTypes[i]);
                }
            }
            try {
                return plan.construct(args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                String msg = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                return ctx.error(map, path, "invalid " + type.getSimpleName() + ": " + msg);
            } catch (ReflectiveOperationException | IllegalArgumentException e) {
                return ctx.error(map, path, "cannot build " + type.getSimpleName() + ": " + e);
            }
        }

        private static void unknownField(Node key, String path, String name, RecordPlan plan, BindContext ctx) {
            String suggestion = Suggest.nearest(name, plan.knownNames);
            String hint = suggestion == null ? "" : "; did you mean \"" + suggestion + "\"?";
            if (ctx.options.unknownFieldsAsWarnings()) {
                ctx.warning(key, path, "unknown field, ignored" + hint);
            } else {
                ctx.error(key, path, "unknown field" + hint);
            }
        }
    }

    /** google.protobuf.Struct/Value/Any and other free-form data: plain maps, lists, strings, numbers, booleans. */
    final class FreeFormBinding implements TypeBinding {
        static final FreeFormBinding INSTANCE = new FreeFormBinding();
        // lines inside free-form data are not recorded: no validator looks inside, and a hostile document
        // could otherwise fill the line table with millions of paths
        private static final MapBinding MAP = new MapBinding(false, INSTANCE, false);
        private static final ListBinding LIST = new ListBinding(INSTANCE, false);

        private FreeFormBinding() {
        }

        @Override
        public Object bind(Node node, String path, BindContext ctx) {
            if (!Nodes.admit(node, path, ctx)) {
                return BindContext.FAILED;
            }
            if (Nodes.isNull(node)) {
                return null;
            }
            if (node instanceof MappingNode) {
                return MAP.bindAdmitted((MappingNode) node, path, ctx);
            }
            if (node instanceof SequenceNode) {
                return LIST.bindAdmitted((SequenceNode) node, path, ctx);
            }
            ScalarNode s = (ScalarNode) node;
            String text = s.getValue();
            if (Nodes.isPlain(s)) {
                Tag t = s.getTag();
                if (Tag.BOOL.equals(t)) {
                    return Nodes.yamlTrue(text);
                }
                if (Tag.INT.equals(t) && Nodes.INT.matcher(text).matches()) {
                    try {
                        return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
                    } catch (NumberFormatException e) {
                        return text;
                    }
                }
                if (Tag.FLOAT.equals(t) && Nodes.NUMBER.matcher(text).matches()) {
                    return Double.parseDouble(text);
                }
            }
            return text;
        }
    }
}
