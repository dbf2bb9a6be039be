package dev.addernet.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs grouped by chosen fields (model, op, method, dataset), with per group the number of runs, their
 * seeds, final and best test accuracy as mean and sample standard deviation (n - 1 in the denominator;
 * none for a single run), epochs and seconds per epoch, and optionally the papers' number.
 */
public final class RunReport {
    public static final List<String> FIELDS = List.of("model", "op", "method", "dataset");

    /** Mean and sample standard deviation (NaN for fewer than two values). */
    public record Stat(double mean, double std) {
        static Stat of(List<Double> xs) {
            double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            if (xs.size() < 2) return new Stat(mean, Double.NaN);
            double ss = 0;
            for (double x : xs) ss += (x - mean) * (x - mean);
            return new Stat(mean, Math.sqrt(ss / (xs.size() - 1)));
        }
    }

    /** One group: its key (field -> value), its runs and their statistics. */
    public record Group(Map<String, String> key, List<RunRecord> runs, Stat finalAcc, Stat bestAcc,
                        String epochs, double secondsPerEpoch, PaperResults.Entry paper, boolean paperOnOtherTestSet,
                        List<String> settingsThatDiffer) {
        public String dataset() {
            return runs.stream().map(RunRecord::dataset).distinct().reduce((a, b) -> a + "+" + b).orElse("");
        }

        public long incomplete() {
            return runs.stream().filter(r -> !r.complete()).count();
        }
    }

    private RunReport() {}

    public static List<String> parseGroupBy(List<String> fields) {
        for (String f : fields) {
            if (!FIELDS.contains(f)) throw new IllegalArgumentException("--group-by: unknown field '" + f + "', expected some of " + String.join(", ", FIELDS));
        }
        return fields.stream().distinct().toList();
    }

