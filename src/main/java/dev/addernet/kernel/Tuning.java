package dev.addernet.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.io.FormatException;
import dev.addernet.io.Json;
import dev.addernet.io.UserCache;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This machine's tuned block widths ({@link Blocking}): a small JSON file, by default
 * {@code $XDG_CACHE_HOME/addernet/tuning.json} (else {@code ~/.cache/addernet/tuning.json}), written by
 * {@code addernet tune} and read once per process. It holds the machine it was tuned on (CPU model, vector
 * width, Java feature release); on another machine it is not used. The system property {@code addernet.tuning}
 * names another file, or is {@code off} for the derived widths only.
 *
 * <p>A file that cannot be used costs a one-line warning naming the file and the field, never a failed
 * command: the derived widths are always there to fall back on.
 */
public final class Tuning {
    public static final String PROPERTY = "addernet.tuning";
    /** The first line of meaning in the file: a format this class reads. */
    static final String FORMAT = "addernet-tuning 1";

    private static volatile Tuning current;

    private final Map<String, Integer> widths;
    private final String status;

    private Tuning(Map<String, Integer> widths, String status) {
        this.widths = widths;
        this.status = status;
    }

    /** The tuning in effect: loaded from {@link #file()} on first use. */
    public static Tuning current() {
        Tuning t = current;
        if (t == null) {
            synchronized (Tuning.class) {
                if (current == null) current = load(file());
                t = current;
            }
        }
        return t;
    }

    /** Reads the file again (after {@code addernet tune} wrote it, or the property changed). */
    public static synchronized void reload() {
        current = load(file());
    }

    /** The file read, or null with {@code addernet.tuning=off}. */
    public static Path file() {
        String property = System.getProperty(PROPERTY);
        if ("off".equals(property)) return null;
        if (property != null && !property.isBlank()) return Path.of(property);
        return UserCache.root().resolve("tuning.json");
    }

    /** The tuned width for a {@link Blocking#key}, or null. */
    Integer columns(String key) {
        return widths.get(key);
    }

    /** Tuned widths in effect. */
    public int size() {
        return widths.size();
    }

    /** One line for {@code bench}: which file, and whether it is used. */
    public String status() {
        return status;
    }

    /** This machine as the tuning file records it: widths tuned on another one are not used here. */
    public static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuName());
        m.put("vector_bits", Microkernels.S.vectorBitSize());
        m.put("java_feature", Runtime.version().feature());
        return m;
    }

    /** The CPU's model name and family/model numbers from /proc/cpuinfo, or os.arch where there is none. */
    static String cpuName() {
        Map<String, String> cpu = CpuInfo.firstProcessor();
        String name = cpu.getOrDefault("model name", System.getProperty("os.arch"));
        return cpu.containsKey("cpu family") ? name + " (family " + cpu.get("cpu family") + " model " + cpu.get("model") + ")" : name;
    }

    /**
     * The file's contents, to write: this machine, how it was tuned, the chosen widths and every trial's seconds.
     * {@code trials} maps a key to {width: seconds}.
     */
    public static Map<String, Object> contents(Map<String, Integer> chosen, Map<String, Map<Integer, Double>> trials, int threads, int batch) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", FORMAT);
        out.put("machine", machine());
        out.put("threads", threads);
        out.put("batch", batch);
        out.put("widths", chosen);
        Map<String, Object> seconds = new LinkedHashMap<>();
        trials.forEach((key, byWidth) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            byWidth.forEach((width, sec) -> row.put(Integer.toString(width), sec));
            seconds.put(key, row);
        });
        out.put("trial_seconds", seconds);
        return out;
    }

    static Tuning load(Path file) {
        if (file == null) return new Tuning(Map.of(), "off (-D" + PROPERTY + "=off): derived widths");
        JsonNode root;
        try {
            root = Json.readTree(file);
        } catch (NoSuchFileException e) {
            return new Tuning(Map.of(), "none (no " + file + "; 'addernet tune' writes one): derived widths");
        } catch (FormatException e) {
            return unusable(file, e.getMessage());
        } catch (IOException e) {
            return unusable(file, file + ": " + e.getMessage());
        }
        if (!root.isObject()) return unusable(file, file + ": expected a JSON object");
        if (!FORMAT.equals(root.path("format").asText(null))) {
            return unusable(file, file + ": field 'format': expected \"" + FORMAT + "\", got " + root.path("format"));
        }
        JsonNode recorded = root.path("machine");
        Map<String, Object> here = machine();
        for (Map.Entry<String, Object> field : here.entrySet()) {
            JsonNode v = recorded.path(field.getKey());
            if (!v.asText("").equals(String.valueOf(field.getValue()))) {
                // Expected after a move to another machine: not a warning, but bench says so.
                return new Tuning(Map.of(), file + " was tuned for " + field.getKey() + " " + v + ", this machine has "
                        + field.getValue() + ": derived widths (run 'addernet tune' here)");
            }
        }
        JsonNode widths = root.path("widths");
        if (!widths.isObject()) return unusable(file, file + ": field 'widths': expected an object of block widths");
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : widths.properties()) {
            Integer w = Blocking.validWidth(e.getValue());
            if (w == null) {
                return unusable(file, file + ": field 'widths." + e.getKey() + "': expected a multiple of " + Blocking.tileColumns()
                        + " in [" + Blocking.tileColumns() + ", " + Blocking.MAX_COLUMNS + "], got " + e.getValue());
            }
            out.put(e.getKey(), w);
        }
        return new Tuning(Map.copyOf(out), file + ": " + out.size() + " tuned widths");
    }

    private static Tuning unusable(Path file, String why) {
        System.err.println("addernet: warning: ignoring the tuning file: " + why + " (derived block widths are used; 'addernet tune' rewrites it)");
        return new Tuning(Map.of(), "unusable (" + why + "): derived widths");
    }
}
