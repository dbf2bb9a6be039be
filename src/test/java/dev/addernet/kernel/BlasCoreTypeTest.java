package dev.addernet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which OpenBLAS kernel family addernet names before loading the library (see Blas). */
class BlasCoreTypeTest {
    private static final Set<String> AVX512 = Set.of("sse3", "avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    @Test
    void intelCpusGetTheFamilyTheirFlagsSupport() {
        assertThat(Blas.coreTypeFor("GenuineIntel", AVX512)).isEqualTo("SkylakeX");
        assertThat(Blas.coreTypeFor("GenuineIntel", Set.of("sse3", "avx", "avx2", "fma"))).isEqualTo("Haswell");
        // AVX-512 Foundation alone (Knights Landing) is not what the SkylakeX kernels need.
        assertThat(Blas.coreTypeFor("GenuineIntel", Set.of("avx2", "fma", "avx512f", "avx512cd"))).isEqualTo("Haswell");
        assertThat(Blas.coreTypeFor("GenuineIntel", Set.of("sse3", "avx"))).isNull();
    }

    @Test
    void otherVendorsAreLeftToOpenBlas() {
        assertThat(Blas.coreTypeFor("AuthenticAMD", AVX512)).isNull();
        assertThat(Blas.coreTypeFor(null, AVX512)).isNull();
    }

    /** Where addernet names a family, the library that loaded reports it (OpenBLAS read the variable). */
    @Test
    void theLoadedLibraryUsesTheNamedFamily() {
        String named = Blas.namedCoreType();
        org.junit.jupiter.api.Assumptions.assumeTrue(named != null && Blas.describe().startsWith("openblas"),
                "addernet names no OpenBLAS core type on this CPU, or OpenBLAS is not installed");
        assertThat(Blas.describe()).contains(" " + named + " ");
    }
}
