package dev.addernet.data.source;

import dev.addernet.data.Sample;
import dev.addernet.data.DatasetSplits;
import dev.addernet.data.DataException;
import dev.addernet.data.Normalization;
import dev.addernet.data.ImageSet;
import dev.addernet.tensor.Rng;
import static dev.addernet.data.source.CifarFiles.cifar10;
import static dev.addernet.data.source.CifarFiles.cifar100;
import static dev.addernet.data.source.CifarFiles.pixel;
import static dev.addernet.data.source.CifarFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryTest {

    @TempDir
    Path dir;

    @Test
    void readsCifar10RecordsAsRgbPlanes() {
        CifarFiles.writeCifar10(dir);

        DatasetSplits splits = Datasets.resolve("cifar10", dir);

        ImageSet train = splits.train();
        assertThat(train.size()).isEqualTo(10);
        assertThat(train.channels()).isEqualTo(3);
        assertThat(train.height()).isEqualTo(32);
        assertThat(train.width()).isEqualTo(32);
        // batches are read in order 1..5, records in file order
        assertThat(train.labels()).containsExactly(0, 5, 1, 6, 2, 7, 3, 8, 4, 9);
        assertThat(splits.test().labels()).containsExactly(9, 0, 3);
        assertThat(train.classNames()).containsExactly("airplane", "automobile", "bird", "cat", "deer", "dog",
                "frog", "horse", "ship", "truck");
        // record 1 of data_batch_3.bin is image 5; pixel (c, y, x) lands at c*1024 + y*32 + x
        byte[] pixels = train.pixels();
        for (int[] p : new int[][] {{0, 0, 0}, {0, 0, 31}, {1, 5, 7}, {2, 31, 31}}) {
            assertThat(pixels[5 * 3072 + p[0] * 1024 + p[1] * 32 + p[2]] & 0xFF).isEqualTo(pixel(1, p[0], p[1], p[2]));
        }
        assertThat(splits.norm()).isEqualTo(Normalization.CIFAR);
        assertThat(splits.evalTransform().apply(train.sample(0), new Rng(1)).values())
                .containsExactly(train.sample(0).values());
    }

    @Test
    void findsTheArchiveSubfolderAndItsClassNames() throws IOException {
        Path sub = dir.resolve("cifar-10-batches-bin");
        CifarFiles.writeCifar10(sub);
        Files.writeString(sub.resolve("batches.meta.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n");

        DatasetSplits splits = Datasets.resolve("cifar10", dir);

        assertThat(splits.train().size()).isEqualTo(10);
        assertThat(splits.train().classNames()).containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    }

    @Test
    void cifar100UsesFineLabelsOrCoarseOnes() throws IOException {
        Path sub = dir.resolve("cifar-100-binary");
        CifarFiles.writeCifar100(sub);

        DatasetSplits fine = Datasets.resolve("cifar100", dir);
        DatasetSplits coarse = Datasets.resolve("cifar100-coarse", dir);

        assertThat(fine.train().labels()).containsExactly(0, 99, 50, 42);
        assertThat(fine.test().labels()).containsExactly(10, 11);
        assertThat(fine.train().classNames()).hasSize(100).startsWith("0", "1").endsWith("99");
        assertThat(coarse.train().labels()).containsExactly(0, 19, 5, 7);
        assertThat(coarse.train().classNames()).hasSize(20).endsWith("19");
        // pixels follow the two label bytes
        assertThat(fine.train().pixels()[3072 + 1024] & 0xFF).isEqualTo(pixel(1, 1, 0, 0));
        assertThat(fine.trainTransform()).isNotNull();

        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            names.append("class").append(i).append('\n');
        }
        Files.writeString(sub.resolve("fine_label_names.txt"), names);
        Files.writeString(sub.resolve("coarse_label_names.txt"), "aquatic_mammals\nfish\n");
        assertThat(Datasets.resolve("cifar100", dir).train().classNames()).startsWith("class0").endsWith("class99");
        assertThatThrownBy(() -> Datasets.resolve("cifar100-coarse", dir))
                .isInstanceOf(DataException.class)
                .hasMessage(sub.resolve("coarse_label_names.txt") + ": 2 class names, expected 20 (one per line)");
    }

    @Test
    void aFileThatIsNotWholeRecordsIsNamed() {
        CifarFiles.writeCifar10(dir);
        write(dir.resolve("data_batch_4.bin"), java.util.Arrays.copyOf(cifar10(1, 2), 3073 * 2 - 1));

        assertThatThrownBy(() -> Datasets.resolve("cifar10", dir))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("data_batch_4.bin") + ": 6145 bytes, expected a non-zero multiple of 3073"
                        + " (records of 1 label byte and 3072 pixel bytes)");

        write(dir.resolve("data_batch_4.bin"), new byte[0]);
        assertThatThrownBy(() -> Datasets.resolve("cifar10", dir))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir.resolve("data_batch_4.bin") + ": 0 bytes, expected a non-zero multiple");

        CifarFiles.writeCifar100(dir);
        write(dir.resolve("test.bin"), cifar10(1, 2)); // CIFAR-10 records in a CIFAR-100 file
        assertThatThrownBy(() -> Datasets.resolve("cifar100", dir))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("test.bin") + ": 6146 bytes, expected a non-zero multiple of 3074"
                        + " (records of a coarse and a fine label byte and 3072 pixel bytes)");
    }

    @Test
    void aLabelOutOfRangeNamesFileRecordAndField() {
        CifarFiles.writeCifar10(dir);
        write(dir.resolve("test_batch.bin"), cifar10(3, 10));

        assertThatThrownBy(() -> Datasets.resolve("cifar10", dir))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("test_batch.bin") + ": record 1 has label byte 10, expected [0,10)");

        CifarFiles.writeCifar100(dir);
        write(dir.resolve("train.bin"), cifar100(new int[] {1, 2, 20}, new int[] {1, 2, 3}));
        assertThatThrownBy(() -> Datasets.resolve("cifar100", dir))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("train.bin") + ": record 2 has coarse label (byte 0) 20, expected [0,20)");
        write(dir.resolve("train.bin"), cifar100(new int[] {1}, new int[] {100}));
        assertThatThrownBy(() -> Datasets.resolve("cifar100-coarse", dir))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("train.bin") + ": record 0 has fine label (byte 1) 100, expected [0,100)");
    }

    @Test
    void aMissingFileIsNamedWithWhatToDo() throws IOException {
        CifarFiles.writeCifar10(dir);
        Files.delete(dir.resolve("data_batch_2.bin"));

        assertThatThrownBy(() -> Datasets.resolve("cifar10", dir))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("cifar10: --data-dir " + dir + " lacks data_batch_2.bin (also looked in "
                        + dir.resolve("cifar-10-batches-bin") + "); download "
                        + "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (MD5 c32a1d4ab5d03f1284b67883e8d87530)")
                .hasMessageContaining("--data-dir DIR");
        assertThatThrownBy(() -> Datasets.resolve("cifar100", dir.resolve("nowhere")))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("cifar100: --data-dir " + dir.resolve("nowhere") + " does not exist; download "
                        + "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz (MD5 03b5dce01913d631647c71ecec9e9cb8)");
    }

    @Test
    void downloadsChecksAndUnpacksIntoTheSharedCache() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("cifar-100-binary/", new byte[0]);
        files.put("cifar-100-binary/train.bin", cifar100(new int[] {1, 2, 3}, new int[] {4, 5, 6}));
        files.put("cifar-100-binary/test.bin", cifar100(new int[] {7}, new int[] {8}));
        files.put("cifar-100-binary/fine_label_names.txt", "x\n".repeat(100).getBytes());
        byte[] archive = CifarFiles.tarGz(files);
        Path served = dir.resolve("served");
        write(served.resolve("cifar-100-binary.tar.gz"), archive);
        HttpServer server = DatasetsTest.serve(served);
        Path cacheRoot = dir.resolve("cache");
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data/cifar-100-binary.tar.gz");
            CifarBinary coarse = new CifarBinary("cifar100-coarse", true, true, url, DatasetsTest.md5(archive));

            DatasetSplits splits = coarse.load(null, cacheRoot.resolve("cifar100-coarse"));

            assertThat(splits.train().labels()).containsExactly(1, 2, 3);
            assertThat(splits.test().labels()).containsExactly(7);
            CifarBinary wrongSum = new CifarBinary("cifar100", true, false, url, "0".repeat(32));
            assertThatThrownBy(() -> wrongSum.load(null, dir.resolve("other").resolve("cifar100")))
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("MD5 checksum")
                    .hasMessageContaining("--data-dir DIR");
        } finally {
            server.stop(0);
        }
        // both labelings share cache/cifar100; the archive is gone once unpacked
        assertThat(cacheRoot.resolve("cifar100-coarse")).doesNotExist();
        try (var entries = Files.list(cacheRoot.resolve("cifar100"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("cifar-100-binary");
        }
        // the fine labelling now reads the cache without a server
        CifarBinary fine = new CifarBinary("cifar100", true, false, URI.create("http://127.0.0.1:1/x.tar.gz"), "");
        DatasetSplits splits = fine.load(null, cacheRoot.resolve("cifar100"));
        assertThat(splits.train().labels()).containsExactly(4, 5, 6);
        assertThat(splits.train().classNames()).hasSize(100).allMatch("x"::equals);
    }

    @Test
    void withoutNetworkTheErrorNamesDataDir() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + closedPort + "/cifar-10-binary.tar.gz");
        CifarBinary source = new CifarBinary("cifar10", false, false, url, CifarBinary.CIFAR10.md5());
        Path cache = dir.resolve("cache").resolve("cifar10");

        assertThatThrownBy(() -> source.load(null, cache))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("cifar10: not found in " + cache + ", and downloading " + url + " failed (")
                .hasMessageEndingWith("download " + url + " (MD5 c32a1d4ab5d03f1284b67883e8d87530), unpack it, and pass"
                        + " --data-dir DIR with the cifar-10-batches-bin folder or the folder holding data_batch_1.bin,"
                        + " data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin");
    }

    @Test
    void syntheticCifarIsReadableAndFollowsItsRule() {
        SyntheticCifar.write(dir, 2000, 500, 7);

        DatasetSplits splits = Datasets.resolve("cifar10", dir);

        assertThat(splits.train().size()).isEqualTo(2000);
        assertThat(splits.test().size()).isEqualTo(500);
        int[] perClass = new int[10];
        for (int label : splits.train().labels()) {
            perClass[label]++;
        }
        assertThat(java.util.stream.IntStream.of(perClass).min().orElseThrow()).isGreaterThan(120);
        // the class's cell is the brightest 8x8 block of the image's channel sum, for every image
        ImageSet test = splits.test();
        for (int i = 0; i < test.size(); i++) {
            Sample s = test.sample(i);
            int best = -1;
            double bestSum = -1;
            for (int cell = 0; cell < 10; cell++) {
                double sum = 0;
                for (int c = 0; c < 3; c++) {
                    for (int y = cell / 4 * 8; y < cell / 4 * 8 + 8; y++) {
                        for (int x = cell % 4 * 8; x < cell % 4 * 8 + 8; x++) {
                            sum += s.values()[s.index(c, y, x)];
                        }
                    }
                }
                if (sum > bestSum) {
                    bestSum = sum;
                    best = cell;
                }
            }
            assertThat(best).as("image %d", i).isEqualTo(test.label(i));
        }
        // same seed, same bytes
        Path again = SyntheticCifar.write(dir.resolve("again"), 2000, 500, 7);
        assertThat(Datasets.resolve("cifar10", again).train().pixels()).isEqualTo(splits.train().pixels());
    }
}
