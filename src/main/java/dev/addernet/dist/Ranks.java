package dev.addernet.dist;

import java.util.List;

/**
 * The ranks of one synchronous data-parallel run, as seen from one of them. Every batch is cut into a fixed
 * number of shards; rank r holds a contiguous block of them ({@link #firstShard}), rank 0 the first, and
 * {@link #sumInShardOrder} adds every shard's contribution in shard order, from the first shard's
 * contribution on: {@code ((c0 + c1) + c2) + ...}. One rank holding every shard therefore computes
 * exactly the same floats as R ranks: results depend on the shard count, never on the number of ranks.
 */
public interface Ranks extends AutoCloseable {
    /**
     * The ranks a launcher (the Spark launcher) started this call as: a training command run within this
     * binding trains as that rank instead of finding its ranks itself.
     */
    ScopedValue<Ranks> LAUNCHED = ScopedValue.newInstance();

    int rank();

    int size();

    /**
     * The total of every rank's contributions, the same bits on every rank.
     *
     * @param mine this rank's contributions, one per shard it holds, in shard order, all of one length
     * @param tag  what the call is for (epoch and step): checked equal on every rank, so that ranks that
     *             drifted apart end with an error instead of adding unrelated vectors
     * @throws RankFailure when another rank died, a connection dropped or the ranks disagree
     */
    float[] sumInShardOrder(List<float[]> mine, long tag);

    @Override
    void close();

    /**
     * Checks that every rank holds the same {@code fingerprint} (of its weights), and fails naming the first
     * rank that differs: ranks on CPUs of different vector widths run different kernel tiles and round
     * differently, and would otherwise drift apart without a word.
     */
    default void requireSame(long fingerprint, String what, long tag) {
        // four 16-bit pieces per rank, each exact in a float; only this rank's slot is non-zero, so the sum is exact
        float[] mine = new float[4 * size()];
        for (int k = 0; k < 4; k++) mine[4 * rank() + k] = (fingerprint >>> (16 * k)) & 0xFFFF;
        float[] all = sumInShardOrder(List.of(mine), tag);
        for (int r = 0; r < size(); r++) {
            long theirs = 0;
            for (int k = 0; k < 4; k++) theirs |= (long) all[4 * r + k] << (16 * k);
            if (theirs != fingerprint) {
                throw new RankFailure(String.format("rank %d of %d: %s differ from rank %d's: the ranks computed different floats"
                        + " (CPUs of different vector widths round differently: run every rank on machines of one kind)", rank(), size(), what, r));
            }
        }
    }

    /** The first of the shards rank {@code rank} of {@code ranks} holds; it holds up to the next rank's first. */
    static int firstShard(int rank, int ranks, int shards) {
        return (int) ((long) shards * rank / ranks);
    }

    /** Adds {@code contributions} in order to {@code prefix} (null: start from a copy of the first), in place. */
    static float[] fold(float[] prefix, List<float[]> contributions) {
        float[] acc = prefix;
        for (float[] c : contributions) {
            if (acc == null) {
                acc = c.clone();
                continue;
            }
            if (c.length != acc.length) throw new RankFailure("contributions of " + c.length + " and " + acc.length + " values: expected equal lengths");
            for (int i = 0; i < acc.length; i++) acc[i] += c[i];
        }
        return acc;
    }

    /** The one rank of a run that is not distributed. */
    static Ranks solo() {
        return new Ranks() {
            @Override
            public int rank() {
                return 0;
            }

            @Override
            public int size() {
                return 1;
            }

            @Override
            public float[] sumInShardOrder(List<float[]> mine, long tag) {
                return fold(null, mine);
            }

            @Override
            public void close() {}
        };
    }
}
