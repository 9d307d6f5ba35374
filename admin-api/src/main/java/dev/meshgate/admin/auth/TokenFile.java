package dev.meshgate.admin.auth;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Bearer tokens and their roles, read from a file in one of two forms:
 * <pre>
 * # token role [name]
 * s3cr3t-token-1 editor alice
 * s3cr3t-token-2 viewer
 * </pre>
 * or YAML: {@code tokens: [{token: ..., role: editor, name: alice}]}. A token without a name is audited as
 * {@code token:<first 8 hex digits of its SHA-256>}, never as itself. Tokens are kept only as SHA-256 digests.
 */
public final class TokenFile {

    private final Map<String, Principal> byDigest;

    private TokenFile(Map<String, Principal> byDigest) {
        this.byDigest = Map.copyOf(byDigest);
    }

    public static TokenFile load(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses either form; malformed content throws {@link IllegalArgumentException} naming file and line. */
    public static TokenFile parse(String sourceName, String text) {
        Object yaml = null;
        try {
            LoaderOptions lo = new LoaderOptions();
            lo.setAllowDuplicateKeys(false);
            lo.setMaxAliasesForCollections(10);
            yaml = new Yaml(new SafeConstructor(lo)).load(text);
        } catch (YAMLException notYaml) {
            // the line form with odd characters in tokens need not be valid YAML
        }
        Map<String, Principal> out = new HashMap<>();
        if (yaml instanceof Map<?, ?> || yaml instanceof List<?>) {
            parseYaml(sourceName, yaml, out);
        } else {
            parseLines(sourceName, text, out);
        }
        return new TokenFile(out);
    }

    public boolean isEmpty() {
        return byDigest.isEmpty();
    }

    public int size() {
        return byDigest.size();
    }

    /** The principal for a presented token, or null. */
    public Principal lookup(String token) {
        return token == null ? null : byDigest.get(digest(token));
    }

    private static void parseLines(String source, String text, Map<String, Principal> out) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length < 2 || parts.length > 3) {
                throw new IllegalArgumentException(source + ":" + (i + 1)
                        + ": expected \"token role [name]\" with role viewer or editor");
            }
            add(source + ":" + (i + 1), parts[0], parts[1], parts.length == 3 ? parts[2] : null, out);
        }
    }

    private static void parseYaml(String source, Object yaml, Map<String, Principal> out) {
        Object list = yaml instanceof Map<?, ?> m ? m.get("tokens") : yaml;
        if (!(list instanceof List<?> entries)) {
            throw new IllegalArgumentException(source + ": expected a list under \"tokens\"");
        }
        for (int i = 0; i < entries.size(); i++) {
            String where = source + ": tokens[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> e)) {
                throw new IllegalArgumentException(where + ": expected a mapping with token and role");
            }
            Object token = e.get("token");
            Object role = e.get("role");
            Object name = e.get("name");
            add(where, token == null ? null : token.toString(), role == null ? null : role.toString(),
                    name == null ? null : name.toString(), out);
        }
    }

    private static void add(String where, String token, String roleName, String name, Map<String, Principal> out) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(where + ": token must not be empty");
        }
        Role role = Role.parse(roleName);
        if (role == null) {
            throw new IllegalArgumentException(where + ": unknown role \"" + roleName + "\"; use viewer or editor");
        }
        String digest = digest(token);
        String label = name != null ? name : digest.substring(0, 8);
        if (out.put(digest, new Principal("token:" + label, role)) != null) {
            throw new IllegalArgumentException(where + ": duplicate token");
        }
    }

    static String digest(String token) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
