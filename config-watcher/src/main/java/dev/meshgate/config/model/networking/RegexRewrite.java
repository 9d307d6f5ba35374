package dev.meshgate.config.model.networking;

/**
 * @param match   RE2 pattern
 * @param rewrite replacement; {@code \1}, {@code \2} name capture groups
 */
public record RegexRewrite(String match, String rewrite) {
}
