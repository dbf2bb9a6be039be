package dev.addernet.dist;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;

/**
 * Ranks joined in a ring of plain TCP connections, rank r sending to rank r + 1 (mod R). A sum in shard
 * order travels the ring twice: rank 0 folds its contributions and sends the partial sum to rank 1, which
 * adds its own in order and passes it on, and so on; the last rank then holds the total and sends it back
 * around from rank 0. Each rank sends and receives the vector at most twice per sum, whatever R; the
 * latency is 2 (R - 1) hops, which suits the few ranks of a small cluster.
 *
 * <p>Every message carries the caller's tag and its length, checked by the receiver. A rank that dies
 * closes its connections (the operating system does it for a killed process), so its neighbours fail at
 * once; one that hangs is noticed after the read timeout.
 */
public final class TcpRing implements Ranks {
    private static final int MAGIC = 0xADDE_0021;
    private static final long RETRY_MILLIS = 50;

    private final int rank, size;
    private final Socket toNext, fromPrev;
    private final DataOutputStream out;
    private final DataInputStream in;
    private ByteBuffer bytes = ByteBuffer.allocate(0);

    private TcpRing(int rank, int size, Socket toNext, Socket fromPrev) throws IOException {
        this.rank = rank;
        this.size = size;
        this.toNext = toNext;
        this.fromPrev = fromPrev;
        this.out = new DataOutputStream(new BufferedOutputStream(toNext.getOutputStream(), 1 << 16));
        this.in = new DataInputStream(new BufferedInputStream(fromPrev.getInputStream(), 1 << 16));
    }

    /**
     * Joins the ring as {@code rank}: connects to the next rank's address (retrying until it listens) and
     * accepts the previous rank's connection on {@code listener}, which this rank's own address names.
     *
     * @param timeout how long to wait for the other ranks, at the start and then for any one message
     */
    public static TcpRing connect(int rank, List<InetSocketAddress> addresses, ServerSocket listener, Duration timeout) {
        int size = addresses.size();
        if (size < 2 || rank < 0 || rank >= size) throw new IllegalArgumentException("rank " + rank + " of " + size + ": expected 0 <= rank < ranks, ranks >= 2");
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = (rank + 1) % size, prev = (rank + size - 1) % size;
        Socket toNext = null, fromPrev = null;
        try {
            toNext = connectRetrying(addresses.get(next), deadline, "rank " + rank + " of " + size + " could not reach rank " + next);
            toNext.setTcpNoDelay(true);
            DataOutputStream hello = new DataOutputStream(toNext.getOutputStream());
            hello.writeInt(MAGIC);
            hello.writeInt(rank);
            hello.writeInt(size);
            hello.flush();
            listener.setSoTimeout(remainingMillis(deadline));
            try {
                fromPrev = listener.accept();
            } catch (SocketTimeoutException e) {
                throw new RankFailure("rank " + rank + " of " + size + ": rank " + prev + " did not connect within " + timeout.toSeconds() + " s");
            }
            fromPrev.setTcpNoDelay(true);
            fromPrev.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            DataInputStream h = new DataInputStream(fromPrev.getInputStream());
            int magic = h.readInt(), theirRank = h.readInt(), theirSize = h.readInt();
            if (magic != MAGIC || theirRank != prev || theirSize != size) {
                throw new RankFailure(String.format("rank %d of %d: expected rank %d of %d to connect, got %s", rank, size, prev, size,
                        magic != MAGIC ? "something that is not an addernet rank" : "rank " + theirRank + " of " + theirSize));
            }
            return new TcpRing(rank, size, toNext, fromPrev);
        } catch (IOException | RuntimeException e) {
            closeQuietly(toNext);
            closeQuietly(fromPrev);
            if (e instanceof RankFailure f) throw f;
            throw new RankFailure("rank " + rank + " of " + size + ": joining the ring failed: " + e, e);
        }
    }

    static Socket connectRetrying(InetSocketAddress to, long deadline, String failure) throws IOException {
        while (true) {
            Socket s = new Socket();
            try {
                s.connect(to, Math.max(1, remainingMillis(deadline)));
                return s;
            } catch (ConnectException | SocketTimeoutException e) {
                // not listening yet: the ranks start in any order
                s.close();
                if (System.nanoTime() > deadline) throw new RankFailure(failure + " at " + to + ": " + e.getMessage());
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RankFailure(failure + ": interrupted");
                }
            }
        }
    }

    static int remainingMillis(long deadline) {
        return (int) Math.clamp((deadline - System.nanoTime()) / 1_000_000, 1, Integer.MAX_VALUE);
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public float[] sumInShardOrder(List<float[]> mine, long tag) {
        if (mine.isEmpty()) throw new IllegalArgumentException("rank " + rank + " holds no shard: expected at least one per rank");
        int n = mine.get(0).length;
        int last = size - 1;
        float[] acc = Ranks.fold(rank == 0 ? null : receive(tag, n), mine);
        send(acc, tag);
        if (rank == last) return acc;
        // the total, from the last rank (to rank 0) or passed on from rank 0
        float[] total = receive(tag, n);
        if (rank + 1 < last) send(total, tag);
        return total;
    }

    private void send(float[] v, long tag) {
        try {
            out.writeLong(tag);
            out.writeInt(v.length);
            buffer(v.length).asFloatBuffer().put(v);
            out.write(bytes.array(), 0, v.length * Float.BYTES);
            out.flush();
        } catch (IOException e) {
            throw new RankFailure(String.format("rank %d of %d: sending to rank %d failed (%s): that rank died or the connection dropped",
                    rank, size, (rank + 1) % size, e.getMessage()), e);
        }
    }

    private float[] receive(long tag, int n) {
        int prev = (rank + size - 1) % size;
        try {
            long theirTag = in.readLong();
            int length = in.readInt();
            if (theirTag != tag || length != n) {
                throw new RankFailure(String.format("rank %d of %d: rank %d sent %d values for step %d, expected %d values for step %d:"
                        + " the ranks are not training the same run in step", rank, size, prev, length, theirTag, n, tag));
            }
            in.readFully(buffer(n).array(), 0, n * Float.BYTES);
            float[] v = new float[n];
            bytes.asFloatBuffer().get(v);
            return v;
        } catch (EOFException e) {
            throw new RankFailure(String.format("rank %d of %d: rank %d closed its connection: it died or stopped", rank, size, prev), e);
        } catch (SocketTimeoutException e) {
            throw new RankFailure(String.format("rank %d of %d: nothing from rank %d for %d s: it hangs or the network failed",
                    rank, size, prev, timeoutSeconds()), e);
        } catch (IOException e) {
            throw new RankFailure(String.format("rank %d of %d: receiving from rank %d failed (%s): that rank died or the connection dropped",
                    rank, size, prev, e.getMessage()), e);
        }
    }

    private int timeoutSeconds() {
        try {
            return fromPrev.getSoTimeout() / 1000;
        } catch (IOException e) {
            return -1;
        }
    }

    private ByteBuffer buffer(int floats) {
        if (bytes.capacity() < floats * Float.BYTES) bytes = ByteBuffer.allocate(floats * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        return bytes.clear();
    }

    @Override
    public void close() {
        closeQuietly(toNext);
        closeQuietly(fromPrev);
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure: the failure is what gets reported
        }
    }
}
