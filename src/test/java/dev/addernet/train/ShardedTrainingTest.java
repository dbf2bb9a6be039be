package dev.addernet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.dist.RankFailure;
import dev.addernet.dist.Ranks;
import dev.addernet.dist.Rendezvous;
import dev.addernet.io.SafeTensors;
import dev.addernet.method.plain.PlainSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel LeNet-5-BN (adder) on a small synthetic set, ranks as threads joined over loopback TCP: the
 * weights depend on the shard count only, whatever the number of ranks, and a rank that dies mid-epoch
 * leaves a run that resumes to exactly the uninterrupted result.
 */
class ShardedTrainingTest {
    @TempDir static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws Exception {
        data = SyntheticIdx.write(tmp.resolve("data"), 320, 64, 11);
    }

    @AfterEach
    void noHook() {
        Trainer.hook = null;
    }

    static TrainConfig config(int shards) {
        return new TrainConfig("lenet5", "adder", null, "mnist", data.toString(), 2, 64, 0.1, "cosine", "nesterov", 0.9,
                5e-4, 0.2, true, 5, 1, 0.0, 0, 0, null, 0, null, new PlainSettings(), shards);
    }

    static void train(TrainConfig cfg, Path dir, int ranks, boolean resume) throws Exception {
        Rendezvous.inThreads(ranks, Duration.ofSeconds(60), r -> new Trainer(cfg, dir, new PrintStream(new ByteArrayOutputStream()),
                TrainerTest.listeners(), r).run(resume, 0, Map.of("test", true)));
    }

    static byte[] checkpoint(Path dir) throws Exception {
        return Files.readAllBytes(new RunFolder(dir).checkpoint());
    }

    /** Every rank's weights and buffers after the last step, under the run's name and the rank's thread. */
    static void recordWeightsAtTheEnd(String run, Map<String, float[]> into) {
        Trainer.hook = (epoch, step, steps, model) -> {
            if (epoch == 1 && step == steps - 1) {
                float[] all = model.state().values().stream().map(t -> t.data).reduce(new float[0], ShardedTrainingTest::concat);
                into.put(run + " " + Thread.currentThread().getName(), all);
            }
        };
    }

    static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void oneTwoAndThreeRanksOfFourShardsEndBitIdentical() throws Exception {
        Map<String, float[]> weights = new ConcurrentHashMap<>();
        for (int ranks : List.of(1, 2, 3)) {
            recordWeightsAtTheEnd("R=" + ranks, weights);
            train(config(4), tmp.resolve("r" + ranks), ranks, false);
        }
        // ranks other than 0 write nothing: their weights come from the hook
        assertThat(weights.keySet()).containsExactlyInAnyOrder("R=1 " + Thread.currentThread().getName(), "R=2 addernet-rank-0",
                "R=2 addernet-rank-1", "R=3 addernet-rank-0", "R=3 addernet-rank-1", "R=3 addernet-rank-2");
        float[] reference = weights.get("R=1 " + Thread.currentThread().getName());
        weights.forEach((rank, w) -> assertThat(w).as(rank).isEqualTo(reference));
        Trainer.hook = null;
        byte[] one = checkpoint(tmp.resolve("r1"));
        assertThat(checkpoint(tmp.resolve("r2"))).isEqualTo(one);
        assertThat(checkpoint(tmp.resolve("r3"))).isEqualTo(one);
        assertThat(MethodResumeTest.withoutTimes(tmp.resolve("r2/metrics.jsonl"))).isEqualTo(MethodResumeTest.withoutTimes(tmp.resolve("r1/metrics.jsonl")));
        // the shard count is what fixes the results: another count trains other weights (so equality above is not a given)
        train(config(2), tmp.resolve("s2"), 2, false);
        assertThat(checkpoint(tmp.resolve("s2"))).isNotEqualTo(one);
        assertThat(SafeTensors.read(new RunFolder(tmp.resolve("r2")).checkpoint()).metadata()).containsEntry("epochs_done", "2");
    }

