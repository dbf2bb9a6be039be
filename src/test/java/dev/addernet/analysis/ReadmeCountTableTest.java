package dev.addernet.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.nn.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every computed cell of the README's count table (parameters, CNN mul, AdderNet mul / add, BNN mul /
 * XNOR) against the counter on the built architectures, so the README and the code cannot drift apart.
 * The last column is the papers' figure, not ours.
 */
class ReadmeCountTableTest {
    static final Path README = Path.of("README.md"); // Maven runs tests in the repository's root
    static final String HEADER = "| model | parameters | CNN mul | AdderNet mul / add | BNN mul / XNOR | paper (CNN mul) |";
    static final Map<String, String> MODELS = Map.of("LeNet-5-BN", "lenet5", "ResNet-20", "resnet20", "ResNet-32", "resnet32",
            "VGG-small", "vgg-small", "ResNet-18", "resnet18", "ResNet-50", "resnet50");

    @Test
    void everyCellIsWhatTheCounterComputes() throws IOException {
        List<String[]> rows = table(Files.readAllLines(README));
        assertThat(rows.stream().map(r -> r[0]).toList()).containsExactlyInAnyOrderElementsOf(MODELS.keySet());
        for (String[] row : rows) {
            String model = MODELS.get(row[0]);
            OpCounter.Count cnn = count(model, "conv"), adder = count(model, "adder"), bnn = count(model, "binary");
            assertThat(number(row[1])).as(row[0] + " parameters").isEqualTo(parameters(model));
            assertThat(number(row[2])).as(row[0] + " CNN mul").isEqualTo(cnn.mul());
            assertThat(pair(row[3])).as(row[0] + " AdderNet mul / add").containsExactly(adder.mul(), adder.add());
            assertThat(pair(row[4])).as(row[0] + " BNN mul / XNOR").containsExactly(bnn.mul(), bnn.xnor());
        }
    }

    /** The table's body rows, split into trimmed cells. */
    static List<String[]> table(List<String> lines) {
        int header = lines.indexOf(HEADER);
        assertThat(header).as("the README's count table, headed " + HEADER).isNotNegative();
        List<String[]> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            for (int c = 0; c < cells.length; c++) cells[c] = cells[c].strip();
            assertThat(cells).as(line).hasSize(6);
            rows.add(cells);
        }
        return rows;
    }

    static long number(String cell) {
        return Long.parseLong(cell.replace(",", ""));
    }

    static long[] pair(String cell) {
        String[] parts = cell.split(" / ");
        assertThat(parts).as(cell).hasSize(2);
        return new long[] {number(parts[0]), number(parts[1])};
    }

    private static OpCounter.Count count(String model, String op) {
        ModelConfig cfg = Models.standard(model, op, null, 0, 0);
        return OpCounter.count(LayerTrace.of(Models.build(cfg, 0), cfg), false);
    }

    private static long parameters(String model) {
        Module net = Models.build(Models.standard(model, "conv", null, 0, 0), 0);
        return net.parameterCount();
    }
}
