package dev.addernet.cli;

import static dev.addernet.cli.CliErrorsTest.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.train.SyntheticIdx;
import dev.addernet.train.Trainer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train with bad names, values, data and run folders: one line naming what is wrong, before any work. */
class HostileTrainingTest {
    @TempDir static Path tmp;
    static Path data;

    @BeforeAll
    static void dataset() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 128, 32, 5);
    }

    static CliRun train(String... extra) {
        return CliRun.of(Stream.concat(Stream.of("train", "--dataset", "mnist", "--data-dir", data.toString(), "--epochs", "1",
                "--batch", "64"), Stream.of(extra)).toArray(String[]::new));
    }

    @Test
    void unknownNamesAreRefusedBeforeAnyDownload() {
        Path out = tmp.resolve("names");
        // without --data-dir, cifar10 would be downloaded first
        assertOneErrorLine(CliRun.of("train", "--model", "resnet21", "--dataset", "cifar10", "--out", out.toString()),
                "unknown model 'resnet21'", "resnet20");
        assertOneErrorLine(CliRun.of("train", "--dataset", "cifar11", "--out", out.toString()), "unknown dataset 'cifar11'", "cifar10");
        assertOneErrorLine(CliRun.of("train", "--dataset", "mnist", "--schedule", "cosin", "--data-dir", data.toString(),
                "--out", out.toString()), "cosin", "cosine-epoch");
        assertThat(out).doesNotExist();
    }

    @Test
    void numericOptionsOutOfRangeAreRefusedWhileParsing() {
        for (List<String> option : List.of(List.of("--val-split", "NaN"), List.of("--val-split", "1"), List.of("--limit-train", "-1"),
                List.of("--momentum", "5"), List.of("--momentum", "NaN"), List.of("--weight-decay", "-1"), List.of("--weight-decay", "NaN"),
                List.of("--eta", "-1"), List.of("--eta", "NaN"), List.of("--lr", "Infinity"), List.of("--lr", "0"),
                List.of("--epochs", "0"), List.of("--lp-start", "3"), List.of("--stop-after", "-2"))) {
            Path out = tmp.resolve("range");
            CliRun r = train(Stream.concat(option.stream(), Stream.of("--out", out.toString())).toArray(String[]::new));
            assertThat(r.code()).as(option.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(option.toString()).doesNotContain("\n").startsWith("error: Invalid value for option '" + option.get(0));
            assertThat(out).doesNotExist();
        }
    }

    static void idx(Path dir, String prefix, int n, int size) throws Exception {
        Files.createDirectories(dir);
        ByteBuffer images = ByteBuffer.allocate(16 + n * size * size).putInt(0x803).putInt(n).putInt(size).putInt(size);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }

    @Test
    void aTestSetOfAnotherSizeOrNoneIsNamed() throws Exception {
        Path mixed = tmp.resolve("mixed");
        idx(mixed, "train", 8, 28);
        idx(mixed, "t10k", 4, 32);
        assertOneErrorLine(CliRun.of("train", "--dataset", "mnist", "--data-dir", mixed.toString(), "--out", tmp.resolve("m").toString()),
                "mnist", "1x28x28", "1x32x32", "same channels and size");
        Path empty = tmp.resolve("empty");
        idx(empty, "train", 8, 28);
        idx(empty, "t10k", 0, 28);
        assertOneErrorLine(CliRun.of("train", "--dataset", "mnist", "--data-dir", empty.toString(), "--out", tmp.resolve("e").toString()),
                "mnist", "test set has no images");
    }

    /** A run stopped after its first of two epochs. */
    static Path stoppedRun(String name) {
        Path out = tmp.resolve(name);
        CliRun r = CliRun.of("train", "--dataset", "mnist", "--data-dir", data.toString(), "--epochs", "2", "--batch", "64",
                "--stop-after", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return out;
    }

    @Test
    void resumeRemovesTheTemporaryFilesOfItsOwnRunFolderOnly() throws Exception {
        Path out = stoppedRun("stale");
        Path stale = Files.writeString(out.resolve(".model.state.safetensors.tmp-3f9a0c"), "half a checkpoint");
        Path notOurs = Files.writeString(out.resolve("notes.tmp-3f9a0c"), "kept: not hidden, so not written by addernet");
        Path deeper = Files.writeString(Files.createDirectories(out.resolve("sub")).resolve(".x.tmp-ab"), "kept: another folder");
        Path beside = Files.writeString(tmp.resolve(".beside.tmp-ab"), "kept: outside the run folder");

        CliRun r = CliRun.of("train", "--resume", "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("removed 1 temporary file(s)");
        assertThat(stale).doesNotExist();
        assertThat(notOurs).exists();
        assertThat(deeper).exists();
        assertThat(beside).exists();
    }

    /** A run may resume on another number of cores; the change is announced and lasts for that invocation. */
    @Test
    void aResumedRunMayChangeItsThreadCount() throws Exception {
        Path out = tmp.resolve("threads");
        CliRun first = CliRun.of("train", "--dataset", "mnist", "--data-dir", data.toString(), "--epochs", "2", "--batch", "64",
                "--threads", "3", "--stop-after", "1", "--out", out.toString());
        assertThat(first.code()).as(first.err()).isZero();

        CliRun r = CliRun.of("train", "--resume", "--out", out.toString(), "--threads", "1");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("resuming with 1 threads where the run had 3", "resuming " + out + " after epoch 1 of 2", ", 1 threads");
        assertThat(Files.readString(out.resolve("summary.json"))).contains("\"complete\": true");
        assertThat(Trainer.savedConfig(out).threads()).as("config.json keeps the run's own count").isEqualTo(3);
    }

    @Test
    void aCorruptMetricsLogOrConfigIsNamedOnResume() throws Exception {
        Path out = stoppedRun("corrupt");
        Files.writeString(out.resolve("metrics.jsonl"), "{\"epoch\": 1, \"train_loss\": [oops\n");
        assertOneErrorLine(CliRun.of("train", "--resume", "--out", out.toString()), "metrics.jsonl", "line 1");

        Path other = stoppedRun("corrupt-config");
        Files.writeString(other.resolve("config.json"), "not json at all");
        assertOneErrorLine(CliRun.of("train", "--resume", "--out", other.toString()), "config.json");
        Files.writeString(other.resolve("config.json"), Files.readString(out.resolve("config.json"))
                .replaceFirst("\"momentum\"\\s*:\\s*[0-9.]+", "\"momentum\": 5.0"));
        assertOneErrorLine(CliRun.of("train", "--resume", "--out", other.toString()), "config.json", "--momentum");
    }
}
