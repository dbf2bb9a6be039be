package dev.addernet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {

    record Layer(String kind, int width) {}

    record Config(String name, double lr, List<Layer> layers) {}

    @TempDir
    Path dir;

    @Test
    void recordRoundTripsThroughAFile() throws IOException {
        Config config = new Config("resnet20", 0.1, List.of(new Layer("adder", 16), new Layer("conv", 3)));
        Path file = dir.resolve("config.json");
        Json.write(file, config);

        assertThat(Json.read(file, Config.class)).isEqualTo(config);
        String text = Files.readString(file);
        assertThat(text).contains("\"name\": \"resnet20\"").contains("\n  \"lr\"").endsWith("}\n");
    }

    @Test
    void mapRoundTripsInOrder() throws IOException {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("epoch", 3);
        metrics.put("loss", 0.25);
        metrics.put("tags", List.of("a", "b"));
        String line = Json.toJson(metrics);

        assertThat(line).isEqualTo("{\"epoch\":3,\"loss\":0.25,\"tags\":[\"a\",\"b\"]}");
        assertThat(Json.mapper().readValue(line, Map.class)).isEqualTo(metrics);
    }

    @Test
    void nonFiniteDoublesAreWrittenAsStringsAndReadBack() throws IOException {
        Config diverged = new Config("x", Double.NaN, List.of());
        String json = Json.toJson(diverged);

        assertThat(json).contains("\"lr\":\"NaN\"");
        assertThat(Json.mapper().readValue(json, Config.class).lr()).isNaN();
        assertThat(Json.toJson(Map.of("v", Double.NEGATIVE_INFINITY))).isEqualTo("{\"v\":\"-Infinity\"}");
    }

    @Test
    void readsBareNaNAsWrittenByPython() throws IOException {
        Path file = dir.resolve("py.json");
        Files.writeString(file, "{\"name\": \"x\", \"lr\": NaN, \"layers\": []}");
        assertThat(Json.read(file, Config.class).lr()).isNaN();
    }

    @Test
    void readTreeGivesNodes() throws IOException {
        Path file = dir.resolve("tree.json");
        Files.writeString(file, "{\"a\": [1, 2]}");
        JsonNode tree = Json.readTree(file);
        assertThat(tree.get("a").get(1).asInt()).isEqualTo(2);
    }

    @Test
    void wrongFieldTypeNamesFileAndField() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file,
                "{\"name\": \"x\", \"lr\": 0.1, \"layers\": [{\"kind\": \"adder\", \"width\": \"wide\"}]}");
        assertThatThrownBy(() -> Json.read(file, Config.class))
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith(file + ": field 'layers[0].width': ")
                .hasMessageContaining("line 1");
    }

    @Test
    void unknownFieldIsReported() throws IOException {
        Path file = dir.resolve("typo.json");
        Files.writeString(file, "{\"name\": \"x\", \"lrr\": 0.1, \"layers\": []}");
        assertThatThrownBy(() -> Json.read(file, Config.class))
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith(file + ": field 'lrr': ");
    }

    @Test
    void malformedAndEmptyFilesNameTheFile() throws IOException {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"a\": ");
        assertThatThrownBy(() -> Json.readTree(broken))
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith(broken + ": ");

        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "");
        assertThatThrownBy(() -> Json.readTree(empty))
                .isInstanceOf(FormatException.class)
                .hasMessage(empty + ": file is empty, expected JSON");
    }
}
