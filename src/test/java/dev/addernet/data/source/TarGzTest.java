package dev.addernet.data.source;

import dev.addernet.data.DataException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzTest {

    @TempDir
    Path dir;

    @Test
    void extractsFilesFoldersAndLongNames() throws IOException {
        String longName = "top/" + "n".repeat(120) + ".bin";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("top/", new byte[0]);
        files.put("top/a.bin", new byte[] {1, 2, 3});
        files.put("top/empty.txt", new byte[0]);
        files.put("top/sub/block.bin", new byte[1500]);
        files.put(longName, "long".getBytes());
        Path archive = dir.resolve("a.tar.gz");
        Files.write(archive, CifarFiles.tarGz(files));

        TarGz.extract(archive, dir.resolve("out"));

        assertThat(dir.resolve("out/top/a.bin")).hasBinaryContent(new byte[] {1, 2, 3});
        assertThat(dir.resolve("out/top/empty.txt")).isEmptyFile();
        assertThat(dir.resolve("out/top/sub/block.bin")).hasSize(1500);
        assertThat(dir.resolve("out").resolve(longName)).hasContent("long");
    }

    @Test
    void refusesEntriesOutsideTheTarget() throws IOException {
        Path archive = dir.resolve("evil.tar.gz");
        Files.write(archive, CifarFiles.tarGz(Map.of("../evil.txt", new byte[] {1})));

        assertThatThrownBy(() -> TarGz.extract(archive, dir.resolve("out")))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(archive + ": tar entry '../evil.txt' would be written outside ");
        assertThat(dir.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void namesTheArchiveWhenItIsNotGzipTarOrComplete() throws IOException {
        Path notGzip = dir.resolve("plain.tar.gz");
        Files.write(notGzip, new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> TarGz.extract(notGzip, dir.resolve("out")))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(notGzip + ": not a valid gzip file");

        Path truncated = dir.resolve("cut.tar.gz");
        byte[] whole = CifarFiles.tarGz(Map.of("a.bin", new byte[5000]));
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> TarGz.extract(truncated, dir.resolve("out")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(truncated.toString())
                .hasMessageContaining("truncated");

        Path notTar = dir.resolve("text.tar.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(notTar))) {
            out.write("hello, this is not a tar archive\n".repeat(40).getBytes());
        }
        assertThatThrownBy(() -> TarGz.extract(notTar, dir.resolve("out")))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(notTar + ": tar header");
    }
}
