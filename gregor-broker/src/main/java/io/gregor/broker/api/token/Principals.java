package io.gregor.broker.api.token;

/**
 * Principals as the token APIs carry them, a type and a name apart, and as Gregor keeps them,
 * {@code Type:name}.
 */
final class Principals {
    static final String USER_TYPE = "User";

    private Principals() {
    }

    static String of(String type, String name) {
        return type + ":" + name;
    }

    static String type(String principal) {
        int colon = principal.indexOf(':');
        return colon < 0 ? "" : principal.substring(0, colon);
    }

    static String name(String principal) {
        int colon = principal.indexOf(':');
        return colon < 0 ? principal : principal.substring(colon + 1);
    }
}
