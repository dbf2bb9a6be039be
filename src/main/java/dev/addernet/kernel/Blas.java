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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenBLAS's {@code cblas_sgemm}, found at run time through the FFM API (Debian package
 * {@code libopenblas0}). When the library is absent, or {@code -Daddernet.blas=java} /
 * {@code ADDERNET_BLAS=java} asks for it, {@link #enabled()} is false and the kernels use their own
 * Vector API tiles instead. OpenBLAS runs single-threaded: the kernels already split work over images.
 *
 * <p>Arrays are passed as heap segments to a critical downcall (no copying); the calls are short.
 *
 * <p>OpenBLAS picks its kernels from the CPU model at load time, and a model newer than the library
 * falls back to its generic SSE3 "Prescott" kernels, several times slower (Debian 12's OpenBLAS 0.3.21 does
 * so on Xeons newer than itself).
 * So before loading it, on Intel CPUs, the kernel family the CPU's flags support is named in
 * {@code OPENBLAS_CORETYPE} ({@link #coreTypeFor}), unless the user has set that variable. Every Intel
 * AVX-512 model OpenBLAS knows uses the SkylakeX (or the same-sgemm Cooperlake) kernels, every AVX2
 * one the Haswell kernels, so this changes nothing where detection works. AMD CPUs are left to it.
 */
public final class Blas {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    private static final MethodHandle SGEMM;
    private static final String VERSION;
    private static volatile boolean enabled;
    /** The OPENBLAS_CORETYPE addernet set before loading the library, or null. */
    private static String namedCoreType;

    static {
        MethodHandle sgemm = null;
        String version = "java";
        String wanted = System.getProperty("addernet.blas", System.getenv().getOrDefault("ADDERNET_BLAS", "auto"));
        if (!wanted.equals("java")) {
            try {
                Linker linker = Linker.nativeLinker();
                nameCoreType(linker);
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

    /** The OPENBLAS_CORETYPE addernet set before loading OpenBLAS, or null (left to OpenBLAS or the user). */
    static String namedCoreType() {
        return namedCoreType;
    }

    /** OpenBLAS's kernel family for a CPU (vendor_id and flags of /proc/cpuinfo), or null to leave it to OpenBLAS. */
    static String coreTypeFor(String vendor, Set<String> flags) {
        if (!"GenuineIntel".equals(vendor)) return null;
        if (flags.containsAll(List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"))) return "SkylakeX";
        if (flags.containsAll(List.of("avx2", "fma"))) return "Haswell";
        return null;
    }

    /**
     * Sets OPENBLAS_CORETYPE (libc setenv, before OpenBLAS reads it) when unset and {@link #coreTypeFor}
     * names one. Where that fails, OpenBLAS is still loaded and detects on its own.
     */
    private static void nameCoreType(Linker linker) {
        if (System.getenv("OPENBLAS_CORETYPE") != null) return;
        Map<String, String> cpu = CpuInfo.firstProcessor();
        if (cpu.isEmpty()) return; // not Linux, or no /proc: OpenBLAS detects on its own
        String vendor = cpu.get("vendor_id");
        Set<String> flags = cpu.containsKey("flags") ? Set.copyOf(List.of(cpu.get("flags").split("\\s+"))) : Set.of();
        String type = coreTypeFor(vendor, flags);
        if (type == null) return;
        MethodHandle setenv = linker.defaultLookup().find("setenv")
                .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT))).orElse(null);
        if (setenv == null) return;
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) setenv.invokeExact(arena.allocateFrom("OPENBLAS_CORETYPE"), arena.allocateFrom(type), 0);
            if (rc == 0) namedCoreType = type;
            else System.err.println("addernet: setenv(OPENBLAS_CORETYPE) failed; OpenBLAS detects the CPU itself");
        } catch (Throwable e) {
            System.err.println("addernet: could not set OPENBLAS_CORETYPE (" + e + "); OpenBLAS detects the CPU itself");
        }
    }

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
