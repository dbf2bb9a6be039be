package dev.addernet.data.source;

import dev.addernet.data.DataException;
import dev.addernet.data.ImageSet;
import static dev.addernet.data.source.IdxFiles.IMAGES;
import static dev.addernet.data.source.IdxFiles.LABELS;
import static dev.addernet.data.source.IdxFiles.idx;
import static dev.addernet.data.source.IdxFiles.images;
import static dev.addernet.data.source.IdxFiles.labels;
import static dev.addernet.data.source.IdxFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {

    static final List<String> TEN = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabels(boolean gzip) {
        // no .gz suffix even when gzipped: compression is detected from the content
        Path img = write(dir.resolve("images"), images(5, 3, 4), gzip);
        Path lab = write(dir.resolve("labels"), labels(5, 10), gzip);

        ImageSet set = Idx.read("tiny", img, lab, TEN);

        assertThat(set.name()).isEqualTo("tiny");
        assertThat(set.size()).isEqualTo(5);
        assertThat(set.channels()).isEqualTo(1);
        assertThat(set.height()).isEqualTo(3);
        assertThat(set.width()).isEqualTo(4);
        assertThat(set.numClasses()).isEqualTo(10);
        assertThat(set.classNames()).isEqualTo(TEN);
        assertThat(set.labels()).containsExactly(0, 1, 2, 3, 4);
        byte[] pixels = set.pixels();
        assertThat(pixels).hasSize(5 * 3 * 4);
        for (int i = 0; i < 5; i++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    assertThat(pixels[(i * 3 + y) * 4 + x] & 0xFF).isEqualTo(IdxFiles.pixel(i, y, x));
                }
            }
        }
    }

    @Test
    void pixelsAreUnsigned() {
        byte[] values = {(byte) 255, (byte) 128, 0, 1};
        Path img = write(dir.resolve("img"), idx(IMAGES, new int[] {1, 2, 2}, values), false);
        Path lab = write(dir.resolve("lab"), labels(1, 10), false);

        assertThat(Idx.read("t", img, lab, TEN).pixels()).containsExactly(values);
    }

    @Test
    void wrongMagicSaysWhichWasExpected() {
        Path img = write(dir.resolve("train-images-idx3-ubyte"), labels(5, 10), false);
        Path lab = write(dir.resolve("train-labels-idx1-ubyte"), labels(5, 10), false);

        assertThatThrownBy(() -> Idx.read("t", img, lab, TEN))
                .isInstanceOf(DataException.class)
                .hasMessage(img + ": magic number 0x00000801, expected 0x00000803 (IDX unsigned-byte images)");
    }

    @Test
    void wrongLabelMagicNamesTheLabelFile() {
        Path img = write(dir.resolve("img"), images(5, 2, 2), true);
        Path lab = write(dir.resolve("lab.gz"), images(5, 2, 2), true);

        assertThatThrownBy(() -> Idx.read("t", img, lab, TEN))
                .isInstanceOf(DataException.class)
                .hasMessage(lab + ": magic number 0x00000803, expected 0x00000801 (IDX unsigned-byte labels)");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void truncatedDataSaysExpectedAndFoundBytes(boolean gzip) {
        byte[] full = images(5, 3, 4); // 16 + 60 bytes
        Path img = write(dir.resolve("img"), Arrays.copyOf(full, 50), gzip);
        Path lab = write(dir.resolve("lab"), labels(5, 10), gzip);

        assertThatThrownBy(() -> Idx.read("t", img, lab, TEN))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(img + ": truncated, expected 76 ")
                .hasMessageContaining("16-byte header + 5x3x4 values")
                .hasMessageEndingWith("found 50");
    }

    @Test
    void truncatedHeader() {
        Path img = write(dir.resolve("img"), Arrays.copyOf(images(5, 3, 4), 10), false);
        Path lab = write(dir.resolve("lab"), labels(5, 10), false);

        assertThatThrownBy(() -> Idx.read("t", img, lab, TEN))
                .isInstanceOf(DataException.class)
                .hasMessage(img + ": truncated, expected 16 bytes (the 16-byte header), found 10");
    }

    @Test
    void truncatedGzipStreamIsReportedAsTruncation() {
        byte[] compressed = IdxFiles.gzip(images(50, 10, 10));
        Path img = write(dir.resolve("img.gz"), Arrays.copyOf(compressed, compressed.length / 2), false);
        Path lab = write(dir.resolve("lab.gz"), labels(50, 10), true);

        assertThatThrownBy(() -> Idx.read("t", img, lab, TEN))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(img + ": truncated, expected 5016 decompressed bytes");
    }

    @Test
    void trailingDataIsAnError() {
        byte[] full = images(2, 2, 2);
        Path img = write(dir.resolve("img"), Arrays.copyOf(full, full.length + 3), false);
        Path lab = write(dir.resolve("lab"), labels(2, 10), false);

        assertThatThrownBy(() -> Idx.read("t", img, lab, TEN))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(img + ": 27 bytes, expected 24");
    }

    @Test
    void countMismatchNamesBothFiles() {
        Path img = write(dir.resolve("img"), images(5, 2, 2), false);
        Path lab = write(dir.resolve("lab"), labels(4, 10), false);

        assertThatThrownBy(() -> Idx.read("t", img, lab, TEN))
                .isInstanceOf(DataException.class)
                .hasMessage(img + " has 5 images but " + lab + " has 4 labels, expected the same count");
    }

    @Test
    void labelOutOfRangeNamesTheFileAndIndex() {
        byte[] values = {0, 1, 10, 2};
        Path img = write(dir.resolve("img"), images(4, 2, 2), false);
        Path lab = write(dir.resolve("lab"), idx(LABELS, new int[] {4}, values), true);

        assertThatThrownBy(() -> Idx.read("t", img, lab, TEN))
                .isInstanceOf(DataException.class)
                .hasMessage(lab + ": label 10 at index 2 is out of range, expected [0,10)");
    }

    @Test
    void missingFileIsNamed() {
        Path img = dir.resolve("nope");
        Path lab = write(dir.resolve("lab"), labels(4, 10), false);

        assertThatThrownBy(() -> Idx.read("t", img, lab, TEN))
                .isInstanceOf(DataException.class)
                .hasMessage(img + ": file not found");
    }
}
