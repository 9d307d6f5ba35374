package dev.meshgate.config.model.networking;

import java.util.Base64;

/**
 * Body of a direct response: Istio's {@code specifier} oneof of {@code string} and {@code bytes}.
 *
 * @param string the body as text
 * @param bytes  the body as base64 text, exactly as written (proto {@code bytes} in JSON form); decode with
 *               {@link #decodedBytes()}, which validators should call to reject bad base64
 */
public record HTTPBody(String string, String bytes) {

    /** The body bytes: UTF-8 of {@code string}, or the decoded {@code bytes}; empty when neither is set. */
    public byte[] decodedBytes() {
        if (string != null) {
            return string.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (bytes != null) {
            return Base64.getMimeDecoder().decode(bytes);
        }
        return new byte[0];
    }
}
