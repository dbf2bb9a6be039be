package dev.addernet.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes files so that a reader, or the machine after a crash, sees either the old content or the whole
 * new content, never a torn file: the bytes go to a temporary file in the target's directory, are forced
 * to disk, and the temporary file is then renamed over the target in one atomic step.
 */
public final class AtomicFiles {

    /** Produces a file's content. The stream need not be closed; closing it only flushes. */
    @FunctionalInterface
    public interface IoWriter {
        void write(OutputStream out) throws IOException;
    }

    private static final int BUFFER_BYTES = 1 << 16;
    /** The name {@link #write} gives its temporary file: the target's, hidden, with a random hex suffix. */
    private static final Pattern LEFTOVER = Pattern.compile("\\..+\\.tmp-[0-9a-f]{1,16}");

    private AtomicFiles() {}

    /**
     * Replaces {@code target} with what {@code body} writes, creating missing parent directories. If the
     * body or the write fails, the target is left untouched and no temporary file remains.
     */
    public static void write(Path target, IoWriter body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // Same directory as the target, because a rename is only atomic within one file system.
        Path tmp = dir.resolve("." + absolute.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel channel = FileChannel.open(tmp, CREATE_NEW, WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES) {
                    // The channel must stay open until its bytes are forced to disk below.
                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                };
                body.write(out);
                out.flush();
                // Without this, a crash soon after the rename can leave the new name pointing at no data.
                channel.force(true);
            }
            Files.move(tmp, absolute, ATOMIC_MOVE, REPLACE_EXISTING);
        } catch (Throwable e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory(dir);
    }

    /**
     * Deletes the temporary files that writes into {@code dir} left behind when the process was killed
     * between creating and renaming them ({@code .<name>.tmp-<hex>}), and only those, only in {@code dir}
     * itself; returns their names. Only for a folder no other process is writing to.
     */
    public static List<String> removeLeftovers(Path dir) throws IOException {
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> LEFTOVER.matcher(p.getFileName().toString()).matches())) {
            for (Path f : files) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(f)) removed.add(f.getFileName().toString());
            }
        }
        return removed;
    }

    /** Replaces {@code target} with {@code text} encoded as UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Replaces {@code target} with {@code bytes}. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Appends {@code line} and a newline to {@code target}, creating it if missing. The whole file is
     * rewritten atomically, which suits small logs such as metrics.jsonl: a crash never leaves half a line.
     * Not safe against concurrent appenders, whose lines may be lost.
     */
    public static void appendLine(Path target, String line) throws IOException {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(target + ": a line to append must not contain line breaks");
        }
        byte[] old;
        try {
            old = Files.readAllBytes(target);
        } catch (NoSuchFileException e) {
            old = new byte[0];
        }
        byte[] existing = old;
        // A file cut short by an earlier non-atomic writer must not glue its last line to ours.
        boolean needsBreak = existing.length > 0 && existing[existing.length - 1] != '\n';
        byte[] added = line.getBytes(UTF_8);
        write(target, out -> {
            out.write(existing);
            if (needsBreak) {
                out.write('\n');
            }
            out.write(added);
            out.write('\n');
        });
    }

    // Makes the rename itself durable. Not every platform can open a directory, so this is best effort.
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // The content is complete either way; only durability across a power loss is weaker.
        }
    }
}
