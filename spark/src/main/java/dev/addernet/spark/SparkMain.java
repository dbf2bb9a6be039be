package dev.addernet.spark;

import dev.addernet.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Spark launcher: {@code sweep}, and {@code train}/{@code distill} with {@code --master} (or under
 * spark-submit, which sets spark.master) run on Spark; any other command line goes to the plain
 * {@code addernet} command line unchanged.
 */
public final class SparkMain {
    private SparkMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        List<String> rest = new ArrayList<>(List.of(args));
        try {
            if (!rest.isEmpty() && rest.get(0).equals("sweep")) {
                CommandLine cli = new CommandLine(new SweepCommand());
                cli.setParameterExceptionHandler((e, given) -> {
                    System.err.println("error: " + e.getMessage().strip() + " (see 'addernet sweep --help')");
                    return 2;
                });
                cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
                    boolean user = e instanceof IllegalArgumentException || e instanceof java.io.IOException;
                    System.err.println("error: " + (user ? e.getMessage() : e.toString()));
                    return user ? 2 : 1;
                });
                return cli.execute(rest.subList(1, rest.size()).toArray(String[]::new));
            }
            String master = null;
            int at = rest.indexOf("--master");
            if (at >= 0) {
                if (at + 1 >= rest.size()) throw new IllegalArgumentException("--master needs a Spark master URL, such as local[2] or spark://host:7077");
                master = rest.get(at + 1);
                rest.subList(at, at + 2).clear();
            }
            boolean trains = !rest.isEmpty() && (rest.get(0).equals("train") || rest.get(0).equals("distill"));
            if (master != null && !trains) throw new IllegalArgumentException("--master applies to train, distill and sweep only");
            if (trains && (master != null || System.getProperty("spark.master") != null)) {
                try (JavaSparkContext sc = context(master, "addernet " + String.join(" ", rest), 1)) {
                    return SparkTraining.run(sc, rest);
                }
            }
            return Main.run(rest.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("error: " + e);
            return 1;
        }
    }

    /**
     * A Spark context for {@code master} (null: spark-submit's), each task taking {@code cpus} cores. The
     * executors of a cluster get the JVM flags the kernels need (those Spark needs its launcher adds).
     */
    static JavaSparkContext context(String master, String name, int cpus) {
        SparkConf conf = new SparkConf().setAppName(name).set("spark.task.cpus", Integer.toString(cpus))
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED");
        if (master != null) conf.setMaster(master);
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel(System.getProperty("addernet.spark.log", "WARN"));
        return sc;
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Train every combination of the given options' values, each run a Spark task in its own folder; complete runs are"
                    + " skipped, failed ones continued from their checkpoint; prints and writes the report (mean ± std per group).")
    static final class SweepCommand implements Callable<Integer> {
        @Option(names = "--grid", paramLabel = "FILE", description = "A JSON object of option names (without dashes) to a value or a list of values.")
        Path grid;
        @Option(names = "--set", paramLabel = "KEY=V1,V2", description = "An option's values (repeatable; replaces --grid's for that key).")
        List<String> sets = new ArrayList<>();
        @Option(names = "--command", defaultValue = "train", description = "train or distill. Default: ${DEFAULT-VALUE}.")
        String command;
        @Option(names = "--master", defaultValue = "local[*]", description = "Spark master URL (spark-submit's wins). Default: ${DEFAULT-VALUE}.")
        String master;
        @Option(names = "--out", defaultValue = "runs/sweep", description = "The sweep's folder: one run folder per combination and report.md."
                + " Default: ${DEFAULT-VALUE}.")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (!command.equals("train") && !command.equals("distill")) throw new IllegalArgumentException("--command must be train or distill, got '" + command + "'");
            Map<String, List<String>> grid = Sweep.grid(this.grid, sets);
            int threads = Integer.parseInt(grid.getOrDefault("threads", List.of("1")).get(0));
            if (!grid.containsKey("threads")) grid.put("threads", List.of("1"));
            List<Sweep.Run> runs = Sweep.runs(grid);
            Files.createDirectories(out);
            Path base = out.toAbsolutePath();
            String cmd = command, where = base.toString();  // what the tasks capture must be serializable: a Path is not
            System.out.printf("sweep: %d runs of %s under %s, %d thread(s) each%n", runs.size(), command, base, threads);
            List<String> outcomes;
            String sparkMaster = System.getProperty("spark.master") != null ? null : master;
            try (JavaSparkContext sc = context(sparkMaster, "addernet sweep " + base, threads)) {
                outcomes = sc.parallelize(runs, runs.size()).map(r -> Sweep.runOne(cmd, r, Path.of(where, r.name()))).collect();
            }
            outcomes.forEach(o -> System.out.println("sweep: " + o));
            String[] report = Sweep.report(runs.stream().map(r -> base.resolve(r.name())).toList());
            System.out.print(report[0]);
            Files.writeString(base.resolve("report.md"), report[1]);
            System.out.println("sweep report: " + base.resolve("report.md"));
            return outcomes.stream().anyMatch(o -> o.startsWith("FAILED")) ? 1 : 0;
        }
    }
}
