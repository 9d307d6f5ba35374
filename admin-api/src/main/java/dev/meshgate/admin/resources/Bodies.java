package dev.meshgate.admin.resources;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Request and response bodies: JSON or YAML by Content-Type, JSON or YAML by Accept. */
public final class Bodies {

    public static final String JSON = "application/json";
    public static final String YAML = "application/yaml";
    public static final String MERGE_PATCH = "application/merge-patch+json";

    private Bodies() {
    }

    /** The media type without parameters, lower case; null when absent. */
    public static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    public static boolean isYaml(String mediaType) {
        return "application/yaml".equals(mediaType) || "application/x-yaml".equals(mediaType)
                || "text/yaml".equals(mediaType) || "text/x-yaml".equals(mediaType);
    }

    public static boolean isJson(String mediaType) {
        return JSON.equals(mediaType) || (mediaType != null && mediaType.endsWith("+json"));
    }

    /** True when the Accept header asks for YAML (JSON otherwise, including for {@code *}{@code /*}). */
    public static boolean wantsYaml(String accept) {
        if (accept == null) {
            return false;
        }
        for (String part : accept.split(",")) {
            String mt = mediaType(part);
            if (isJson(mt)) {
                return false;
            }
            if (isYaml(mt)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses a body into a Map tree, for the checks done before the codec sees the text. Malformed text is a 400;
     * an unsupported Content-Type a 415. A missing Content-Type is accepted: YAML is a superset of JSON.
     */
    public static Map<String, Object> parseObject(String contentType, String text) {
        String mt = mediaType(contentType);
        Object doc;
        if (mt == null || isYaml(mt)) {
            doc = parseYaml(text);
        } else if (isJson(mt)) {
            try {
                doc = Json.decodeValue(text);
            } catch (DecodeException e) {
                throw ApiError.badRequest("request body is not valid JSON: " + firstLine(e.getMessage()));
            }
        } else {
            throw ApiError.unsupportedMediaType("unsupported Content-Type \"" + contentType
                    + "\"; send application/json or application/yaml");
        }
        if (doc instanceof JsonObject jo) {
            doc = jo.getMap();
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw ApiError.badRequest("request body must be one object (a mapping), not "
                    + (doc == null ? "nothing" : doc instanceof JsonArray || doc instanceof List ? "a list" : "a scalar"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static Object parseYaml(String text) {
        LoaderOptions lo = new LoaderOptions();
        lo.setMaxAliasesForCollections(50);
        lo.setNestingDepthLimit(100);
        lo.setAllowDuplicateKeys(false);
        try {
            List<Object> docs = new ArrayList<>();
            for (Object d : new Yaml(new SafeConstructor(lo)).loadAll(text)) {
                if (d != null) {
                    docs.add(d);
                }
            }
            if (docs.size() > 1) {
                throw ApiError.badRequest("request body holds " + docs.size() + " YAML documents; send one");
            }
            return docs.isEmpty() ? null : docs.get(0);
        } catch (YAMLException e) {
            throw ApiError.badRequest("request body is not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    /** Renders a Map/List tree (or JsonObject) as JSON or YAML. */
    public static String render(Object doc, boolean yaml) {
        Object plain = doc instanceof JsonObject jo ? jo.getMap() : doc;
        if (yaml) {
            DumperOptions o = new DumperOptions();
            o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            o.setIndicatorIndent(0);
            o.setWidth(4096);
            o.setSplitLines(false);
            return new Yaml(new Representer(o), o).dump(toPlain(plain));
        }
        return Json.encode(toPlain(plain));
    }

    /** JsonObject/JsonArray to Map/List, so SnakeYAML sees only plain types. */
    static Object toPlain(Object v) {
        if (v instanceof JsonObject jo) {
            return toPlain(jo.getMap());
        }
        if (v instanceof JsonArray ja) {
            return toPlain(ja.getList());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), toPlain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(toPlain(x)));
            return out;
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof String || v == null) {
            return v;
        }
        return v.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
