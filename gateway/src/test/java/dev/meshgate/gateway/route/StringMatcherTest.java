package dev.meshgate.gateway.route;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StringMatcherTest {

    private static RequestFacts facts(String path, String query, MultiMap headers) {
        return new RequestFacts(path, query, "GET", "http", "example.com", headers);
    }

    @Test
    void prefixIsAPlainStringPrefix() {
        StringMatcher m = StringMatcher.prefix("/foo", false);
        assertTrue(m.matches("/foo"));
        assertTrue(m.matches("/foobar"));
        assertFalse(m.matches("/Foo"));
        assertTrue(StringMatcher.prefix("/foo", true).matches("/FOObar"));
    }

    @Test
    void exactIsCaseSensitiveUnlessIgnoreCase() {
        assertTrue(StringMatcher.exact("/a", false).matches("/a"));
        assertFalse(StringMatcher.exact("/a", false).matches("/A"));
        assertTrue(StringMatcher.exact("/a", true).matches("/A"));
    }

    @Test
    void regexIsAnAnchoredFullMatch() {
        StringMatcher m = StringMatcher.regex("/api/.*");
        assertTrue(m.matches("/api/x"));
        assertFalse(m.matches("/v1/api/x"));
        assertFalse(StringMatcher.regex("api").matches("/api"));
        assertTrue(StringMatcher.regex("\\d+$").matches("123"));
        assertFalse(StringMatcher.regex("\\d+$").matches("a123"));
        assertTrue(StringMatcher.regex("(?i)jason").matches("JASON"));
    }

    @Test
    void headerMatchJoinsRepeatedValuesAndMissingNeverMatches() {
        MultiMap h = MultiMap.caseInsensitiveMultiMap().add("x-a", "1").add("x-a", "2");
        RequestFacts r = facts("/", null, h);
        assertTrue(new RequestMatcher.Header("x-a", StringMatcher.exact("1,2", false)).matches(r));
        assertFalse(new RequestMatcher.Header("x-b", StringMatcher.exact("", false)).matches(r));
        assertFalse(new RequestMatcher.Header("x-b", StringMatcher.Present.INSTANCE).matches(r));
        assertTrue(new RequestMatcher.Header("x-a", StringMatcher.Present.INSTANCE).matches(r));
    }

    @Test
    void withoutHeadersTreatsMissingAsEmptyExceptForPresence() {
        RequestFacts none = facts("/", null, MultiMap.caseInsensitiveMultiMap());
        RequestFacts jason = facts("/", null, MultiMap.caseInsensitiveMultiMap().add("end-user", "jason"));
        RequestMatcher notJason = new RequestMatcher.WithoutHeader("end-user", StringMatcher.exact("jason", false));
        assertTrue(notJason.matches(none));
        assertFalse(notJason.matches(jason));
        RequestMatcher notEmpty = new RequestMatcher.WithoutHeader("end-user", StringMatcher.exact("", false));
        assertFalse(notEmpty.matches(none), "a missing header counts as the empty string");
        RequestMatcher notPresent = new RequestMatcher.WithoutHeader("end-user", StringMatcher.Present.INSTANCE);
        assertTrue(notPresent.matches(none));
        assertFalse(notPresent.matches(jason));
    }

    @Test
    void queryParamsExactEmptyMatchesBareKey() {
        RequestMatcher m = new RequestMatcher.QueryParam("debug", StringMatcher.exact("", false));
        assertTrue(m.matches(facts("/", "debug", MultiMap.caseInsensitiveMultiMap())));
        assertTrue(m.matches(facts("/", "a=1&debug=", MultiMap.caseInsensitiveMultiMap())));
        assertFalse(m.matches(facts("/", "debug=1", MultiMap.caseInsensitiveMultiMap())));
        assertFalse(m.matches(facts("/", null, MultiMap.caseInsensitiveMultiMap())));
        RequestMatcher id = new RequestMatcher.QueryParam("id", StringMatcher.regex("\\d+"));
        assertTrue(id.matches(facts("/", "id=123&id=x", MultiMap.caseInsensitiveMultiMap())));
        assertFalse(id.matches(facts("/", "id=a123", MultiMap.caseInsensitiveMultiMap())));
        assertTrue(new RequestMatcher.QueryParam("q", StringMatcher.exact("a b", false))
                .matches(facts("/", "q=a%20b", MultiMap.caseInsensitiveMultiMap())));
    }

    @Test
    void allIsAnAnd() {
        RequestFacts r = facts("/api/x", null, MultiMap.caseInsensitiveMultiMap());
        RequestMatcher and = new RequestMatcher.All(List.of(new RequestMatcher.Uri(StringMatcher.prefix("/api", false)),
                new RequestMatcher.Method(StringMatcher.exact("GET", false))));
        assertTrue(and.matches(r));
        RequestMatcher and2 = new RequestMatcher.All(List.of(new RequestMatcher.Uri(StringMatcher.prefix("/api", false)),
                new RequestMatcher.Method(StringMatcher.exact("POST", false))));
        assertFalse(and2.matches(r));
        assertTrue(new RequestMatcher.All(List.of()).matches(r));
    }
}
