package dev.meshgate.gateway.edge;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the SNI from the first bytes of a TLS connection without terminating it (what Envoy's tls_inspector
 * does). The ClientHello may span several TLS records; the handshake message is reassembled from their payloads
 * up to {@link #MAX_HELLO} bytes.
 */
final class ClientHello {

    /** Envoy's tls_inspector default max_client_hello_size. */
    static final int MAX_HELLO = 64 * 1024;

    /** The outcome of one parse attempt over the bytes received so far. */
    sealed interface Result permits NeedMore, Parsed, Invalid {
    }

    record NeedMore() implements Result {
    }

    /** @param sni the host_name from server_name, lower case; null when the client sent none */
    record Parsed(String sni) implements Result {
    }

    record Invalid(String reason) implements Result {
    }

    static final NeedMore NEED_MORE = new NeedMore();

    private ClientHello() {
    }

    static Result parse(Buffer in) {
        // reassemble the handshake layer from consecutive handshake records
        byte[] hs = new byte[Math.min(in.length(), MAX_HELLO + 4)];
        int hsLen = 0;
        int pos = 0;
        while (true) {
            if (in.length() - pos < 5) {
                return hsLen == 0 && pos > 0 ? new Invalid("empty handshake record") : tryHandshake(hs, hsLen);
            }
            int type = in.getUnsignedByte(pos);
            if (type != 22) {
                if (pos == 0) {
                    return new Invalid("not a TLS handshake (first byte " + type + ")");
                }
                Result r = tryHandshake(hs, hsLen);
                return r instanceof NeedMore ? new Invalid("ClientHello interrupted by a record of type " + type) : r;
            }
            if (in.getUnsignedByte(pos + 1) != 3) {
                return new Invalid("not a TLS record version");
            }
            int len = in.getUnsignedShort(pos + 3);
            if (len == 0 || len > 16384 + 2048) {
                return new Invalid("bad TLS record length " + len);
            }
            if (in.length() - pos - 5 < len) {
                // partial record: its prefix may already complete the hello
                int avail = in.length() - pos - 5;
                int copy = Math.min(avail, hs.length - hsLen);
                in.getBytes(pos + 5, pos + 5 + copy, hs, hsLen);
                return tryHandshake(hs, hsLen + copy);
            }
            int copy = Math.min(len, hs.length - hsLen);
            in.getBytes(pos + 5, pos + 5 + copy, hs, hsLen);
            hsLen += copy;
            pos += 5 + len;
            Result r = tryHandshake(hs, hsLen);
            if (!(r instanceof NeedMore)) {
                return r;
            }
            if (hsLen >= MAX_HELLO) {
                return new Invalid("ClientHello larger than " + MAX_HELLO + " bytes");
            }
        }
    }

    private static Result tryHandshake(byte[] hs, int len) {
        if (len < 4) {
            return NEED_MORE;
        }
        if ((hs[0] & 0xff) != 1) {
            return new Invalid("first handshake message is not a ClientHello");
        }
        int bodyLen = ((hs[1] & 0xff) << 16) | ((hs[2] & 0xff) << 8) | (hs[3] & 0xff);
        if (bodyLen > MAX_HELLO) {
            return new Invalid("ClientHello larger than " + MAX_HELLO + " bytes");
        }
        if (len < 4 + bodyLen) {
            return NEED_MORE;
        }
        try {
            return new Parsed(sni(hs, 4, 4 + bodyLen));
        } catch (IndexOutOfBoundsException e) {
            return new Invalid("malformed ClientHello");
        }
    }

    private static String sni(byte[] b, int p, int end) {
        p += 2 + 32; // client_version, random
        p += 1 + u8(b, p, end); // session_id
        p += 2 + u16(b, p, end); // cipher_suites
        p += 1 + u8(b, p, end); // compression_methods
        if (p >= end) {
            return null; // no extensions
        }
        int extEnd = p + 2 + u16(b, p, end);
        p += 2;
        if (extEnd > end) {
            throw new IndexOutOfBoundsException();
        }
        while (p + 4 <= extEnd) {
            int type = u16(b, p, extEnd);
            int len = u16(b, p + 2, extEnd);
            p += 4;
            if (type == 0) {
                int listEnd = p + 2 + u16(b, p, extEnd);
                int q = p + 2;
                while (q + 3 <= listEnd) {
                    int nameType = u8(b, q, listEnd);
                    int nameLen = u16(b, q + 1, listEnd);
                    q += 3;
                    if (q + nameLen > listEnd) {
                        throw new IndexOutOfBoundsException();
                    }
                    if (nameType == 0) {
                        return new String(b, q, nameLen, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                    }
                    q += nameLen;
                }
                return null;
            }
            p += len;
        }
        return null;
    }

    private static int u8(byte[] b, int p, int end) {
        if (p >= end) {
            throw new IndexOutOfBoundsException();
        }
        return b[p] & 0xff;
    }

    private static int u16(byte[] b, int p, int end) {
        if (p + 1 >= end) {
            throw new IndexOutOfBoundsException();
        }
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }
}
