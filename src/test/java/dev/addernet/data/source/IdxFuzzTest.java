package dev.addernet.data.source;

import dev.addernet.fuzz.Fuzz;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idx.read on mutated image files, plain and gzip: a typed error naming the file or a well-formed set (see {@link Fuzz}). */
class IdxFuzzTest {
    @TempDir Path tmp;

    @Test
    void mutatedFilesKeepTheContract() throws Exception {
        byte[] images = IdxFiles.images(3, 28, 28);
        Path labels = IdxFiles.write(tmp.resolve("labels"), IdxFiles.labels(3, 10), false);
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        List<byte[]> seeds = List.of(images, IdxFiles.gzip(images), IdxFiles.idx(IdxFiles.IMAGES, new int[] {1, 2, 2}, new byte[4]));
        List<byte[]> tokens = Fuzz.tokens("\u0000\u0000\u0008\u0003", "\u0000\u0000\u0008\u0001", "\u001f\u008b");

        Fuzz.check(new Fuzz.Target("idx", "train-images-idx3-ubyte", seeds, tokens, 16, 4 << 20,
                file -> Idx.read("t", file, labels, classes)), tmp.resolve("fuzz"));
    }
}
