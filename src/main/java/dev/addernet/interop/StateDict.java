package dev.addernet.interop;

import dev.addernet.io.FormatException;
import dev.addernet.io.SafeTensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PyTorch state dict as read from a file: tensors under the file's own names, in file order.
 *
 * @param format   what the file was, for messages (e.g. {@code PyTorch legacy format})
 * @param tensors  the tensors by name
 * @param metadata a safetensors file's {@code __metadata__}; empty for a {@code .pth}
 */
public record StateDict(String format, Map<String, StateTensor> tensors, Map<String, String> metadata) {

    /**
     * Reads a {@code torch.save} checkpoint (legacy or zip format) or a safetensors file (as written by
     * {@code export --pytorch-names} or by safetensors' {@code save_file(model.state_dict())}).
     */
    public static StateDict read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such file");
        byte[] head = new byte[9];
        try (InputStream in = Files.newInputStream(file)) {
            head = Arrays.copyOf(head, in.readNBytes(head, 0, head.length));
        }
        // safetensors first, by the stronger guarantee: a header length that fits in the file, then '{'. A
        // legacy pickle's first byte (0x80) can also be the low byte of a header length; its 9th byte is
        // inside the magic number, never '{'.
        if (isSafeTensors(head, Files.size(file))) return readSafeTensors(file);
        if (TorchCheckpoint.isZip(head) || TorchCheckpoint.isLegacy(head)) return TorchCheckpoint.read(file);
        throw new FormatException(file, "not a PyTorch checkpoint (.pth: zip archive or legacy pickle) nor a safetensors file");
    }

    static boolean isSafeTensors(byte[] head, long fileSize) {
        if (head.length < 9 || head[8] != '{') return false;
        long headerLength = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return headerLength > 0 && headerLength <= fileSize - 8;
    }

    private static StateDict readSafeTensors(Path file) throws IOException {
        SafeTensors st = SafeTensors.read(file);
        Map<String, StateTensor> tensors = new LinkedHashMap<>();
        for (String name : st.names()) tensors.put(name, new StateTensor(st.shape(name), st.floats(name), st.dtype(name)));
        return new StateDict("safetensors", tensors, st.metadata());
    }
}
