package dev.addernet.data.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches one file over HTTP(S) into place, all or nothing: it is written to a temporary file beside
 * the target, its MD5 checked, and only then renamed, so an interrupted or corrupt download never
 * looks like a complete dataset file.
 */
final class Download {

    /** Short, so that a machine without network fails fast with the install hint. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private Download() {}

    /**
     * Downloads {@code url} to {@code target}, printing progress to stderr.
     *
     * @param md5 expected lowercase hex MD5 of the content
     * @throws IOException on network failure, a non-200 status or a checksum mismatch
     */
    static void fetch(URI url, Path target, String md5) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName() + ".", ".part");
        try (HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build()) {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = MessageDigest.getInstance("MD5");
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(temp)) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP status " + response.statusCode());
                }
                long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                copy(in, out, digest, url, total);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(md5)) {
                throw new IOException("MD5 checksum " + actual + ", expected " + md5);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download interrupted");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides MD5", e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void copy(InputStream in, OutputStream out, MessageDigest digest, URI url, long total)
            throws IOException {
        byte[] buffer = new byte[1 << 16];
        long done = 0;
        long shown = -1;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            digest.update(buffer, 0, n);
            done += n;
            // a line rewritten in place, updated every 5% (or every 4 MB when the size is unknown)
            long step = total > 0 ? done * 20 / total : done >> 22;
            if (step != shown) {
                shown = step;
                System.err.print("\rdownloading " + url + ": " + megabytes(done)
                        + (total > 0 ? " of " + megabytes(total) + " MB (" + done * 100 / total + "%)" : " MB"));
            }
        }
        System.err.println();
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f", bytes / 1e6);
    }

    /** The exception's type and the first message along its causes (a ConnectException often has none). */
    static String describe(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return e.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
