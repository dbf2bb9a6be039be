package dev.addernet.data.source;

import dev.addernet.data.DataException;
import static dev.addernet.data.source.IdxFiles.IMAGES;
import static dev.addernet.data.source.IdxFiles.idx;
import static dev.addernet.data.source.IdxFiles.labels;
import static dev.addernet.data.source.IdxFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.fuzz.Allocated;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An IDX header's declared size is compared with the bytes present before anything that large is allocated. */
class IdxMemoryTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aHeaderDeclaringTwoBillionValuesAllocatesNothingLikeIt(boolean gzip) {
        // 46000 x 46000 x 1: 2,116,000,000 values, under the 2^31 limit, in a file of a few dozen bytes.
        Path images = write(dir.resolve("images" + gzip), idx(IMAGES, new int[] {1, 46000, 46000}, new byte[100]), gzip);
        Path labelFile = write(dir.resolve("labels" + gzip), labels(1, 10), gzip);

        Allocated.Outcome o = Allocated.by(() -> Idx.read("t", images, labelFile, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")));

        assertThat(o.thrown()).isInstanceOf(DataException.class).hasMessageStartingWith(images + ": truncated, expected 2116000016");
        assertThat(o.bytes()).isLessThan(8L << 20);
    }
}
