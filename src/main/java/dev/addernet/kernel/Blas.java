package dev.addernet.kernel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * OpenBLAS's {@code cblas_sgemm}, found at run time through the FFM API (Debian package
 * {@code libopenblas0}). When the library is absent, or {@code -Daddernet.blas=java} /
 * {@code ADDERNET_BLAS=java} asks for it, {@link #enabled()} is false and the kernels use their own
 * Vector API tiles instead. OpenBLAS runs single-threaded: the kernels already split work over images.
 *
 * <p>Arrays are passed as heap segments to a critical downcall (no copying); the calls are short.
 */
public final class Blas {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    private static final MethodHandle SGEMM;
    private static final String VERSION;
    private static volatile boolean enabled;

    static {
        MethodHandle sgemm = null;
        String version = "java";
        String wanted = System.getProperty("addernet.blas", System.getenv().getOrDefault("ADDERNET_BLAS", "auto"));
        if (!wanted.equals("java")) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup lib = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
                sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                        FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT,
                                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT),
                        Linker.Option.critical(true));
                lib.find("openblas_set_num_threads").ifPresent(f -> {
                    try {
                        linker.downcallHandle(f, FunctionDescriptor.ofVoid(JAVA_INT)).invokeExact(1);
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                });
                version = lib.find("openblas_get_config").map(f -> {
                    try {
                        MemorySegment s = (MemorySegment) linker.downcallHandle(f, FunctionDescriptor.of(ADDRESS)).invokeExact();
                        return s.reinterpret(256).getString(0);
                    } catch (Throwable e) {
                        return "OpenBLAS";
                    }
                }).orElse("OpenBLAS");
            } catch (Throwable e) {
                sgemm = null;
                version = "java";
            }
        }
        SGEMM = sgemm;
        VERSION = version;
        enabled = sgemm != null;
    }

    private Blas() {}

    /** Whether sgemm calls go to OpenBLAS. */
    public static boolean enabled() {
        return enabled;
    }

    /** Switches OpenBLAS off (or back on, where it was found): the tests run both paths. */
    public static void setEnabled(boolean on) {
        enabled = on && SGEMM != null;
    }

    /** "openblas <config>" when in use, else "java". */
    public static String describe() {
        return enabled ? "openblas " + VERSION.trim() : "java";
    }

    /**
     * Row-major C = alpha * op(A) op(B) + beta * C, with op(X) = X or X^T; offsets are in floats.
     */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        try {
            SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    MemorySegment.ofArray(a).asSlice(4L * aOff), lda, MemorySegment.ofArray(b).asSlice(4L * bOff), ldb, beta,
                    MemorySegment.ofArray(c).asSlice(4L * cOff), ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }
}
