package dev.addernet.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.tensor.Rng;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class TcpRingTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Shard contributions of wildly different magnitudes, so that another summation order gives other floats. */
    static List<float[]> contributions(int shards, int n, long seed) {
        Rng rng = new Rng(seed);
        List<float[]> all = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            float[] c = new float[n];
            for (int i = 0; i < n; i++) c[i] = (float) ((rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(8)));
            all.add(c);
        }
        return all;
    }

    @Test
    void everyRankGetsTheSumInShardOrderBitForBit() throws Exception {
        int shards = 7, n = 100_003;
        for (int ranks : List.of(2, 3, 5)) {
            List<float[]> all = contributions(shards, n, ranks);
            float[] expected = Ranks.fold(null, all.stream().map(float[]::clone).toList());
            // the order matters: summing the ranks' partial sums would give other floats
            float[] pairwise = Ranks.fold(Ranks.fold(null, all.subList(0, 3).stream().map(float[]::clone).toList()),
                    List.of(Ranks.fold(null, all.subList(3, shards).stream().map(float[]::clone).toList())));
            assertThat(pairwise).isNotEqualTo(expected);
            Map<Integer, float[]> got = new ConcurrentHashMap<>();
            Rendezvous.inThreads(ranks, TIMEOUT, r -> {
                List<float[]> mine = all.subList(Ranks.firstShard(r.rank(), ranks, shards), Ranks.firstShard(r.rank() + 1, ranks, shards));
                for (int step = 0; step < 3; step++) got.put(r.rank(), r.sumInShardOrder(mine.stream().map(float[]::clone).toList(), step));
            });
            assertThat(got).hasSize(ranks);
            got.forEach((rank, total) -> assertThat(total).as("rank %d of %d", rank, ranks).isEqualTo(expected));
        }
    }

    @Test
    void ranksOutOfStepEndWithAnError() {
        assertThatThrownBy(() -> Rendezvous.inThreads(2, TIMEOUT, r -> r.sumInShardOrder(List.of(new float[4]), r.rank() == 0 ? 7 : 8)))
                .isInstanceOf(RankFailure.class)
                .hasMessage("rank 1 of 2: rank 0 sent 4 values for step 7, expected 4 values for step 8: the ranks are not training the same run in step");
    }

    @Test
    void ranksWhoseWeightsDifferAreCaught() throws Exception {
        Rendezvous.inThreads(3, TIMEOUT, r -> r.requireSame(0x1234_5678_9ABC_DEF0L, "the weights", 1));
        assertThatThrownBy(() -> Rendezvous.inThreads(3, TIMEOUT, r -> r.requireSame(r.rank() == 2 ? 1 : -1L, "the weights", 1)))
                // whichever rank reports first: 0 and 1 see rank 2 differ, rank 2 sees rank 0 differ
                .isInstanceOf(RankFailure.class).hasMessageMatching("(rank [01] of 3: the weights differ from rank 2's|rank 2 of 3: the weights differ from rank 0's).*");
    }

    @Test
    void torchrunVariablesJoinTheRanks() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Map<Integer, float[]> got = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int rank = 0; rank < 3; rank++) {
            Map<String, String> env = Map.of("RANK", "" + rank, "WORLD_SIZE", "3", "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "" + port);
            int me = rank;
            threads.add(Thread.ofPlatform().start(() -> {
                try (Ranks r = Rendezvous.fromEnvironment(env, 3, TIMEOUT)) {
                    got.put(me, r.sumInShardOrder(List.of(new float[] {me + 1, 10f * me}), 1));
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(failures).isEmpty();
        for (int rank = 0; rank < 3; rank++) assertThat(got.get(rank)).containsExactly(6f, 30f);
    }

    @Test
    void badTorchrunVariablesAreOneLineErrors() {
        assertThatThrownBy(() -> Rendezvous.fromEnvironment(Map.of("RANK", "0", "WORLD_SIZE", "2", "MASTER_ADDR", "h"), 2, TIMEOUT))
                .hasMessage("MASTER_PORT must be an integer of at least 1, got nothing");
        assertThatThrownBy(() -> Rendezvous.fromEnvironment(Map.of("RANK", "x", "WORLD_SIZE", "2", "MASTER_ADDR", "h", "MASTER_PORT", "1"), 2, TIMEOUT))
                .hasMessage("RANK must be an integer of at least 0, got 'x'");
        assertThatThrownBy(() -> Rendezvous.fromEnvironment(Map.of("RANK", "0", "WORLD_SIZE", "3", "MASTER_ADDR", "h", "MASTER_PORT", "1"), 2, TIMEOUT))
                .hasMessage("WORLD_SIZE is 3 but --data-parallel is 2: expected the same number of ranks");
        assertThatThrownBy(() -> Rendezvous.fromEnvironment(Map.of("RANK", "2", "WORLD_SIZE", "2", "MASTER_ADDR", "h", "MASTER_PORT", "1"), 2, TIMEOUT))
                .hasMessage("RANK must be below WORLD_SIZE (2), got 2");
    }
}
