package dev.addernet.data.source;

import dev.addernet.data.DatasetSplits;
import dev.addernet.data.DataException;
import dev.addernet.data.Normalization;
import dev.addernet.data.source.IdxDataset;
import static dev.addernet.data.source.IdxFiles.images;
import static dev.addernet.data.source.IdxFiles.labels;
import static dev.addernet.data.source.IdxFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path dir;

    /** Writes the four files of a tiny MNIST-layout dataset; gzipped ones get the .gz name. */
    static void writeDataset(Path dir, boolean gzip) {
        String suffix = gzip ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + suffix), images(6, 28, 28), gzip);
        write(dir.resolve("train-labels-idx1-ubyte" + suffix), labels(6, 10), gzip);
        write(dir.resolve("t10k-images-idx3-ubyte" + suffix), images(4, 28, 28), gzip);
        write(dir.resolve("t10k-labels-idx1-ubyte" + suffix), labels(4, 10), gzip);
    }

    @Test
    void resolvesFromDataDir() {
        writeDataset(dir, true);

        DatasetSplits splits = Datasets.resolve("fashion-mnist", dir);

        assertThat(splits.train().size()).isEqualTo(6);
        assertThat(splits.test().size()).isEqualTo(4);
        assertThat(splits.train().height()).isEqualTo(28);
        assertThat(splits.train().classNames()).startsWith("T-shirt/top", "Trouser").endsWith("Ankle boot");
        assertThat(splits.norm()).isEqualTo(Normalization.FASHION_MNIST);
    }

    @Test
    void resolvesPlainFilesForMnist() {
        writeDataset(dir, false);

        DatasetSplits splits = Datasets.resolve("mnist", dir);

        assertThat(splits.train().classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(splits.test().labels()).containsExactly(0, 1, 2, 3);
        assertThat(splits.norm()).isEqualTo(Normalization.MNIST);
    }

    @Test
    void dataDirLackingAFileNamesItAndTheInstallCommand() throws IOException {
        writeDataset(dir, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));

        assertThatThrownBy(() -> Datasets.resolve("fashion-mnist", dir))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("fashion-mnist: --data-dir " + dir + " lacks t10k-labels-idx1-ubyte[.gz];")
                .hasMessageContaining("sudo apt-get install dataset-fashion-mnist")
                .hasMessageContaining("--data-dir DIR");
    }

    @Test
    void missingDataDirNamesTheDirAndTheFiles() {
        Path missing = dir.resolve("nowhere");

        assertThatThrownBy(() -> Datasets.resolve("fashion-mnist", missing))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("fashion-mnist: --data-dir " + missing + " does not exist (expected a"
                        + " directory holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],")
                .hasMessageContaining("sudo apt-get install dataset-fashion-mnist");
        assertThatThrownBy(() -> Datasets.resolve("mnist", missing))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz")
                .hasMessageContaining("--data-dir DIR");
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThat(Datasets.names()).contains("fashion-mnist", "mnist");
        assertThatThrownBy(() -> Datasets.resolve("imagenet-22k", null))
                .isInstanceOf(DataException.class)
                .hasMessage("unknown dataset 'imagenet-22k', expected one of: " + String.join(", ", Datasets.names()));
    }

    @Test
    void prefersTheSystemFolderOverTheCache() {
        Path system = dir.resolve("system");
        writeDataset(system, true);
        IdxDataset source = local(List.of(system), URI.create("http://127.0.0.1:1/"), Map.of());

        DatasetSplits splits = source.load(null, dir.resolve("cache"));

        assertThat(splits.train().size()).isEqualTo(6);
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    @Test
    void downloadsMissingFilesIntoTheCacheAndChecksThem() throws Exception {
        Path served = dir.resolve("served");
        writeDataset(served, true);
        Map<String, String> md5 = new HashMap<>();
        for (String file : IdxDataset.FILES) {
            md5.put(file, md5(Files.readAllBytes(served.resolve(file + ".gz"))));
        }
        Path cache = dir.resolve("cache");
        writeDataset(cache, false);
        Files.delete(cache.resolve("train-images-idx3-ubyte"));
        Files.delete(cache.resolve("t10k-labels-idx1-ubyte"));

        HttpServer server = serve(served);
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data/");
            DatasetSplits splits = local(List.of(dir.resolve("no-system")), base, md5).load(null, cache);

            assertThat(splits.train().size()).isEqualTo(6);
            assertThat(splits.test().size()).isEqualTo(4);
        } finally {
            server.stop(0);
        }
        try (var files = Files.list(cache)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                    "t10k-labels-idx1-ubyte.gz");
        }
    }

    @Test
    void checksumMismatchKeepsNothingAndExplains() throws Exception {
        Path served = dir.resolve("served");
        writeDataset(served, true);
        Map<String, String> md5 = new HashMap<>();
        for (String file : IdxDataset.FILES) {
            md5.put(file, "00000000000000000000000000000000");
        }
        Path cache = dir.resolve("cache");

        HttpServer server = serve(served);
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data/");
            assertThatThrownBy(() -> local(List.of(), base, md5).load(null, cache))
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("MD5 checksum")
                    .hasMessageContaining("expected 00000000000000000000000000000000");
        } finally {
            server.stop(0);
        }
        try (var files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void withoutNetworkTheErrorSaysHowToInstall() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path system = dir.resolve("system");
        Path cache = dir.resolve("cache");
        IdxDataset source = local(List.of(system), URI.create("http://127.0.0.1:" + closedPort + "/"), Map.of(
                "train-images-idx3-ubyte", "x"));

        assertThatThrownBy(() -> source.load(null, cache))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("fashion-mnist: not found in " + system + " or " + cache
                        + ", and downloading http://127.0.0.1:" + closedPort + "/train-images-idx3-ubyte.gz failed (")
                .hasMessageEndingWith("install it with `sudo apt-get install dataset-fashion-mnist`, or pass"
                        + " --data-dir DIR with the four IDX files (train-images-idx3-ubyte.gz,"
                        + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)");
    }

    /** Fashion-MNIST's description with local folders and address. */
    private static IdxDataset local(List<Path> systemDirs, URI base, Map<String, String> md5) {
        IdxDataset real = IdxDataset.FASHION_MNIST;
        return new IdxDataset(real.name(), real.classNames(), real.norm(), systemDirs, base, md5, real.aptPackage());
    }

    /** Serves the files of {@code folder} under /data/. */
    static HttpServer serve(Path folder) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/data/", exchange -> {
            Path file = folder.resolve(exchange.getRequestURI().getPath().substring("/data/".length()));
            if (Files.isRegularFile(file)) {
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    static String md5(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    }
}
