package dev.meshgate.gateway.observe;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of Telemetry's {@code accessLogging.filter.expression} (CEL) that the gateway evaluates: comparisons
 * of {@code response.code} with integer literals ({@code == != < <= > >=}, either operand order), combined with
 * {@code &&}, {@code ||}, {@code !} and parentheses. Anything else is rejected at config time with the position
 * of the first unsupported token. Compiled once; evaluation is a few int comparisons on the event loop.
 */
public sealed interface AccessLogFilter {

    boolean test(int responseCode);

    AccessLogFilter ALL = new Always();

    static AccessLogFilter parse(String expression) {
        if (expression == null || expression.isBlank()) {
            return ALL;
        }
        return new Parser(expression).parse();
    }

    record Always() implements AccessLogFilter {
        @Override
        public boolean test(int responseCode) {
            return true;
        }
    }

    record Compare(String op, int value) implements AccessLogFilter {
        @Override
        public boolean test(int code) {
            return switch (op) {
                case "==" -> code == value;
                case "!=" -> code != value;
                case "<" -> code < value;
                case "<=" -> code <= value;
                case ">" -> code > value;
                case ">=" -> code >= value;
                default -> throw new IllegalStateException(op);
            };
        }
    }

    record And(AccessLogFilter left, AccessLogFilter right) implements AccessLogFilter {
        @Override
        public boolean test(int code) {
            return left.test(code) && right.test(code);
        }
    }

    record Or(AccessLogFilter left, AccessLogFilter right) implements AccessLogFilter {
        @Override
        public boolean test(int code) {
            return left.test(code) || right.test(code);
        }
    }

    record Not(AccessLogFilter inner) implements AccessLogFilter {
        @Override
        public boolean test(int code) {
            return !inner.test(code);
        }
    }

    /** Recursive descent over a tiny token list. */
    final class Parser {
        private static final String FIELD = "response.code";
        private final String src;
        private final List<String> tokens = new ArrayList<>();
        private final List<Integer> positions = new ArrayList<>();
        private int i;

        Parser(String src) {
            this.src = src;
            tokenize();
        }

        AccessLogFilter parse() {
            AccessLogFilter f = or();
            if (i < tokens.size()) {
                throw error("unexpected '" + tokens.get(i) + "'");
            }
            return f;
        }

        private AccessLogFilter or() {
            AccessLogFilter left = and();
            while (peek("||")) {
                i++;
                left = new Or(left, and());
            }
            return left;
        }

        private AccessLogFilter and() {
            AccessLogFilter left = unary();
            while (peek("&&")) {
                i++;
                left = new And(left, unary());
            }
            return left;
        }

        private AccessLogFilter unary() {
            if (peek("!")) {
                i++;
                return new Not(unary());
            }
            if (peek("(")) {
                i++;
                AccessLogFilter inner = or();
                if (!peek(")")) {
                    throw error("expected ')'");
                }
                i++;
                return inner;
            }
            return comparison();
        }

        private AccessLogFilter comparison() {
            String left = next("response.code or an integer");
            String op = next("a comparison operator");
            if (!List.of("==", "!=", "<", "<=", ">", ">=").contains(op)) {
                i--;
                throw error("expected a comparison operator, got '" + op + "'");
            }
            String right = next("response.code or an integer");
            if (left.equals(FIELD) && isInt(right)) {
                return new Compare(op, Integer.parseInt(right));
            }
            if (isInt(left) && right.equals(FIELD)) {
                return new Compare(mirror(op), Integer.parseInt(left));
            }
            i -= 3;
            throw error("only comparisons of response.code with an integer are supported");
        }

        private static String mirror(String op) {
            return switch (op) {
                case "<" -> ">";
                case "<=" -> ">=";
                case ">" -> "<";
                case ">=" -> "<=";
                default -> op;
            };
        }

        private static boolean isInt(String s) {
            if (s.isEmpty() || s.length() > 9) {
                return false;
            }
            for (int k = 0; k < s.length(); k++) {
                if (!Character.isDigit(s.charAt(k))) {
                    return false;
                }
            }
            return true;
        }

        private boolean peek(String t) {
            return i < tokens.size() && tokens.get(i).equals(t);
        }

        private String next(String what) {
            if (i >= tokens.size()) {
                throw error("expected " + what + " at the end");
            }
            return tokens.get(i++);
        }

        private IllegalArgumentException error(String msg) {
            int pos = i < positions.size() ? positions.get(i) : src.length();
            return new IllegalArgumentException("unsupported access log filter '" + src + "' at " + pos + ": " + msg
                    + " (supported: response.code compared with integers, &&, ||, !, parentheses)");
        }

        private void tokenize() {
            int p = 0;
            while (p < src.length()) {
                char c = src.charAt(p);
                if (Character.isWhitespace(c)) {
                    p++;
                    continue;
                }
                int start = p;
                if (Character.isLetterOrDigit(c) || c == '.' || c == '_') {
                    while (p < src.length() && (Character.isLetterOrDigit(src.charAt(p)) || src.charAt(p) == '.'
                            || src.charAt(p) == '_')) {
                        p++;
                    }
                } else if (p + 1 < src.length() && List.of("==", "!=", "<=", ">=", "&&", "||")
                        .contains(src.substring(p, p + 2))) {
                    p += 2;
                } else if ("()<>!".indexOf(c) >= 0) {
                    p++;
                } else {
                    positions.add(start);
                    tokens.add(String.valueOf(c));
                    i = tokens.size() - 1;
                    throw error("unexpected character '" + c + "'");
                }
                tokens.add(src.substring(start, p));
                positions.add(start);
            }
        }
    }
}
