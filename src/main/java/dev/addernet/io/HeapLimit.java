package dev.addernet.io;

/**
 * The words for an OutOfMemoryError, so the user reads one line saying what was being read, how much it
 * wanted and how to give the JVM more, instead of a stack trace. A reader catches the error around its
 * large allocation: once it unwinds, the half-built arrays are garbage and the heap is usable again.
 */
public final class HeapLimit {
    private HeapLimit() {}

    /** {@code what} (a file, usually) needed about {@code wantedBytes} for {@code purpose}, more than the heap had. */
    public static String message(Object what, String purpose, long wantedBytes) {
        return what + ": " + purpose + " needs about " + mib(wantedBytes) + " MiB, more than the Java heap has free; " + advice();
    }

    /** How large the heap may grow, and how to raise it. */
    public static String advice() {
        return "the heap is capped at " + mib(Runtime.getRuntime().maxMemory())
                + " MiB (raise it with ADDERNET_JAVA_OPTS=-Xmx<size>, e.g. -Xmx8g)";
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
