package io.gregor.protocol.gen;

/** Spelling conversions between spec names and Java identifiers. */
final class Names {
    private Names() {
    }

    /** {@code TopicData} -> {@code topicData}; {@code ACLs} stays readable as {@code aCLs}. */
    static String lowerCamel(String name) {
        String s = Character.toLowerCase(name.charAt(0)) + name.substring(1);
        return JavaKeywords.isKeyword(s) ? s + "_" : s;
    }

    /** {@code DescribeUserScramCredentials} -> {@code DESCRIBE_USER_SCRAM_CREDENTIALS}. */
    static String upperSnake(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (i > 0 && Character.isUpperCase(c)) {
                char prev = name.charAt(i - 1);
                boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (Character.isLowerCase(prev) || Character.isDigit(prev) || (Character.isUpperCase(prev) && nextLower)) {
                    out.append('_');
                }
            }
            out.append(Character.toUpperCase(c));
        }
        return out.toString();
    }

    /** A Java string literal for {@code text}. */
    static String stringLiteral(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static final class JavaKeywords {
        private static final java.util.Set<String> WORDS = java.util.Set.of(
                "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
                "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
                "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
                "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
                "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
                "volatile", "while", "true", "false", "null", "record", "var", "yield");

        static boolean isKeyword(String s) {
            return WORDS.contains(s);
        }
    }
}
