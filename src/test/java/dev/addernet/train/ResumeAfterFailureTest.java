package dev.addernet.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.cli.CliRun;
import dev.addernet.io.Json;
import dev.addernet.io.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that fail part-way, through the whole command line: stopped in the middle of an epoch (by a failure
 * at a chosen step, or by the operating system killing the process), or diverged after a good one. Each
 * must leave the last good checkpoint, and {@code train --resume} (with no other option) must end with
 * exactly the weights and momentum buffers of an uninterrupted run.
 */
class ResumeAfterFailureTest {
    @TempDir static Path tmp;
    static Path data, whole;

    /** What a kill does to the run folder: the epoch in progress is lost, nothing else is written. */
    static final class Killed extends RuntimeException {}

    static List<String> trainArgs(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--dataset", "mnist", "--data-dir", data.toString(), "--epochs", "2",
                "--batch", "64", "--threads", "1", "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    static CliRun train(Path out, String... extra) {
        return CliRun.of(trainArgs(data, out, extra).toArray(String[]::new));
    }

    static CliRun resume(Path out) {
        return CliRun.of("train", "--resume", "--out", out.toString());
    }

    @BeforeAll
    static void uninterruptedRun() {
        try {
            data = SyntheticIdx.write(tmp.resolve("data"), 256, 64, 11);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        whole = tmp.resolve("whole");
        CliRun r = train(whole);
        assertThat(r.code()).as(r.err()).isZero();
    }

    @AfterEach
    void removeHook() {
        Trainer.hook = null;
    }

    static void assertSameTensors(Path expected, Path actual) throws IOException {
        SafeTensors a = SafeTensors.read(expected), b = SafeTensors.read(actual);
        assertThat(b.names()).containsExactlyInAnyOrderElementsOf(a.names());
        for (String name : a.names()) assertThat(b.floats(name)).as(actual + " " + name).containsExactly(a.floats(name));
    }

    static void assertMatchesTheUninterruptedRun(Path dir) throws IOException {
        assertSameTensors(whole.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        assertSameTensors(whole.resolve("checkpoint/state.safetensors"), dir.resolve("checkpoint/state.safetensors"));
        assertThat(SafeTensors.read(dir.resolve("checkpoint/state.safetensors")).names()).anyMatch(n -> n.startsWith("velocity."));
        assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(2);
    }

    @Test
    void killedMidEpochThenResumedWithoutThreadsEndsBitExact() throws Exception {
        Path dir = tmp.resolve("killed");
        Trainer.hook = (epoch, step, steps, model) -> {
            if (epoch == 1 && step == 2) throw new Killed();
        };
        CliRun killed = train(dir);
        Trainer.hook = null;
        assertThat(killed.code()).isNotZero();
        assertThat(SafeTensors.read(dir.resolve("checkpoint/state.safetensors")).metadata()).containsEntry("epochs_done", "1");

        CliRun resumed = resume(dir);
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming", "1 threads");
        assertThat(Json.readTree(dir.resolve("config.json")).at("/provenance/threads").asInt()).isEqualTo(1);
        assertMatchesTheUninterruptedRun(dir);
    }

    @Test
    void nonFiniteWeightsAfterAGoodEpochKeepItsCheckpoint() throws Exception {
        Path dir = tmp.resolve("diverged");
        byte[][] afterEpoch1 = new byte[2][];
        Trainer.hook = (epoch, step, steps, model) -> {
            try {
                if (epoch == 1 && step == 0) {
                    afterEpoch1[0] = Files.readAllBytes(dir.resolve("checkpoint/state.safetensors"));
                    afterEpoch1[1] = Files.readAllBytes(dir.resolve("model.safetensors"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // after the last update of epoch 2, so the training loss never sees it
            if (epoch == 1 && step == steps - 1) model.parameters().get("conv1.weight").data[0] = Float.NaN;
        };
        CliRun diverged = train(dir);
        Trainer.hook = null;
        assertThat(diverged.code()).isEqualTo(2);
        String[] errLines = diverged.err().strip().split("\n");
        assertThat(Stream.of(errLines).filter(l -> l.startsWith("error: "))).singleElement().asString()
                .contains("'conv1.weight' became NaN or infinite after epoch 2", "last good checkpoint (epoch 1)");
        assertThat(diverged.err()).doesNotContain("\tat ");
        assertThat(Files.readAllBytes(dir.resolve("checkpoint/state.safetensors"))).isEqualTo(afterEpoch1[0]);
        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(afterEpoch1[1]);
        assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(1);

        CliRun resumed = resume(dir);
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertMatchesTheUninterruptedRun(dir);
    }

    /** The same through the operating system: a child JVM killed (SIGKILL, nothing runs after it) in its second epoch. */
    @Test
    void aProcessKilledInItsSecondEpochResumesToTheUninterruptedWeights() throws Exception {
        // enough images that an epoch lasts a second or more, so the kill lands inside epoch 2
        Path bigData = SyntheticIdx.write(tmp.resolve("big-data"), 4096, 64, 21);
        Path bigWhole = tmp.resolve("big-whole"), dir = tmp.resolve("big-killed");
        CliRun uninterrupted = CliRun.of(trainArgs(bigData, bigWhole).toArray(String[]::new));
        assertThat(uninterrupted.code()).as(uninterrupted.err()).isZero();

        Path log = tmp.resolve("big-killed.txt");
        Process child = new ProcessBuilder(CliRun.childCommand(trainArgs(bigData, dir))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        child.getOutputStream().close();
        Path checkpoint = dir.resolve("checkpoint/state.safetensors");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!epochsDone(checkpoint, 1)) {
            assertThat(child.isAlive()).as("the child ended before its first checkpoint: " + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("no checkpoint after 120 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        Thread.sleep(300); // into epoch 2
        child.destroyForcibly().waitFor();
        assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).as("the kill came after epoch 2 had ended").hasSize(1);
        assertThat(epochsDone(checkpoint, 1)).isTrue();

        CliRun resumed = resume(dir);
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming");
        assertSameTensors(bigWhole.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        assertSameTensors(bigWhole.resolve("checkpoint/state.safetensors"), checkpoint);
        assertThat(SafeTensors.read(checkpoint).names()).anyMatch(n -> n.startsWith("velocity."));
        assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(2);
    }

    /** Whether the checkpoint exists and records this many finished epochs (written atomically, so never half). */
    static boolean epochsDone(Path checkpoint, int epochs) throws IOException {
        return Files.exists(checkpoint) && String.valueOf(epochs).equals(SafeTensors.read(checkpoint).metadata().get("epochs_done"));
    }
}
