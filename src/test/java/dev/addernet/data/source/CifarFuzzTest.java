package dev.addernet.data.source;

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
        // A file of whole CIFAR-10 records goes to that reader, any other to the CIFAR-100 one (which refuses
        // what is not whole records of its own), so that both can accept.
        Fuzz.check(new Fuzz.Target("cifar", "data_batch_1.bin", seeds, List.of(), 8, 4 << 20, file -> {
            long size = java.nio.file.Files.size(file);
            if (size > 0 && size % CifarBinary.CIFAR10.recordSize() == 0) CifarBinary.CIFAR10.read("t", List.of(file), ten);
            else CifarBinary.CIFAR100.read("t", List.of(file), hundred);
        }), tmp.resolve("fuzz"));
    }
}
