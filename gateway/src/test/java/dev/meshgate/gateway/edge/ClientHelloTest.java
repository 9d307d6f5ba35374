package dev.meshgate.gateway.edge;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The SNI reader on real ClientHellos from the JDK engine, whole, cut short, and re-framed over two records. */
class ClientHelloTest {

    static Buffer hello(String sni) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        SSLEngine e = ctx.createSSLEngine("127.0.0.1", 443);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        e.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(64 * 1024);
        e.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return Buffer.buffer(b);
    }

    @Test
    void readsTheSni() throws Exception {
        assertEquals(new ClientHello.Parsed("shop.example.com"), ClientHello.parse(hello("Shop.Example.com")));
        assertEquals(new ClientHello.Parsed(null), ClientHello.parse(hello(null)));
    }

    @Test
    void waitsForMoreUntilTheHelloIsComplete() throws Exception {
        Buffer h = hello("shop.example.com");
        for (int cut : new int[] {0, 1, 4, 5, 9, h.length() / 2, h.length() - 1}) {
            assertEquals(ClientHello.NEED_MORE, ClientHello.parse(h.getBuffer(0, cut)), "cut at " + cut);
        }
    }

    @Test
    void reassemblesAHelloSplitOverTwoRecords() throws Exception {
        Buffer h = hello("split.example.com");
        Buffer payload = h.getBuffer(5, h.length());
        int half = payload.length() / 2;
        Buffer two = Buffer.buffer();
        for (Buffer part : List.of(payload.getBuffer(0, half), payload.getBuffer(half, payload.length()))) {
            two.appendByte((byte) 22).appendByte((byte) 3).appendByte((byte) 1).appendUnsignedShort(part.length())
                    .appendBuffer(part);
        }
        assertEquals(ClientHello.NEED_MORE, ClientHello.parse(two.getBuffer(0, 5 + half + 3)));
        assertEquals(new ClientHello.Parsed("split.example.com"), ClientHello.parse(two));
    }

    @Test
    void refusesWhatIsNotAClientHello() throws Exception {
        assertInstanceOf(ClientHello.Invalid.class, ClientHello.parse(Buffer.buffer("GET / HTTP/1.1\r\n\r\n")));
        // a handshake record that is not a ClientHello (type 2, ServerHello)
        assertInstanceOf(ClientHello.Invalid.class, ClientHello.parse(Buffer.buffer(new byte[] {22, 3, 3, 0, 4, 2, 0,
                0, 0})));
        // a ClientHello claiming more than the bound
        assertInstanceOf(ClientHello.Invalid.class, ClientHello.parse(Buffer.buffer(new byte[] {22, 3, 1, 0, 4, 1, 2,
                0, 0})));
        // a record length of zero
        assertInstanceOf(ClientHello.Invalid.class, ClientHello.parse(Buffer.buffer(new byte[] {22, 3, 1, 0, 0})));
        // a truncated body inside a complete message
        Buffer h = hello("x.example.com");
        Buffer bad = h.copy();
        bad.setUnsignedShort(5 + 4 + 2 + 32 + 1 + h.getUnsignedByte(5 + 4 + 2 + 32), 0xFFFF); // cipher list length
        assertInstanceOf(ClientHello.Invalid.class, ClientHello.parse(bad));
    }
}
