package dev.addernet.io;

/**
 * Error messages are shown as one line, yet they quote what a file holds (a key, a dtype, a persistent id),
 * which may contain line breaks or other control characters: those are written as escapes instead.
 */
public final class OneLine {
    private OneLine() {}

    /** {@code text} with every control character escaped: newline, return and tab as in Java, others as a unicode escape. */
    public static String of(String text) {
        if (text == null || text.chars().noneMatch(Character::isISOControl)) return text;
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }
}
