package dev.addernet.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Module;
import dev.addernet.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** StateDict.read tells safetensors from torch.save files by what each format guarantees, not by a first byte alone. */
class StateDictFormatTest {
    @TempDir Path tmp;

    static final List<String> MODELS = Models.NAMES;

    @Test
    void aSafetensorsHeaderLengthStartingWith0x80IsNotAPickle() throws Exception {
        // Header length 0x280 = 640: its first byte, 0x80, then 0x02, is also how a protocol-2 pickle starts.
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        byte[] header = (json + " ".repeat(640 - json.length())).getBytes(UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + 640 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(640).put(header).putFloat(1.5f);
        Path file = Files.write(tmp.resolve("w.safetensors"), b.array());

        StateDict dict = StateDict.read(file);

        assertThat(dict.format()).isEqualTo("safetensors");
        assertThat(dict.tensors().get("w").values()).containsExactly(1.5f);
    }

    @ParameterizedTest
    @FieldSource("MODELS")
    void exportThenImportGivesTheSameTensorsForEveryModel(String model) throws Exception {
        ModelConfig cfg = Models.standard(model, "adder", null, 0, 0);
        Module net = Models.build(cfg, 7);
        WeightsFile.Loaded w = new WeightsFile.Loaded(cfg, net, "cifar10", PytorchImport.CIFAR10_CLASSES,
                new float[cfg.inChannels()], new float[cfg.inChannels()]);
        for (boolean referenceNames : new boolean[] {false, true}) {
            Path exported = tmp.resolve(model + "-" + referenceNames + ".safetensors");
            PytorchExport.write(exported, w, referenceNames);

            StateDict dict = StateDict.read(exported);
            Module back = Models.build(cfg, 8);
            PytorchImport.into(exported, dict, back, cfg);

            for (Map.Entry<String, Tensor> e : net.state().entrySet()) {
                // Arrays.mismatch, not containsExactly: AssertJ's diff of millions of floats takes minutes.
                assertThat(Arrays.mismatch(back.state().get(e.getKey()).data, e.getValue().data)).as(model + " " + e.getKey()).isEqualTo(-1);
            }
        }
    }
}
