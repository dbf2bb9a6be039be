package dev.addernet.dist;

import java.time.Duration;
import java.util.List;

/**
 * The cost of one sum over the ring, for the README's cost section: two ranks as threads over loopback TCP,
 * a vector of N floats each (LeNet-5's step sends 61,942 gradients plus flags and buffers; ResNet-20's
 * 272,484). Not a test: {@code java -cp target/classes:target/test-classes dev.addernet.dist.AllReduceCost N [ranks]}.
 */
public final class AllReduceCost {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]), ranks = args.length > 1 ? Integer.parseInt(args[1]) : 2, calls = 200;
        long[] nanos = new long[1];
        Rendezvous.inThreads(ranks, Duration.ofSeconds(60), r -> {
            float[] v = new float[n];
            for (int i = 0; i < 50; i++) r.sumInShardOrder(List.of(v), i);
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) r.sumInShardOrder(List.of(v), 1000 + i);
            if (r.rank() == 0) nanos[0] = System.nanoTime() - t0;
        });
        System.out.printf("%d ranks, %,d floats: %.2f ms per sum (mean of %d, after 50 warm-up)%n", ranks, n, nanos[0] / 1e6 / calls, calls);
    }
}