    public static List<Group> group(List<RunRecord> runs, List<String> by, boolean paper) {
        Map<Map<String, String>, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord r : runs) groups.computeIfAbsent(key(r, by), k -> new ArrayList<>()).add(r);
        List<Group> out = new ArrayList<>();
        for (var e : groups.entrySet()) {
            List<RunRecord> rs = e.getValue();
            TreeSet<Integer> epochs = new TreeSet<>();
            rs.forEach(r -> epochs.add(r.epochs().size()));
            String ep = epochs.size() == 1 ? String.valueOf(epochs.first()) : epochs.first() + "-" + epochs.last();
            PaperResults.Entry p = null;
            boolean other = false;
            if (paper) {
                // a paper's number fits a group only when its runs share model, op, method and dataset
                RunRecord first = rs.get(0);
                boolean uniform = rs.stream().allMatch(r -> r.model().equals(first.model()) && r.op().equals(first.op())
                        && r.method().equals(first.method()) && r.dataset().equals(first.dataset()));
                if (uniform) {
                    p = PaperResults.find(first.model(), first.op(), first.method(), first.dataset()).orElse(null);
                    other = p != null && !p.dataset().equals(first.dataset());
                }
            }
            out.add(new Group(e.getKey(), rs, Stat.of(rs.stream().map(RunRecord::finalTestAcc).toList()),
                    Stat.of(rs.stream().map(RunRecord::bestTestAcc).toList()), ep,
                    rs.stream().mapToDouble(RunRecord::secondsPerEpoch).average().orElse(Double.NaN), p, other, differing(rs)));
        }
        return out;
    }

    /** Settings that are expected to vary between the seeds of one comparison, or do not change results. */
    private static final Set<String> PER_RUN = Set.of("seed", "threads", "data_dir", "out", "resume", "stop_after");

    /**
     * The config.json settings whose values differ between a group's runs (seed, threads and paths
     * aside): a mean over runs of different epochs or data subsets is not a mean over seeds, so the
     * report names them. A setting is compared between two runs only when both folders record it:
     * folders of older versions lack later settings (and record the Lp scheme as fields of their own).
     */
    static List<String> differing(List<RunRecord> runs) {
        Set<String> names = new TreeSet<>();
        for (RunRecord r : runs) r.config().fieldNames().forEachRemaining(names::add);
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (PER_RUN.contains(name)) continue;
            List<JsonNode> recorded = runs.stream().map(r -> r.config().get(name)).filter(Objects::nonNull).toList();
            if (recorded.stream().distinct().count() > 1) out.add(name);
        }
        return out;
    }

    private static Map<String, String> key(RunRecord r, List<String> by) {
        Map<String, String> k = new LinkedHashMap<>();
        for (String f : by) {
            k.put(f, switch (f) {
                case "model" -> r.model();
                case "op" -> r.op();
                case "method" -> r.method();
                case "dataset" -> r.dataset();
                default -> throw new IllegalArgumentException("unknown field " + f);
            });
        }
        return k;
    }

    /** The table's cells, header first; accuracies in percent. */
    public static List<List<String>> cells(List<Group> groups, List<String> by, boolean paper) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(by);
        if (!by.contains("dataset")) header.add("dataset");
        header.addAll(List.of("runs", "seeds", "final test acc (%)", "best test acc (%)", "epochs", "s/epoch"));
        if (paper) header.add("paper (%)");
        rows.add(header);
        for (Group g : groups) {
            List<String> row = new ArrayList<>(g.key().values());
            if (!by.contains("dataset")) row.add(g.dataset());
            row.add(g.runs().size() + (g.incomplete() > 0 ? " (" + g.incomplete() + " incomplete)" : ""));
            row.add(String.join(",", g.runs().stream().map(r -> String.valueOf(r.seed())).toList()));
            row.add(pm(g.finalAcc()));
            row.add(pm(g.bestAcc()));
            row.add(g.epochs());
            row.add(String.format(Locale.ROOT, "%.1f", g.secondsPerEpoch()));
            if (paper) row.add(g.paper() == null ? "-" : String.format(Locale.ROOT, "%.2f (%s%s)", 100 * g.paper().testAcc(),
                    g.paper().source(), g.paperOnOtherTestSet() ? "; original test set" : ""));
            rows.add(row);
        }
        return rows;
    }

    private static String pm(Stat s) {
        return Double.isNaN(s.std()) ? String.format(Locale.ROOT, "%.2f", 100 * s.mean())
                : String.format(Locale.ROOT, "%.2f ± %.2f", 100 * s.mean(), 100 * s.std());
    }

    /** One line per group whose runs differ in more than their seed, naming the settings. */
    public static String notes(List<Group> groups) {
        StringBuilder sb = new StringBuilder();
        for (Group g : groups) {
            if (g.settingsThatDiffer().isEmpty()) continue;
            sb.append("note: the runs of ").append(String.join("/", g.key().values())).append(" differ in ")
                    .append(String.join(", ", g.settingsThatDiffer())).append('\n');
        }
        return sb.toString();
    }

    public static String markdown(List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            sb.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
            if (i == 0) sb.append("|").append("---|".repeat(rows.get(0).size())).append("\n");
        }
        return sb.toString();
    }

    public static String text(List<List<String>> rows) {
        int[] w = new int[rows.get(0).size()];
        for (List<String> r : rows) for (int i = 0; i < r.size(); i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) sb.append(i == 0 ? "" : "  ").append(String.format("%-" + w[i] + "s", r.get(i)));
            sb.append('\n');
        }
        return sb.toString().lines().map(String::stripTrailing).reduce("", (a, b) -> a + b + "\n");
    }

    /** The JSON form: accuracies as fractions, std null for a single run. */
    public static Map<String, Object> json(List<Group> groups, List<String> by, boolean paper) {
        List<Map<String, Object>> gs = new ArrayList<>();
        for (Group g : groups) {
            Map<String, Object> m = new LinkedHashMap<>(g.key());
            m.put("dataset", g.dataset());
            m.put("n", g.runs().size());
            m.put("incomplete", g.incomplete());
            m.put("seeds", g.runs().stream().map(RunRecord::seed).toList());
            m.put("final_test_acc", stat(g.finalAcc()));
            m.put("best_test_acc", stat(g.bestAcc()));
            m.put("epochs", g.runs().stream().map(r -> r.epochs().size()).toList());
            m.put("seconds_per_epoch", g.secondsPerEpoch());
            m.put("settings_that_differ", g.settingsThatDiffer());
            if (paper) {
                Map<String, Object> p = null;
                if (g.paper() != null) {
                    p = new LinkedHashMap<>();
                    p.put("test_acc", g.paper().testAcc());
                    p.put("source", g.paper().source());
                    p.put("dataset", g.paper().dataset());
                }
                m.put("paper", p);
            }
            m.put("runs", g.runs().stream().map(r -> r.dir().toString()).toList());
            gs.add(m);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("group_by", by);
        o.put("std", "sample (n - 1)");
        o.put("groups", gs);
        return o;
    }

    private static Map<String, Object> stat(Stat s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", s.mean());
        m.put("std", Double.isNaN(s.std()) ? null : s.std());
        return m;
    }
}
