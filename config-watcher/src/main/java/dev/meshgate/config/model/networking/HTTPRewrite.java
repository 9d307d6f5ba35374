package dev.meshgate.config.model.networking;

/**
 * Rewrites applied before forwarding.
 *
 * @param uri             replaces the matched prefix (prefix match) or the whole path; exclusive with
 *                        {@code uriRegexRewrite}
 * @param authority       replaces Host/:authority
 * @param uriRegexRewrite RE2 rewrite of the path
 */
public record HTTPRewrite(String uri, String authority, RegexRewrite uriRegexRewrite) {
}
