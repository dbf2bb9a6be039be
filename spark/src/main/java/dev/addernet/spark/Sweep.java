package dev.addernet.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.analysis.RunRecord;
import dev.addernet.analysis.RunReport;
import dev.addernet.cli.Main;
import dev.addernet.io.Json;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A grid of training runs: every combination of the options' values is one run of {@code train} (or
 * {@code distill}) in its own folder under the sweep's, named after the values it sets; each run is one
 * Spark task. A run whose summary.json says it is complete is skipped (a sweep started again only does
 * what is left), one with a checkpoint continues from it with {@code --resume}, and a run that fails is
 * tried again from its checkpoint before it is reported as failed.
 */
final class Sweep {
    /** Options the sweep sets for every run itself. */
    private static final Set<String> OWNED = Set.of("out", "resume", "stop-after", "data-parallel", "shards");
    static final int TRIES = 3;

    /** One combination: its folder's name and the options it gives the command. */
    record Run(String name, List<String> options) implements Serializable {}

    private Sweep() {}

    /**
     * The options and their values: the grid file's (a JSON object of option name to a value or a list of
     * values), then the {@code --set key=v1,v2} given, which replace the file's for the same key.
     */
    static Map<String, List<String>> grid(Path file, List<String> sets) throws IOException {
        Map<String, List<String>> grid = new LinkedHashMap<>();
        if (file != null) {
            JsonNode root = Json.readTree(file);
            if (!root.isObject()) throw new IllegalArgumentException("--grid " + file + ": expected a JSON object of option names to values, got " + root.getNodeType());
            for (var e : root.properties()) {
                List<String> values = new ArrayList<>();
                JsonNode v = e.getValue();
                for (JsonNode x : v.isArray() ? v : List.of(v)) {
                    if (!x.isValueNode() || x.isNull()) throw new IllegalArgumentException("--grid " + file + ": '" + e.getKey() + "' must hold values or a list of values, got " + x);
                    values.add(x.asText());
                }
                grid.put(e.getKey(), values);
            }
        }
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) throw new IllegalArgumentException("--set must be KEY=VALUE[,VALUE...], got '" + s + "'");
            grid.put(s.substring(0, eq), List.of(s.substring(eq + 1).split(",", -1)));
        }
        for (var e : grid.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("-") || !key.matches("[a-z0-9-]+")) throw new IllegalArgumentException("sweep key '" + key + "' must be an option name without dashes, such as seed or op");
            if (OWNED.contains(key)) throw new IllegalArgumentException("sweep key '" + key + "' is set by the sweep itself for every run, expected another option");
            if (e.getValue().isEmpty() || e.getValue().stream().anyMatch(String::isBlank)) throw new IllegalArgumentException("sweep key '" + key + "' has an empty value");
        }
        if (grid.isEmpty()) throw new IllegalArgumentException("nothing to sweep: give --grid FILE or --set KEY=VALUES");
        List<String> threads = grid.get("threads");
        if (threads != null && threads.size() > 1) throw new IllegalArgumentException("sweep key 'threads' must have one value (spark.task.cpus is one per sweep), got " + threads);
        return grid;
    }

    /** Every combination, the first key varying slowest; values true and false of a key are a flag given or not. */
    static List<Run> runs(Map<String, List<String>> grid) {
        List<Run> runs = new ArrayList<>(List.of(new Run("", List.of())));
        for (var e : grid.entrySet()) {
            List<Run> next = new ArrayList<>();
            for (Run r : runs) {
                for (String v : e.getValue()) {
                    List<String> options = new ArrayList<>(r.options());
                    if (v.equals("true")) options.add("--" + e.getKey());
                    else if (!v.equals("false")) options.addAll(List.of("--" + e.getKey(), v));
                    String part = e.getKey() + "-" + v.replaceAll("[^A-Za-z0-9.=+-]", "_");
                    next.add(new Run(r.name().isEmpty() ? part : r.name() + "_" + part, options));
                }
            }
            runs = next;
        }
        return runs;
    }

    static boolean complete(Path run) {
        Path summary = run.resolve("summary.json");
        try {
            return Files.exists(summary) && Json.readTree(summary).path("complete").asBoolean(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs one combination in {@code dir} (in a Spark task): skipped when complete, continued when it has a
     * checkpoint, tried again from its checkpoint when it fails. Returns what happened, for the driver's list.
     */
    static String runOne(String command, Run run, Path dir) {
        if (complete(dir)) return "skipped (complete): " + dir;
        int code = -1;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            List<String> args = new ArrayList<>();
            args.add(command);
            if (Files.exists(dir.resolve("checkpoint").resolve("state.safetensors"))) {
                args.addAll(List.of("--resume", "--out", dir.toString()));
            } else {
                args.addAll(run.options());
                args.addAll(List.of("--out", dir.toString()));
            }
            code = Main.run(args.toArray(String[]::new));
            if (code == 0 && complete(dir)) return (attempt == 1 ? "trained: " : "trained (try " + attempt + "): ") + dir;
        }
        return "FAILED (exit code " + code + " after " + TRIES + " tries; see its output above): " + dir;
    }

    /** The report of the sweep's complete runs, as {@code addernet report} prints it (text) and as markdown. */
    static String[] report(List<Path> dirs) throws IOException {
        List<RunRecord> records = new ArrayList<>();
        for (Path d : dirs) if (complete(d)) records.add(RunRecord.read(d));
        if (records.isEmpty()) return new String[] {"no run of the sweep is complete\n", "no run of the sweep is complete\n"};
        List<String> by = RunReport.parseGroupBy(List.of("model", "op", "method", "dataset"));
        List<List<String>> cells = RunReport.cells(RunReport.group(records, by, false), by, false);
        String note = "mean ± sample standard deviation (n - 1) over the group's runs; epochs done; s/epoch the mean epoch time\n";
        return new String[] {RunReport.text(cells) + note, RunReport.markdown(cells) + "\n" + note};
    }
}
