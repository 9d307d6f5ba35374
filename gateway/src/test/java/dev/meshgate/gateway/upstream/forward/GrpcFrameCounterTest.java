package dev.meshgate.gateway.upstream.forward;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrpcFrameCounterTest {

    /** One gRPC message: flag, big-endian length, payload. */
    static Buffer frame(boolean compressed, byte[] payload) {
        return Buffer.buffer().appendByte((byte) (compressed ? 1 : 0)).appendInt(payload.length).appendBytes(payload);
    }

    static Buffer frame(String payload) {
        return frame(false, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Five messages, two of them empty, one compressed, one whose payload looks like frame headers. */
    static Buffer sample() {
        return Buffer.buffer()
                .appendBuffer(frame("hello"))
                .appendBuffer(frame(""))
                .appendBuffer(frame(true, new byte[] {0, 0, 0, 0, 5, 1, 2}))
                .appendBuffer(frame(""))
                .appendBuffer(frame("a longer message of some bytes"));
    }

    @Test
    void wholeStreamInOneChunk() {
        GrpcFrameCounter c = new GrpcFrameCounter();
        assertEquals(5, c.count(sample()));
        assertEquals(5, c.frames());
        assertTrue(c.atMessageBoundary());
    }

    @Test
    void splitAtEveryBytePosition() {
        Buffer all = sample();
        for (int cut = 0; cut <= all.length(); cut++) {
            GrpcFrameCounter c = new GrpcFrameCounter();
            int first = c.count(all.slice(0, cut));
            int second = c.count(all.slice(cut, all.length()));
            assertEquals(5, first + second, "cut at " + cut);
            assertEquals(5, c.frames(), "cut at " + cut);
            assertTrue(c.atMessageBoundary(), "cut at " + cut);
        }
    }

    @Test
    void splitAtEveryPairOfPositions() {
        Buffer all = sample();
        for (int a = 0; a <= all.length(); a++) {
            for (int b = a; b <= all.length(); b++) {
                GrpcFrameCounter c = new GrpcFrameCounter();
                c.count(all.slice(0, a));
                c.count(all.slice(a, b));
                c.count(all.slice(b, all.length()));
                assertEquals(5, c.frames(), "cuts at " + a + "," + b);
            }
        }
    }

    @Test
    void byteByByteCountsEachMessageAtItsFlagByte() {
        Buffer all = sample();
        // the flag bytes of the five messages: 0, 10, 15, 27, 32
        int[] starts = {0, 10, 15, 27, 32};
        GrpcFrameCounter c = new GrpcFrameCounter();
        int next = 0;
        for (int i = 0; i < all.length(); i++) {
            int n = c.count(all.slice(i, i + 1));
            boolean isStart = next < starts.length && starts[next] == i;
            assertEquals(isStart ? 1 : 0, n, "byte " + i);
            if (isStart) {
                next++;
            }
        }
        assertEquals(5, next);
        assertEquals(5, c.frames());
    }

    @Test
    void manySmallMessagesInOneChunk() {
        Buffer chunk = Buffer.buffer();
        for (int i = 0; i < 1000; i++) {
            chunk.appendBuffer(frame(i % 3 == 0 ? "" : "m" + i));
        }
        GrpcFrameCounter c = new GrpcFrameCounter();
        assertEquals(1000, c.count(chunk));
        assertTrue(c.atMessageBoundary());
    }

    @Test
    void onlyZeroLengthMessages() {
        GrpcFrameCounter c = new GrpcFrameCounter();
        assertEquals(3, c.count(Buffer.buffer(new byte[15])));
        assertTrue(c.atMessageBoundary());
        assertEquals(0, c.count(Buffer.buffer()));
        assertEquals(3, c.frames());
    }

    @Test
    void largeMessageSpanningManyChunks() {
        byte[] payload = new byte[4 * 1024 * 1024 + 7];
        // payload bytes that would look like frame headers if the counter read them
        java.util.Arrays.fill(payload, (byte) 0);
        Buffer stream = frame(false, payload).appendBuffer(frame("after"));
        GrpcFrameCounter c = new GrpcFrameCounter();
        int total = 0;
        int chunk = 16 * 1024 + 3;
        for (int i = 0; i < stream.length(); i += chunk) {
            int n = c.count(stream.slice(i, Math.min(stream.length(), i + chunk)));
            if (i == 0) {
                assertEquals(1, n, "the large message counts when it starts");
            }
            total += n;
        }
        assertEquals(2, total);
        assertTrue(c.atMessageBoundary());
    }

    @Test
    void lengthIsUnsigned32Bit() {
        GrpcFrameCounter c = new GrpcFrameCounter();
        // 0xFFFFFFFF bytes announced: everything that follows (for a long while) is payload
        assertEquals(1, c.count(Buffer.buffer(new byte[] {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})));
        for (int i = 0; i < 64; i++) {
            assertEquals(0, c.count(Buffer.buffer(new byte[64 * 1024])));
        }
        assertFalse(c.atMessageBoundary());
        assertEquals(1, c.frames());
    }

    @Test
    void truncatedLastMessageStillCountsAsEnvoyDoes() {
        Buffer all = frame("complete").appendBuffer(frame("cut short"));
        GrpcFrameCounter c = new GrpcFrameCounter();
        assertEquals(2, c.count(all.slice(0, all.length() - 3)));
        assertFalse(c.atMessageBoundary());
        GrpcFrameCounter headerOnly = new GrpcFrameCounter();
        assertEquals(1, headerOnly.count(Buffer.buffer(new byte[] {0, 0})));
    }

    @Test
    void compositeBuffersAreReadInPlace() {
        Buffer all = sample();
        byte[] bytes = all.getBytes();
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.wrappedBuffer(bytes, 0, 3));
        composite.addComponent(true, Unpooled.wrappedBuffer(bytes, 3, 20));
        composite.addComponent(true, Unpooled.wrappedBuffer(bytes, 23, bytes.length - 23));
        GrpcFrameCounter c = new GrpcFrameCounter();
        assertEquals(5, c.count(io.vertx.core.internal.buffer.BufferInternal.buffer(composite)));
    }

    @Test
    void grpcContentTypesAsEnvoyRecognisesThem() {
        assertTrue(GrpcFrameCounter.isGrpcContentType("application/grpc"));
        assertTrue(GrpcFrameCounter.isGrpcContentType("application/grpc+proto"));
        assertTrue(GrpcFrameCounter.isGrpcContentType("application/grpc+json"));
        assertTrue(GrpcFrameCounter.isGrpcContentType("Application/GRPC"));
        assertFalse(GrpcFrameCounter.isGrpcContentType("application/grpc-web"));
        assertFalse(GrpcFrameCounter.isGrpcContentType("application/grpc-web+proto"));
        assertFalse(GrpcFrameCounter.isGrpcContentType("application/grpc-web-text"));
        assertFalse(GrpcFrameCounter.isGrpcContentType("application/grpcx"));
        assertFalse(GrpcFrameCounter.isGrpcContentType("application/json"));
        assertFalse(GrpcFrameCounter.isGrpcContentType("application/grp"));
        assertFalse(GrpcFrameCounter.isGrpcContentType(""));
        assertFalse(GrpcFrameCounter.isGrpcContentType(null));
    }
}
