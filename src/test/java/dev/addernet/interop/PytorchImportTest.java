package dev.addernet.interop;

import dev.addernet.data.Normalization;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.addernet.io.FormatException;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.Module;
import dev.addernet.nn.Parameter;
import dev.addernet.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference state dicts into our ResNet-20: name mapping, and every way a state dict can fail to fit. */
class PytorchImportTest {
    @TempDir Path tmp;
    static final ModelConfig CFG = Models.config("resnet20", "adder", 3, 32, 10, null);

    /** A ResNet-20's state under the reference's names, as DataParallel saves it, with num_batches_tracked. */
    static Map<String, TorchFiles.View> referenceState(Module net) {
        Map<String, Parameter> params = net.parameters();
        Map<String, TorchFiles.View> out = new LinkedHashMap<>();
        net.state().forEach((name, t) -> {
            Parameter p = params.get(name);
            out.put("module." + ReferenceNames.toReference(name, p != null && p.isAdder()), TorchFiles.floats(t.shape(), t.data));
            String tracked = ReferenceNames.batchesTrackedBeside(name);
            if (tracked != null) out.put("module." + tracked, TorchFiles.scalarLong(7));
        });
        return out;
    }

    static Module randomResNet(long seed) {
        Module net = Models.build(CFG, seed);
        // Non-trivial BatchNorm statistics, so a mix-up between them would show.
        net.state().forEach((name, t) -> {
            if (name.endsWith("running_mean") || name.endsWith("running_var")) {
                for (int i = 0; i < t.data.length; i++) t.data[i] = 1 + (seed + i) % 5;
            }
        });
        return net;
    }

    static void assertSameState(Module a, Module b) {
        Map<String, Tensor> sb = b.state();
        a.state().forEach((name, t) -> assertThat(sb.get(name).data).as(name).containsExactly(t.data));
    }

    @Test
    void importsAResNetSavedByTheReference() throws Exception {
        Module original = randomResNet(1);
        Path pth = TorchFiles.legacy(tmp.resolve("r.pth"), referenceState(original));
        Module imported = Models.build(CFG, 2);
        assertThat(PytorchImport.into(pth, StateDict.read(pth), imported, CFG)).isEqualTo(original.state().size());
        assertSameState(original, imported);
        assertThat(ReferenceNames.toOurs("module.layer1.0.conv1.adder")).isEqualTo("layer1.0.conv1.weight");
        assertThat(ReferenceNames.toOurs("layer2.0.downsample.0.adder")).isEqualTo("layer2.0.downsample.0.weight");
        assertThat(ReferenceNames.toOurs("module.bn1.num_batches_tracked")).isNull();
    }

    @Test
    void aMissingKeyIsNamed() throws Exception {
        Map<String, TorchFiles.View> state = referenceState(randomResNet(1));
        state.remove("module.layer3.1.conv2.adder");
        Path pth = TorchFiles.zip(tmp.resolve("missing.pth"), state);
        assertThatThrownBy(() -> PytorchImport.into(pth, StateDict.read(pth), Models.build(CFG, 0), CFG))
                .isInstanceOf(FormatException.class)
                .hasMessage(pth + ": missing key 'layer3.1.conv2.adder': resnet20 (op adder, first/last full) needs it");
    }

    @Test
    void anUnexpectedKeyIsNamed() throws Exception {
        Map<String, TorchFiles.View> state = referenceState(randomResNet(1));
        state.put("module.layer4.0.conv1.adder", TorchFiles.floats(new int[] {1}, new float[] {0}));
        Path pth = TorchFiles.legacy(tmp.resolve("extra.pth"), state);
        assertThatThrownBy(() -> PytorchImport.into(pth, StateDict.read(pth), Models.build(CFG, 0), CFG))
                .hasMessage(pth + ": unexpected key 'module.layer4.0.conv1.adder' (our name 'layer4.0.conv1.weight'): "
                        + "resnet20 (op adder, first/last full) has no such tensor");
    }

    @Test
    void aShapeMismatchIsNamed() throws Exception {
        Map<String, TorchFiles.View> state = referenceState(randomResNet(1));
        state.put("module.fc.weight", TorchFiles.floats(new int[] {100, 64, 1, 1}, new float[6400])); // a CIFAR-100 head
        Path pth = TorchFiles.legacy(tmp.resolve("shape.pth"), state);
        assertThatThrownBy(() -> PytorchImport.into(pth, StateDict.read(pth), Models.build(CFG, 0), CFG))
                .hasMessage(pth + ": key 'module.fc.weight' (our name 'fc.weight') has shape [100, 64, 1, 1], "
                        + "resnet20 (op adder, first/last full) expects [10, 64, 1, 1]");
    }

    @Test
    void adderFiltersDoNotLoadIntoAConvolution() throws Exception {
        Path pth = TorchFiles.legacy(tmp.resolve("adder.pth"), referenceState(randomResNet(1)));
        ModelConfig cnn = Models.config("resnet20", "conv", 3, 32, 10, null);
        assertThatThrownBy(() -> PytorchImport.into(pth, StateDict.read(pth), Models.build(cnn, 0), cnn))
                .hasMessageContaining("key 'module.layer1.0.conv1.adder' holds adder filters, but 'layer1.0.conv1' of resnet20 (op conv, first/last full) is not an adder layer");
    }

    @Test
    void exportThenImportGivesBackTheSameTensors() throws Exception {
        Module original = randomResNet(3);
        original.train(false);
        Path weights = tmp.resolve("w.safetensors");
        WeightsFile.save(weights, original, CFG, "cifar10", PytorchImport.CIFAR10_CLASSES, Normalization.CIFAR.mean(), Normalization.CIFAR.std());
        WeightsFile.Loaded loaded = WeightsFile.load(weights);
        for (boolean reference : new boolean[] {true, false}) {
            Path exported = tmp.resolve("export-" + reference + ".safetensors");
            int written = PytorchExport.write(exported, loaded, reference);
            StateDict dict = StateDict.read(exported);
            assertThat(dict.format()).isEqualTo("safetensors");
            if (reference) {
                assertThat(written).isEqualTo(original.state().size() + 22); // 22 BatchNorms: bn1, two per block, two shortcuts, bn2
                assertThat(dict.tensors()).containsKeys("conv1.weight", "layer1.0.conv1.adder", "layer2.0.downsample.0.adder",
                        "bn1.num_batches_tracked", "layer3.0.downsample.1.num_batches_tracked", "fc.weight");
                assertThat(dict.tensors().get("bn1.num_batches_tracked").dtype()).isEqualTo("I64");
                assertThat(dict.tensors().keySet()).noneMatch(k -> k.startsWith("module.") || k.endsWith("conv1.weight") && k.startsWith("layer"));
            } else {
                assertThat(dict.tensors().keySet()).containsExactlyElementsOf(original.state().keySet());
            }
            ModelConfig saved = dev.addernet.models.WeightsFile.config(exported, dict.metadata(), PytorchExport.CONFIG);
            assertThat(saved).isEqualTo(CFG);
            Module back = Models.build(saved, 9);
            PytorchImport.into(exported, dict, back, saved);
            assertSameState(original, back);
        }
    }
}
