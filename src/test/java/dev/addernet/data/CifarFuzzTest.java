package dev.addernet.data;

import dev.addernet.fuzz.Fuzz;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR-10 and CIFAR-100 binary readers on mutated batch files (see {@link Fuzz}). */
class CifarFuzzTest {
    @TempDir Path tmp;

    @Test
    void mutatedBatchesKeepTheContract() throws Exception {
        List<byte[]> seeds = List.of(CifarFiles.cifar10(3, 9), CifarFiles.cifar100(new int[] {19, 0}, new int[] {99, 5}));
        List<String> ten = CifarBinary.CIFAR10_CLASSES;
        List<String> hundred = java.util.stream.IntStream.range(0, 100).mapToObj(Integer::toString).toList();

        // 1 MiB for the reader's buffer
        Fuzz.check(new Fuzz.Target("cifar", "data_batch_1.bin", seeds, List.of(), 8, 4 << 20, file -> {
            // Both readers on every input; anything but a DataException ends the read at once.
            DataException first = null;
            try {
                CifarBinary.CIFAR10.read("t", List.of(file), ten);
            } catch (DataException e) {
                first = e;
            }
            CifarBinary.CIFAR100.read("t", List.of(file), hundred);
            if (first != null) throw first;
        }), tmp.resolve("fuzz"));
    }
}
