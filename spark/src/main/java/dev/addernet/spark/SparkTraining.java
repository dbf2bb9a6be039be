package dev.addernet.spark;

import dev.addernet.cli.Main;
import dev.addernet.dist.Ranks;
import dev.addernet.dist.TcpRing;
import dev.addernet.io.SafeTensors;
import dev.addernet.train.Trainer;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * {@code train --data-parallel R} (or {@code distill}) on Spark: one barrier stage per epoch, its R tasks
 * started together, each one rank. The tasks exchange their listening addresses once through
 * {@link BarrierTaskContext#allGather} (which polls about once a second: fine once per epoch, far too slow
 * per step) and then sum gradients over the {@link TcpRing}; each stage runs the command with
 * {@code --stop-after 1}, continuing from the checkpoint rank 0 wrote after the stage before. A stage that
 * fails (an executor lost, a rank dead) writes nothing, and Spark runs it again from that checkpoint: a
 * lost executor costs at most one epoch. The run folder must be on storage every executor reads (on one
 * machine any folder; on a cluster a shared file system).
 */
final class SparkTraining {
    /** Tries of one epoch's stage before the run gives up: a lost executor is replaced, a broken run is not. */
    static final int STAGE_TRIES = 3;

    private SparkTraining() {}

    static int run(JavaSparkContext sc, List<String> args) throws Exception {
        String command = args.get(0);
        String out = value(args, "--out");
        String ranksGiven = value(args, "--data-parallel");
        if (out == null) throw new IllegalArgumentException("--out must name the run folder when Spark runs the ranks: every executor reads it");
        if (ranksGiven == null) throw new IllegalArgumentException("--master trains with --data-parallel R only: give the number of ranks");
        int ranks;
        try {
            ranks = Integer.parseInt(ranksGiven);
        } catch (NumberFormatException e) {
            ranks = 0;
        }
        if (ranks < 1 || ranks > 4096) throw new IllegalArgumentException("--data-parallel must be an integer from 1 to 4096, got '" + ranksGiven + "'");
        if (value(args, "--stop-after") != null) throw new IllegalArgumentException("--stop-after is not supported with --master: each stage trains one epoch");
        Path dir = Path.of(out);
        List<String> resume = new ArrayList<>(List.of(command, "--resume", "--out", out, "--data-parallel", ranksGiven, "--stop-after", "1"));
        String dataDir = value(args, "--data-dir");
        if (dataDir != null) resume.addAll(List.of("--data-dir", dataDir));
        // whether the next stage starts the run from the user's options, rather than continuing it from its folder
        boolean fresh = !args.contains("--resume");
        int failures = 0;
        while (fresh || epochsDone(dir) < Trainer.savedConfig(dir).epochs()) {
            List<String> stage = new ArrayList<>(fresh ? args : resume);
            if (fresh) stage.addAll(List.of("--stop-after", "1"));
            try {
                runStage(sc, ranks, stage.toArray(String[]::new));
                failures = 0;
            } catch (Exception e) {
                // Scala declares no exceptions: the job's failure is a SparkException all the same
                if (!(e instanceof SparkException)) throw e;
                // Spark does not run a failed barrier result stage again: the driver does, from the checkpoint
                String why = e.getMessage().lines().findFirst().orElse("");
                if (++failures >= STAGE_TRIES) {
                    throw new IllegalStateException("the epoch after " + epochsDone(dir) + " failed " + STAGE_TRIES + " times in a row; the last: " + why, e);
                }
                System.err.printf("addernet: the epoch after %d failed (%s); running it again from the checkpoint%n", epochsDone(dir), why);
            }
            // a run that wrote its config.json continues from its folder, even after a failed first stage
            fresh = fresh && !Files.exists(dir.resolve("config.json"));
        }
        System.out.println("run folder: " + dir.toAbsolutePath());
        return 0;
    }

    static String value(List<String> args, String option) {
        int i = args.indexOf(option);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
    }

    static int epochsDone(Path dir) throws java.io.IOException {
        Path file = dir.resolve("checkpoint").resolve("state.safetensors");
        return Files.exists(file) ? Integer.parseInt(SafeTensors.read(file).metadata().get("epochs_done")) : 0;
    }

    private static void runStage(JavaSparkContext sc, int ranks, String[] args) {
        RDD<Integer> rdd = sc.parallelize(IntStream.range(0, ranks).boxed().toList(), ranks).rdd();
        rdd.barrier().mapPartitions(new Rank(args, ranks), false, ClassTag$.MODULE$.apply(Integer.class)).toJavaRDD().collect();
    }

    /** One rank's task: join the others, then run the command as that rank. */
    static final class Rank extends AbstractFunction1<Iterator<Integer>, Iterator<Integer>> implements Serializable {
        private final String[] args;
        private final int ranks;

        Rank(String[] args, int ranks) {
            this.args = args;
            this.ranks = ranks;
        }

        @Override
        public Iterator<Integer> apply(Iterator<Integer> partition) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            int rank = ctx.partitionId();
            int code;
            try (ServerSocket listener = new ServerSocket(0)) {
                String host = SparkEnv.get().blockManager().blockManagerId().host();
                String[] all = ctx.allGather(host + ":" + listener.getLocalPort());
                List<InetSocketAddress> addresses = new ArrayList<>();
                for (String a : all) {
                    int colon = a.lastIndexOf(':');
                    addresses.add(new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))));
                }
                Duration timeout = Duration.ofSeconds(Long.getLong("addernet.rank.timeout", 1800));
                try (Ranks ring = ranks == 1 ? Ranks.solo() : TcpRing.connect(rank, addresses, listener, timeout)) {
                    code = ScopedValue.where(Ranks.LAUNCHED, ring).call(() -> Main.run(args));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            // the command printed its error; failing the task fails the stage, which Spark runs again from the checkpoint
            if (code != 0) throw new IllegalStateException("rank " + rank + " of " + ranks + ": '" + String.join(" ", args) + "' exited with code " + code);
            return scala.collection.Iterator$.MODULE$.single(rank);
        }
    }
}
