package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.io.SafeTensors;
import dev.addernet.train.SyntheticIdx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed by the operating system (SIGKILL, nothing runs after it) in the middle of its
 * second epoch, then {@code train --resume}: the run ends with exactly the weights and momentum buffers of
 * an uninterrupted one. {@code ResumeAfterFailureTest} covers the same in-process, at a chosen step.
 */
class KilledRunTest {
    @TempDir Path tmp;

    List<String> trainArgs(Path data, Path out) {
        return List.of("train", "--dataset", "mnist", "--data-dir", data.toString(), "--epochs", "2", "--batch", "64",
                "--threads", "1", "--out", out.toString());
    }

    @Test
    void aRunKilledInItsSecondEpochResumesToTheUninterruptedWeights() throws Exception {
        // enough images that an epoch lasts a second or more, so the kill lands inside epoch 2
        Path data = SyntheticIdx.write(tmp.resolve("data"), 4096, 64, 21);
        Path whole = tmp.resolve("whole"), killed = tmp.resolve("killed");
        CliRun uninterrupted = CliRun.of(trainArgs(data, whole).toArray(String[]::new));
        assertThat(uninterrupted.code()).as(uninterrupted.err()).isZero();

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(trainArgs(data, killed));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.txt").toFile()).start();
        child.getOutputStream().close();
        Path checkpoint = killed.resolve("checkpoint/state.safetensors");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!epochsDone(checkpoint, 1)) {
            assertThat(child.isAlive()).as("the child ended before its first checkpoint: " + Files.readString(tmp.resolve("child.txt"))).isTrue();
            assertThat(System.nanoTime()).as("no checkpoint after 120 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        Thread.sleep(300); // into epoch 2
        child.destroyForcibly().waitFor();
        assertThat(Files.readAllLines(killed.resolve("metrics.jsonl"))).as("the kill came after epoch 2 had ended").hasSize(1);
        assertThat(epochsDone(checkpoint, 1)).isTrue();

        CliRun resumed = CliRun.of("train", "--resume", "--out", killed.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming");
        for (String file : new String[] {"model.safetensors", "checkpoint/state.safetensors"}) {
            SafeTensors expected = SafeTensors.read(whole.resolve(file)), actual = SafeTensors.read(killed.resolve(file));
            assertThat(actual.names()).containsExactlyInAnyOrderElementsOf(expected.names());
            for (String name : expected.names()) assertThat(actual.floats(name)).as(file + " " + name).containsExactly(expected.floats(name));
        }
        assertThat(SafeTensors.read(killed.resolve("checkpoint/state.safetensors")).names()).anyMatch(n -> n.startsWith("velocity."));
        assertThat(Files.readAllLines(killed.resolve("metrics.jsonl"))).hasSize(2);
    }

    /** Whether the checkpoint exists and records this many finished epochs (written atomically, so never half). */
    static boolean epochsDone(Path checkpoint, int epochs) throws Exception {
        return Files.exists(checkpoint) && String.valueOf(epochs).equals(SafeTensors.read(checkpoint).metadata().get("epochs_done"));
    }
}
