package dev.meshgate.gateway.upstream.forward;

import io.vertx.core.buffer.Buffer;

/**
 * Counts gRPC length-prefixed messages (1-byte compressed flag, 4-byte big-endian length, payload) in one
 * direction of a stream, chunk by chunk, the way Envoy's {@code Grpc::FrameInspector} does for the grpc_stats filter
 * that feeds Istio's {@code istio_request_messages_total}/{@code istio_response_messages_total}: a message counts
 * as soon as its flag byte is seen (a truncated last message still counts), the flag value is not checked, and
 * payloads are skipped without being read or copied. Frames may span chunks and a chunk may hold many frames.
 * Not thread-safe: one instance per stream direction, used on the stream's event loop.
 */
public final class GrpcFrameCounter {

    private static final String GRPC = "application/grpc";
    private static final int FLAG = 0;
    /** States 1..4 expect the length bytes, most significant first. */
    private static final int LAST_LENGTH_BYTE = 4;
    private static final int PAYLOAD = 5;

    private int state = FLAG;
    /** The length bytes read so far of the current header. */
    private int length;
    /** Payload bytes of the current message still to skip (the length is unsigned 32-bit). */
    private long remaining;
    private long frames;

    /**
     * Envoy's {@code Grpc::Common::hasGrpcContentType}: exactly {@code application/grpc} or
     * {@code application/grpc+<codec>}; {@code application/grpc-web*} is not gRPC. Case-insensitive (Envoy compares
     * case-sensitively; media types are case-insensitive and gRPC clients send lower case anyway).
     */
    public static boolean isGrpcContentType(String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, GRPC, 0, GRPC.length())) {
            return false;
        }
        return contentType.length() == GRPC.length() || contentType.charAt(GRPC.length()) == '+';
    }

    /** Feeds the next chunk of the stream; returns the number of messages that start in it. */
    public int count(Buffer chunk) {
        int n = chunk.length();
        int i = 0;
        int started = 0;
        while (i < n) {
            if (state == PAYLOAD) {
                long skip = Math.min(remaining, n - i);
                i += (int) skip;
                remaining -= skip;
                if (remaining == 0) {
                    state = FLAG;
                }
            } else if (state == FLAG) {
                started++;
                length = 0;
                state = 1;
                i++;
            } else {
                length = (length << 8) | (chunk.getByte(i++) & 0xff);
                if (state == LAST_LENGTH_BYTE) {
                    remaining = length & 0xffffffffL;
                    state = remaining == 0 ? FLAG : PAYLOAD;
                } else {
                    state++;
                }
            }
        }
        frames += started;
        return started;
    }

    /** Messages started so far. */
    public long frames() {
        return frames;
    }

    /** True between messages (nothing of a started message is missing). */
    public boolean atMessageBoundary() {
        return state == FLAG;
    }
}
