package dev.meshgate.gateway.observe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessLogFilterTest {

    @Test
    void comparisons() {
        AccessLogFilter f = AccessLogFilter.parse("response.code >= 400");
        assertTrue(f.test(400));
        assertTrue(f.test(503));
        assertFalse(f.test(399));
        assertTrue(AccessLogFilter.parse("response.code == 404").test(404));
        assertFalse(AccessLogFilter.parse("response.code != 404").test(404));
        assertTrue(AccessLogFilter.parse("response.code<300").test(200));
        assertTrue(AccessLogFilter.parse("500 <= response.code").test(503));
        assertFalse(AccessLogFilter.parse("500 <= response.code").test(404));
        assertTrue(AccessLogFilter.parse("400 > response.code").test(200));
    }

    @Test
    void booleanOperators() {
        AccessLogFilter f = AccessLogFilter.parse("(response.code >= 400 && response.code < 500) || response.code == 0");
        assertTrue(f.test(404));
        assertTrue(f.test(0));
        assertFalse(f.test(503));
        assertFalse(f.test(200));
        assertTrue(AccessLogFilter.parse("!(response.code < 400)").test(500));
        assertFalse(AccessLogFilter.parse("!(response.code < 400)").test(200));
        // && binds tighter than ||
        AccessLogFilter p = AccessLogFilter.parse("response.code == 200 || response.code >= 500 && response.code < 504");
        assertTrue(p.test(200));
        assertTrue(p.test(503));
        assertFalse(p.test(504));
    }

    @Test
    void emptyMeansEverything() {
        assertSame(AccessLogFilter.ALL, AccessLogFilter.parse(null));
        assertSame(AccessLogFilter.ALL, AccessLogFilter.parse("  "));
    }

    @Test
    void unsupportedExpressionsAreRejectedWithPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessLogFilter.parse("request.headers['x'] == 'y'"));
        assertTrue(e.getMessage().contains("request.headers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AccessLogFilter.parse("response.code >= 400 &&"));
        assertTrue(e.getMessage().contains("at the end"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AccessLogFilter.parse("response.code >= 400)"));
        assertTrue(e.getMessage().contains("unexpected ')'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AccessLogFilter.parse("response.duration > 10"));
        assertTrue(e.getMessage().contains("only comparisons of response.code"), e.getMessage());
        assertEquals(true, assertThrows(IllegalArgumentException.class,
                () -> AccessLogFilter.parse("response.code in [500, 503]")).getMessage().contains("at "));
    }
}
