package dev.addernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.io.Json;
import dev.addernet.models.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The inputs and output shared by the plot commands: trained networks given as run folders
 * ({@code --run}, its {@code model.safetensors}) or weights files ({@code --weights}), each a panel
 * labelled by its folder's name, and the PNG path whose JSON twin holds the numbers.
 */
final class PlotInputs {
    @Option(names = "--run", description = "A run folder written by train (repeatable: one panel each).") List<Path> runs = new ArrayList<>();
    @Option(names = "--weights", description = "A weights file (repeatable).") List<Path> weights = new ArrayList<>();
    @Option(names = "--out", description = "The PNG to write; the numbers go to the same name with .json.") Path out;

    /** One trained network: its label, its weights file, and the run folder's config.json seed when there is one. */
    record Network(String label, Path weightsFile, Long seed) {
        WeightsFile.Loaded load() throws IOException {
            return WeightsFile.load(weightsFile);
        }
    }

    List<Network> networks(String figure) throws IOException {
        if (runs.isEmpty() && weights.isEmpty()) throw new IllegalArgumentException("plot " + figure + " needs --run DIR or --weights FILE");
        List<Network> out = new ArrayList<>();
        for (Path dir : runs) {
            if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": no such run folder");
            Path w = dir.resolve("model.safetensors"), config = dir.resolve("config.json");
            if (!Files.isRegularFile(w)) throw new IllegalArgumentException(w + ": missing; not a trained run folder (train writes it after its first epoch)");
            Long seed = null;
            if (Files.isRegularFile(config)) {
                JsonNode s = Json.readTree(config).path("config").path("seed");
                if (s.isIntegralNumber()) seed = s.asLong();
            }
            out.add(new Network(name(dir), w, seed));
        }
        for (Path w : weights) {
            if (!Files.isRegularFile(w)) throw new IllegalArgumentException(w + ": no such weights file");
            Path parent = w.toAbsolutePath().normalize().getParent();
            String label = w.getFileName().toString().equals("model.safetensors") && parent != null ? name(parent)
                    : w.getFileName().toString().replaceFirst("\\.safetensors$", "");
            out.add(new Network(label, w, null));
        }
        return out;
    }

    Path png(String figure) throws IOException {
        Path p = out != null ? out : Path.of("runs", "plot-" + figure + ".png");
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        return p;
    }

    static Path json(Path png) {
        String name = png.getFileName().toString();
        return png.resolveSibling((name.endsWith(".png") ? name.substring(0, name.length() - 4) : name) + ".json");
    }

    private static String name(Path dir) {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? dir.toString() : n.toString();
    }
}
