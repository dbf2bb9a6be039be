package dev.addernet.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.io.FormatException;
import dev.addernet.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code report} and {@code plot curves} read from a training run folder: {@code summary.json},
 * {@code config.json} and {@code metrics.jsonl}. Read as JSON trees, so keys added later (a distillation
 * run's {@code teacher}, new config fields) are ignored, and keys that are missing are named in the error.
 *
 * <p>{@code config} is config.json's {@code config} object as written, for telling apart runs that
 * share a group but not their settings.
 *
 * <p>The method: {@code summary.json}'s {@code method} (the method's name, e.g. {@code lp}), else the
 * {@code name} of {@code config.json}'s {@code method} settings (or the field itself if it is a string);
 * folders written before methods were recorded are {@code lp} when the config has an Lp schedule
 * ({@code lpStart}, {@code lpEnd} or {@code lpEpochs} non-null), else {@code plain}.
 */
public record RunRecord(Path dir, String model, String op, String method, String dataset, long seed, boolean complete,
                        double finalTestAcc, double bestTestAcc, List<Epoch> epochs, JsonNode config) {

    /** One line of metrics.jsonl; {@code testLoss} is NaN where the line has none. */
    public record Epoch(int epoch, double trainLoss, double trainAcc, double testAcc, double testLoss, double seconds) {}

    public static RunRecord read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": no such run folder");
        Path summaryFile = dir.resolve("summary.json"), configFile = dir.resolve("config.json"), metricsFile = dir.resolve("metrics.jsonl");
        for (Path f : List.of(summaryFile, configFile, metricsFile)) {
            if (!Files.isRegularFile(f)) throw new IllegalArgumentException(f + ": missing; not a training run folder (train writes it)");
        }
        JsonNode summary = Json.readTree(summaryFile), root = Json.readTree(configFile);
        if (!root.path("config").isObject()) throw new FormatException(configFile, "no \"config\" object");
        JsonNode config;
        try {
            config = Json.snakeCaseKeys(root.get("config")); // older folders' keys are camelCase
        } catch (IllegalArgumentException e) {
            throw new FormatException(configFile, e.getMessage());
        }
        String method = text(summary, "method", null);
        JsonNode settings = config.path("method");
        if (method == null && settings.isTextual()) method = settings.asText();
        if (method == null && settings.isObject() && settings.path("name").isTextual()) method = settings.get("name").asText();
        if (method == null) {
            boolean lp = !config.path("lp_start").isNull() && !config.path("lp_start").isMissingNode()
                    || !config.path("lp_end").isNull() && !config.path("lp_end").isMissingNode()
                    || !config.path("lp_epochs").isNull() && !config.path("lp_epochs").isMissingNode();
            method = lp ? "lp" : "plain";
        }
        return new RunRecord(dir,
                required(summaryFile, summary, "model").asText(),
                required(summaryFile, summary, "op").asText(),
                method,
                required(summaryFile, summary, "dataset").asText(),
                required(configFile, config, "seed").asLong(),
                summary.path("complete").asBoolean(false),
                number(summaryFile, summary, "final_test_acc"),
                number(summaryFile, summary, "best_test_acc"),
                epochs(metricsFile),
                config);
    }

    /** Mean seconds of the recorded epochs (NaN with none). */
    public double secondsPerEpoch() {
        return epochs.stream().mapToDouble(Epoch::seconds).average().orElse(Double.NaN);
    }

    /** How the run is labelled in charts: its folder's name. */
    public String label() {
        return dir.toAbsolutePath().normalize().getFileName().toString();
    }

    private static List<Epoch> epochs(Path file) throws IOException {
        List<Epoch> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            JsonNode e;
            try {
                e = Json.mapper().readTree(lines.get(i));
            } catch (IOException ex) {
                throw new FormatException(file, "line " + (i + 1) + " is not JSON");
            }
            Path where = Path.of(file + " line " + (i + 1));
            out.add(new Epoch(required(where, e, "epoch").asInt(), number(where, e, "train_loss"), number(where, e, "train_acc"),
                    number(where, e, "test_acc"), e.has("test_loss") ? e.get("test_loss").asDouble() : Double.NaN,
                    number(where, e, "seconds")));
        }
        if (out.isEmpty()) throw new FormatException(file, "no epoch recorded");
        return out;
    }

    private static JsonNode required(Path file, JsonNode node, String key) throws FormatException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) throw new FormatException(file, "missing \"" + key + "\"");
        return v;
    }

    /** A number; Json writes NaN as the string "NaN", which is read back as NaN. */
    private static double number(Path file, JsonNode node, String key) throws FormatException {
        JsonNode v = required(file, node, key);
        if (v.isNumber()) return v.asDouble();
        if (v.isTextual() && v.asText().matches("NaN|-?Infinity")) return Double.parseDouble(v.asText());
        throw new FormatException(file, "\"" + key + "\" is " + v + ", expected a number");
    }

    private static String text(JsonNode node, String key, String otherwise) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? otherwise : v.asText();
    }
}
