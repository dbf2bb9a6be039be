package dev.addernet.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesContentAndCreatesParentDirectories() throws IOException {
        Path target = dir.resolve("a/b/out.txt");
        AtomicFiles.writeString(target, "héllo");
        assertThat(Files.readString(target, UTF_8)).isEqualTo("héllo");
        assertThat(list(target.getParent())).containsExactly("out.txt");
    }

    @Test
    void replacesExistingContentAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("out.bin");
        AtomicFiles.writeBytes(target, new byte[] {1, 2, 3});
        AtomicFiles.writeBytes(target, new byte[] {4, 5});
        assertThat(Files.readAllBytes(target)).containsExactly(4, 5);
        assertThat(list(dir)).containsExactly("out.bin");
    }

    @Test
    void bodyMayCloseTheStream() throws IOException {
        Path target = dir.resolve("closed.txt");
        AtomicFiles.write(target, out -> {
            out.write("abc".getBytes(UTF_8));
            out.close();
        });
        assertThat(Files.readString(target)).isEqualTo("abc");
    }

    @Test
    void failingBodyKeepsOldContentAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("model.json");
        AtomicFiles.writeString(target, "old");
        IOException failure = new IOException("disk on fire");

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]); // past the buffer, so bytes really reach the temp file
            throw failure;
        })).isSameAs(failure);

        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(list(dir)).containsExactly("model.json");
    }

    @Test
    void uncheckedFailureAlsoCleansUp() throws IOException {
        Path target = dir.resolve("new.txt");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(list(dir)).isEmpty();
    }

    @Test
    void appendLineAddsLines() throws IOException {
        Path target = dir.resolve("logs/metrics.jsonl");
        AtomicFiles.appendLine(target, "{\"epoch\":1}");
        AtomicFiles.appendLine(target, "{\"epoch\":2}");
        assertThat(Files.readString(target)).isEqualTo("{\"epoch\":1}\n{\"epoch\":2}\n");
        assertThat(list(target.getParent())).containsExactly("metrics.jsonl");
    }

    @Test
    void appendLineRepairsAMissingFinalNewline() throws IOException {
        Path target = dir.resolve("metrics.jsonl");
        Files.writeString(target, "a");
        AtomicFiles.appendLine(target, "b");
        assertThat(Files.readString(target)).isEqualTo("a\nb\n");
    }

    @Test
    void appendLineRejectsLineBreaks() {
        assertThatThrownBy(() -> AtomicFiles.appendLine(dir.resolve("x"), "a\nb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line breaks");
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
