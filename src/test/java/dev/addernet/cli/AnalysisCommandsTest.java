package dev.addernet.cli;

import static dev.addernet.cli.CliErrorsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.io.Json;
import org.junit.jupiter.api.Test;

/** {@code summary} and {@code count} through the command line. */
class AnalysisCommandsTest {

    private static JsonNode json(String... args) throws Exception {
        CliRun r = run(args);
        assertThat(r.code()).as(r.err()).isZero();
        return Json.mapper().readTree(r.out());
    }

    @Test
    void summaryJsonListsLayersWithShapesAndParameters() throws Exception {
        JsonNode s = json("summary", "--model", "resnet20", "--op", "adder", "--json");
        assertThat(s.get("model").asText()).isEqualTo("resnet20");
        assertThat(s.get("op").asText()).isEqualTo("adder");
        assertThat(s.get("parameters").asLong()).isEqualTo(272_484L);
        JsonNode layers = s.get("layers");
        assertThat(layers.get(0).get("name").asText()).isEqualTo("conv1");
        assertThat(layers.get(0).get("op").asText()).isEqualTo("conv");
        assertThat(layers.get(0).get("output_shape").toString()).isEqualTo("[1,16,32,32]");
        assertThat(layers.get(0).get("parameters").asLong()).isEqualTo(432);
        long sum = 0;
        boolean sawAdder = false;
        for (JsonNode l : layers) {
            sum += l.get("parameters").asLong();
            sawAdder |= l.get("op").asText().equals("adder");
            if (l.get("name").asText().equals("layer3.2.conv2")) assertThat(l.get("output_shape").toString()).isEqualTo("[1,64,8,8]");
        }
        assertThat(sawAdder).isTrue();
        assertThat(sum).as("layer parameters add up to the total").isEqualTo(272_484L);
        JsonNode logitsBn = layers.get(layers.size() - 2), last = layers.get(layers.size() - 1);
        assertThat(logitsBn.get("name").asText()).isEqualTo("bn2");
        assertThat(logitsBn.get("output_shape").toString()).isEqualTo("[1,10,1,1]");
        assertThat(last.get("name").asText()).isEqualTo("flatten");
        assertThat(last.get("output_shape").toString()).isEqualTo("[1,10]");
    }

    @Test
    void summaryTableAndNumClasses() {
        CliRun r = run("summary", "--model", "vgg-small", "--op", "binary", "--num-classes", "100");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("BinConv2d(128->128", "[1, 100]", "total parameters:");
    }

    @Test
    void countJson() throws Exception {
        JsonNode c = json("count", "--model", "resnet20", "--op", "binary", "--json");
        assertThat(c.get("total").get("mul").asLong()).isEqualTo(443_008L);
        assertThat(c.get("total").get("xnor").asLong()).isEqualTo(40_370_176L);
        assertThat(c.get("total").get("add").isIntegralNumber()).isTrue();
        JsonNode first = c.get("layers").get(0);
        assertThat(first.get("name").asText()).isEqualTo("conv1");
        assertThat(first.get("mul").asLong()).isEqualTo(442_368L);
        assertThat(c.get("latency_cycles").asLong()).isEqualTo(4 * 443_008L + 2 * 40_813_184L + 40_370_176L);
        // One key per precision: mul x mul pJ + add x add pJ + XNOR x 0.03 pJ, to a tenth of a pJ.
        JsonNode energy = c.get("energy_pj");
        assertThat(energy.fieldNames()).toIterable().containsExactly("fp32", "int32", "int8");
        assertThat(energy.get("fp32").decimalValue()).isEqualByComparingTo("39582100.5");  // 443,008 x 3.7 + 40,813,184 x 0.9 + 40,370,176 x 0.03
        assertThat(energy.get("int32").decimalValue()).isEqualByComparingTo("6665748.5");  // x 3.1, x 0.1, x 0.03
        assertThat(energy.get("int8").decimalValue()).isEqualByComparingTo("2524102.4");   // x 0.2, x 0.03, x 0.03
        assertThat(c.get("energy_source").asText()).contains("Horowitz", "ISSCC 2014");
        assertThat(c.get("xnor_costing").asText()).contains("INT8");

        JsonNode omitted = json("count", "--model", "resnet20", "--op", "adder", "--omit-first-last", "--json");
        assertThat(omitted.get("total").get("mul").asLong()).isZero();
        assertThat(omitted.get("total").get("add").asLong()).isEqualTo(80_740_352L);
    }

    @Test
    void countTextStatesItsSources() {
        CliRun r = run("count", "--model", "lenet5", "--op", "adder");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("833,040", "1,666,080 cycles", "Horowitz", "XNOR");
    }

    @Test
    void badOptionsAreOneErrorLine() {
        CliErrorsTest.assertOneErrorLine(run("count", "--model", "resnet99", "--op", "adder"), "resnet99");
        CliErrorsTest.assertOneErrorLine(run("summary", "--model", "resnet20", "--op", "ternary"), "ternary");
        CliErrorsTest.assertOneErrorLine(run("count", "--op", "adder"), "--model");
    }
}