    @Test
    void aRankKilledMidEpochThenResumedEqualsAnUninterruptedRun() throws Exception {
        Path whole = tmp.resolve("whole"), killed = tmp.resolve("killed");
        train(config(4), whole, 2, false);
        Trainer.hook = (epoch, step, steps, model) -> {
            if (epoch == 1 && step == 2 && Thread.currentThread().getName().equals("addernet-rank-1")) throw new IllegalStateException("rank 1 killed");
        };
        assertThatThrownBy(() -> train(config(4), killed, 2, false)).hasMessage("rank 1 killed");
        Trainer.hook = null;
        // the second epoch wrote nothing: the checkpoint and the metrics are the first epoch's
        assertThat(SafeTensors.read(new RunFolder(killed).checkpoint()).metadata()).containsEntry("epochs_done", "1");
        assertThat(Files.readAllLines(killed.resolve("metrics.jsonl"))).hasSize(1);
        // resumed on one rank: the same shards, so the same result
        train(config(4), killed, 1, true);
        assertThat(checkpoint(killed)).isEqualTo(checkpoint(whole));
        assertThat(MethodResumeTest.withoutTimes(killed.resolve("metrics.jsonl"))).isEqualTo(MethodResumeTest.withoutTimes(whole.resolve("metrics.jsonl")));
    }

    @Test
    void theSurvivorsOfADeadRankFailWithAClearError() throws Exception {
        Trainer.hook = (epoch, step, steps, model) -> {
            if (step == 1 && Thread.currentThread().getName().equals("addernet-rank-0")) throw new IllegalStateException("rank 0 killed");
        };
        // the launcher reports the rank's own error; the survivor's is a RankFailure naming the dead rank
        Map<Integer, Throwable> seen = new ConcurrentHashMap<>();
        assertThatThrownBy(() -> Rendezvous.inThreads(2, Duration.ofSeconds(60), r -> {
            try {
                new Trainer(config(2), tmp.resolve("dead"), new PrintStream(new ByteArrayOutputStream()), TrainerTest.listeners(), r)
                        .run(false, 0, Map.of());
            } catch (RuntimeException e) {
                seen.put(r.rank(), e);
                throw e;
            }
        })).hasMessage("rank 0 killed");
        assertThat(seen.get(1)).isInstanceOf(RankFailure.class).hasMessageContaining("rank 1 of 2").hasMessageContaining("rank 0");
    }

    @Test
    void ranksThatDoNotFitTheShardsAreRefused() {
        assertThatThrownBy(() -> new Trainer(config(0), tmp.resolve("x"), System.out, List.of(), twoRanks()).run(false, 0, Map.of()))
                .hasMessageContaining("needs a run started with --data-parallel");
        assertThatThrownBy(() -> new Trainer(config(1), tmp.resolve("y"), System.out, List.of(), twoRanks()).run(false, 0, Map.of()))
                .hasMessageContaining("must be at most the run's --shards (1)");
        assertThatThrownBy(() -> new TrainConfig("lenet5", "adder", null, "mnist", null, 2, 64, 0.1, "cosine", "nesterov", 0.9,
                5e-4, 0.2, true, 5, 2, 0.0, 0, 0, null, 0, null, new PlainSettings(), 4).validate())
                .hasMessageStartingWith("--threads must be 1 with --data-parallel, got 2");
        assertThatThrownBy(() -> config(65).validate()).hasMessage("--shards must be at most --batch (64), got 65");
    }

    /** Rank 1 of 2, never asked to sum: the checks come first. */
    static Ranks twoRanks() {
        return new Ranks() {
            public int rank() { return 1; }
            public int size() { return 2; }
            public float[] sumInShardOrder(List<float[]> mine, long tag) { throw new AssertionError("not reached"); }
            public void close() {}
        };
    }
}
