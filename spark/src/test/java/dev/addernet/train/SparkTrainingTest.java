package dev.addernet.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.cli.Main;
import dev.addernet.io.SafeTensors;
import dev.addernet.spark.SparkMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/**
 * LeNet-5-BN (adder) on 256 Fashion-MNIST images, two ranks launched by Spark, against the same run on one
 * rank of the same four shards in a plain process: local[2] (the ranks as tasks of one JVM) and
 * local-cluster (two executor JVMs), and a rank killed mid-epoch whose stage the launcher runs again from the
 * checkpoint. Every rank checks after each epoch that its weights equal the others' (Ranks.requireSame),
 * so a run that succeeds had bit-identical ranks. (In package train for the test hook that kills a rank.)
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SparkTrainingTest {
    @TempDir static Path tmp;
    static byte[] reference;
    static List<String> referenceMetrics;

    static List<String> args(Path out, String ranks) {
        return new ArrayList<>(List.of("train", "--dataset", "fashion-mnist", "--limit-train", "256", "--limit-test", "64", "--epochs", "2",
                "--batch", "64", "--seed", "3", "--data-parallel", ranks, "--shards", "4", "--out", out.toString()));
    }

    static byte[] checkpoint(Path dir) throws Exception {
        return Files.readAllBytes(dir.resolve("checkpoint/state.safetensors"));
    }

    static List<String> metrics(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("metrics.jsonl")).stream().map(l -> l.replaceAll("\"(seconds|images_per_sec)\":[^,}]+,?", "")).toList();
    }

    @BeforeAll
    static void oneRank() throws Exception {
        Path dir = tmp.resolve("one-rank");
        assertThat(Main.run(args(dir, "1").toArray(String[]::new))).isZero();
        reference = checkpoint(dir);
        referenceMetrics = metrics(dir);
        assertThat(SafeTensors.read(dir.resolve("checkpoint/state.safetensors")).metadata()).containsEntry("epochs_done", "2");
    }

    @AfterEach
    void noHook() {
        Trainer.hook = null;
    }

    void trainOnSpark(String master, Path dir) throws Exception {
        List<String> a = args(dir, "2");
        a.addAll(List.of("--master", master));
        assertThat(SparkMain.run(a.toArray(String[]::new))).isZero();
    }

    @Test
    void twoRanksAsTasksOfOneJvmEqualOneRank() throws Exception {
        Path dir = tmp.resolve("local");
        trainOnSpark("local[2]", dir);
        assertThat(checkpoint(dir)).isEqualTo(reference);
        assertThat(metrics(dir)).isEqualTo(referenceMetrics);
    }

    @Test
    void twoRanksInTwoExecutorJvmsEqualOneRank() throws Exception {
        Path dir = tmp.resolve("cluster");
        // local-cluster starts executors as in a standalone cluster: from SPARK_HOME (here an empty one) with the
        // test's class path (spark.testing), the JVM flags from spark.executor.extraJavaOptions
        Files.createDirectories(tmp.resolve("spark-home/jars"));
        // where Spark's launcher looks for the Scala version of a build tree, when SPARK_SCALA_VERSION is not set
        Files.createDirectories(tmp.resolve("spark-home/launcher/target/scala-2.13"));
        System.setProperty("spark.testing", "true");
        System.setProperty("spark.test.home", tmp.resolve("spark-home").toString());
        System.setProperty("spark.executor.extraJavaOptions", System.getProperty("addernet.test.jvmFlags"));
        try {
            trainOnSpark("local-cluster[2,1,1024]", dir);
        } finally {
            System.clearProperty("spark.testing");
            System.clearProperty("spark.test.home");
            System.clearProperty("spark.executor.extraJavaOptions");
        }
        assertThat(checkpoint(dir)).isEqualTo(reference);
        assertThat(metrics(dir)).isEqualTo(referenceMetrics);
    }

    @Test
    void aRankKilledMidEpochIsRunAgainFromTheCheckpoint() throws Exception {
        Path dir = tmp.resolve("killed");
        int[] kills = {0};
        Trainer.hook = (epoch, step, steps, model) -> {
            TaskContext t = TaskContext.get();
            // once: the launcher's next try of the epoch is another job, whose stage attempt counts from 0 again
            if (epoch == 1 && step == 2 && t.partitionId() == 1 && kills[0] == 0) {
                kills[0]++;
                throw new IllegalStateException("rank 1 killed");
            }
        };
        trainOnSpark("local[2]", dir);
        assertThat(kills[0]).isEqualTo(1);
        assertThat(checkpoint(dir)).isEqualTo(reference);
        assertThat(metrics(dir)).isEqualTo(referenceMetrics);
    }
}
