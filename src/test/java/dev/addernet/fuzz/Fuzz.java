package dev.addernet.fuzz;

import dev.addernet.data.DataException;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * In-process fuzzing of one reader: valid files mutated ({@link Mutations}) and handed to the reader, which
 * must keep its contract on every input:
 * <ul>
 *   <li>either a result, or a typed error (an IOException such as FormatException, or a DataException)
 *       whose message names the file; never another exception;</li>
 *   <li>at most {@code bytesPerFileByte} times the file's size plus {@code fixedBytes} allocated (counted on
 *       the reading thread, freed or not, so an upper bound of what it holds at once);</li>
 *   <li>an answer within {@link #TIME_LIMIT_SECONDS}.</li>
 * </ul>
 * The files under {@code src/test/resources/fuzz/<reader>/} (every input that ever failed) are checked
 * first, then mutations for {@code addernet.fuzz.seconds} (default 2) or exactly {@code addernet.fuzz.inputs}
 * inputs (the long profile, {@code bin/test --fuzz}), from seed {@code addernet.fuzz.seed}. Input i depends
 * only on the seed and i, so the printed seed reproduces a run; a failing input is also saved under
 * {@code target/fuzz-failures/}, to be kept as a regression file.
 */
public final class Fuzz {
    public static final int TIME_LIMIT_SECONDS = 20;
    private static final long DEFAULT_SEED = 0x19;

    /** Reads one file, as the code under test does. */
    @FunctionalInterface
    public interface Reader {
        void read(Path file) throws Exception;
    }

    /**
     * A reader to fuzz.
     *
     * @param name             names the report, the regression folder and the failures
     * @param fileName         the name each input is written under (some readers look at it)
     * @param seeds            valid files to mutate
     * @param tokens           pieces of the format to splice in
     * @param bytesPerFileByte the stated bound on allocation per byte of input ...
     * @param fixedBytes       ... plus this much, whatever the size
     */
    public record Target(String name, String fileName, List<byte[]> seeds, List<byte[]> tokens, long bytesPerFileByte,
                         long fixedBytes, Reader reader) {}

    /** The counts of one run. */
    public record Report(long seed, int regression, int tried, int typed, int accepted, List<String> failures, long mostAllocated,
                         double seconds) {}

    private Fuzz() {}

    /** Runs {@code target} in {@code dir} and fails the test, listing each failure, unless every input kept the contract. */
    public static Report check(Target target, Path dir) throws Exception {
        Report r = run(target, dir);
        System.out.printf("fuzz %s: %d inputs (seed 0x%x; %d regression files), %d typed errors, %d accepted, %d failures;"
                        + " most allocated %d bytes; %.1f s; heap high-water %d MiB%n",
                target.name(), r.tried(), r.seed(), r.regression(), r.typed(), r.accepted(), r.failures().size(), r.mostAllocated(),
                r.seconds(), heapPeak() >> 20);
        assertThat(r.failures()).as("fuzz " + target.name() + " (reproduce: bin/test --fuzz -Dtest=" + caller()
                + " -Daddernet.fuzz.seed=0x" + Long.toHexString(r.seed()) + "; inputs saved under target/fuzz-failures/"
                + target.name() + ", keep them in src/test/resources/fuzz/" + target.name() + ")").isEmpty();
        return r;
    }

    static Report run(Target target, Path dir) throws Exception {
        String seedText = System.getProperty("addernet.fuzz.seed", Long.toString(DEFAULT_SEED));
        // all 64 bits: bin/test --fuzz draws a random one in hex
        long seed = seedText.startsWith("0x") ? Long.parseUnsignedLong(seedText.substring(2), 16) : Long.parseLong(seedText);
        String inputsProperty = System.getProperty("addernet.fuzz.inputs");
        int inputs = inputsProperty == null ? Integer.MAX_VALUE : Integer.parseInt(inputsProperty);
        long budgetNanos = inputsProperty != null ? Long.MAX_VALUE
                : (long) (Double.parseDouble(System.getProperty("addernet.fuzz.seconds", "2")) * 1e9);
        Path file = dir.resolve(target.fileName());
        Files.createDirectories(file.getParent());
        List<String> failures = new ArrayList<>();
        Counts counts = new Counts();
        long start = System.nanoTime();
        ExecutorService worker = newWorker();
        try {
            List<Path> regression = regressionFiles(target.name());
            for (Path r : regression) {
                String failure = attempt(worker, target, file, Files.readAllBytes(r), counts);
                if (failure != null) failures.add("regression file " + r.getFileName() + ": " + failure);
                if (counts.timedOut) worker = replace(worker, counts);
            }
            int tried = 0;
            for (int i = 0; i < inputs && System.nanoTime() - start < budgetNanos; i++, tried++) {
                SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
                byte[] seedFile = target.seeds().get(rng.nextInt(target.seeds().size()));
                byte[] input = Mutations.of(seedFile, rng, target.tokens());
                String failure = attempt(worker, target, file, input, counts);
                if (failure != null) {
                    failures.add("input " + i + ": " + failure);
                    save(target, seed, i, input);
                }
                if (counts.timedOut) worker = replace(worker, counts);
            }
            return new Report(seed, regression.size(), tried, counts.typed, counts.accepted, failures, counts.mostAllocated,
                    (System.nanoTime() - start) / 1e9);
        } finally {
            worker.shutdownNow();
        }
    }

    private static final class Counts {
        int typed, accepted;
        long mostAllocated;
        boolean timedOut;
    }

    /** Runs the reader on one input; null if it kept the contract, else what went wrong. */
    private static String attempt(ExecutorService worker, Target target, Path file, byte[] input, Counts counts) throws Exception {
        Files.write(file, input);
        Future<Allocated.Outcome> future = worker.submit(() -> Allocated.by(() -> target.reader().read(file)));
        Allocated.Outcome o;
        try {
            o = future.get(TIME_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            counts.timedOut = true;
            return "no answer within " + TIME_LIMIT_SECONDS + " s (" + input.length + " bytes)";
        }
        counts.mostAllocated = Math.max(counts.mostAllocated, o.bytes());
        long bound = target.bytesPerFileByte() * input.length + target.fixedBytes();
        if (o.bytes() > bound) {
            return "allocated " + o.bytes() + " bytes for a " + input.length + "-byte file, over the stated bound of " + bound
                    + (o.thrown() == null ? "" : " (then " + o.thrown() + ")");
        }
        Throwable t = o.thrown();
        if (t == null) {
            counts.accepted++;
            return null;
        }
        if (!(t instanceof IOException || t instanceof DataException)) return "untyped " + describe(t);
        String name = file.getFileName().toString();
        if (t.getMessage() == null || !t.getMessage().contains(name)) return "message does not name the file: " + describe(t);
        if (t.getMessage().contains("\n")) return "message of more than one line: " + describe(t);
        counts.typed++;
        return null;
    }

    private static String describe(Throwable t) {
        StackTraceElement[] at = t.getStackTrace();
        return t + (at.length > 0 ? " at " + at[0] : "");
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(Thread.ofPlatform().name("fuzz-reader").daemon().factory());
    }

    // A reader stuck past the limit keeps its thread; the next input gets a fresh one.
    private static ExecutorService replace(ExecutorService worker, Counts counts) {
        worker.shutdownNow();
        counts.timedOut = false;
        return newWorker();
    }

    private static List<Path> regressionFiles(String name) throws Exception {
        URL url = Fuzz.class.getResource("/fuzz/" + name);
        if (url == null) return List.of();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void save(Target target, long seed, int i, byte[] input) throws IOException {
        Path failed = Path.of("target", "fuzz-failures", target.name(), String.format("0x%x-%d-%s", seed, i, target.fileName().replace('/', '-')));
        Files.createDirectories(failed.getParent());
        Files.write(failed, input);
    }

    /** The most the heap has held at once in this JVM, over all its pools. */
    public static long heapPeak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }

    /** Tokens from strings, for text formats and text inside binary ones. */
    public static List<byte[]> tokens(String... texts) {
        return Mutations.tokens(texts);
    }

    private static String caller() {
        return StackWalker.getInstance().walk(s -> s.map(StackWalker.StackFrame::getClassName)
                .filter(c -> !c.equals(Fuzz.class.getName())).findFirst().map(c -> c.substring(c.lastIndexOf('.') + 1)).orElse("*FuzzTest"));
    }
}
