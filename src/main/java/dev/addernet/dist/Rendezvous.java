package dev.addernet.dist;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How ranks find each other before they join the {@link TcpRing}: from torchrun's environment variables,
 * or as threads of this JVM. (The Spark launcher exchanges the addresses through its barrier instead.)
 */
public final class Rendezvous {
    private static final int MAGIC = 0xADDE_0022;

    private Rendezvous() {}

    /** What a rank does once it has joined its ranks. */
    public interface RankBody {
        void run(Ranks ranks) throws Exception;
    }

    /**
     * This process as one rank of a run started by a launcher such as torchrun: {@code RANK} of
     * {@code WORLD_SIZE}, rank 0 listening at {@code MASTER_ADDR:MASTER_PORT}, where every other rank reports
     * the port of its own listener and learns everyone's address.
     */
    public static TcpRing fromEnvironment(Map<String, String> env, int ranks, Duration timeout) {
        int size = intVar(env, "WORLD_SIZE", 1), rank = intVar(env, "RANK", 0);
        if (size != ranks) throw new IllegalArgumentException("WORLD_SIZE is " + size + " but --data-parallel is " + ranks + ": expected the same number of ranks");
        if (rank >= size) throw new IllegalArgumentException("RANK must be below WORLD_SIZE (" + size + "), got " + rank);
        String host = env.get("MASTER_ADDR");
        if (host == null || host.isBlank()) throw new IllegalArgumentException("MASTER_ADDR must name rank 0's host, got nothing");
        int port = intVar(env, "MASTER_PORT", 1);
        if (port > 65535) throw new IllegalArgumentException("MASTER_PORT must be a TCP port from 1 to 65535, got " + port);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (rank == 0) {
                ServerSocket master = new ServerSocket(port);
                try {
                    InetSocketAddress[] addresses = new InetSocketAddress[size];
                    addresses[0] = new InetSocketAddress(host, port);
                    List<Socket> others = new ArrayList<>();
                    try {
                        for (int i = 1; i < size; i++) {
                            master.setSoTimeout(TcpRing.remainingMillis(deadline));
                            Socket s;
                            try {
                                s = master.accept();
                            } catch (SocketTimeoutException e) {
                                throw new RankFailure("rank 0 of " + size + ": only " + (i - 1) + " of the other " + (size - 1)
                                        + " ranks reported at port " + port + " within " + timeout.toSeconds() + " s");
                            }
                            others.add(s);
                            DataInputStream in = new DataInputStream(s.getInputStream());
                            int magic = in.readInt(), r = in.readInt(), theirPort = in.readInt();
                            if (magic != MAGIC || r <= 0 || r >= size || addresses[r] != null) {
                                throw new RankFailure("rank 0 of " + size + ": " + (magic != MAGIC ? "something that is not an addernet rank"
                                        : "rank " + r) + " reported at port " + port + ": expected each of ranks 1 to " + (size - 1) + " once");
                            }
                            addresses[r] = new InetSocketAddress(s.getInetAddress(), theirPort);
                        }
                        for (Socket s : others) {
                            DataOutputStream out = new DataOutputStream(s.getOutputStream());
                            for (InetSocketAddress a : addresses) {
                                out.writeUTF(a.getHostString());
                                out.writeInt(a.getPort());
                            }
                            out.flush();
                        }
                    } finally {
                        others.forEach(TcpRing::closeQuietly);
                    }
                    return TcpRing.connect(0, Arrays.asList(addresses), master, remaining(deadline));
                } finally {
                    master.close();
                }
            }
            try (ServerSocket mine = new ServerSocket(0); Socket s = TcpRing.connectRetrying(new InetSocketAddress(host, port), deadline,
                    "rank " + rank + " of " + size + " could not reach rank 0 (MASTER_ADDR:MASTER_PORT)")) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(MAGIC);
                out.writeInt(rank);
                out.writeInt(mine.getLocalPort());
                out.flush();
                s.setSoTimeout(TcpRing.remainingMillis(deadline));
                DataInputStream in = new DataInputStream(s.getInputStream());
                List<InetSocketAddress> addresses = new ArrayList<>();
                for (int i = 0; i < size; i++) addresses.add(new InetSocketAddress(in.readUTF(), in.readInt()));
                return TcpRing.connect(rank, addresses, mine, remaining(deadline));
            }
        } catch (IOException e) {
            throw new RankFailure("rank " + rank + " of " + size + ": meeting the other ranks at " + host + ":" + port + " failed: " + e, e);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofMillis(TcpRing.remainingMillis(deadline));
    }

    private static int intVar(Map<String, String> env, String name, int min) {
        String v = env.get(name);
        try {
            int x = Integer.parseInt(v == null ? "" : v.strip());
            if (x >= min) return x;
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw new IllegalArgumentException(name + " must be an integer of at least " + min + ", got " + (v == null ? "nothing" : "'" + v + "'"));
    }

    /**
     * Runs {@code ranks} ranks as threads of this JVM, joined over loopback TCP (one rank: no ring), and
     * returns when all are done. If any failed, throws the failure that started it: a rank's own error
     * rather than the dropped connections it left its neighbours.
     */
    public static void inThreads(int ranks, Duration timeout, RankBody body) throws Exception {
        if (ranks == 1) {
            body.run(Ranks.solo());
            return;
        }
        List<ServerSocket> listeners = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        try {
            for (int r = 0; r < ranks; r++) {
                ServerSocket l = new ServerSocket(0, ranks, InetAddress.getLoopbackAddress());
                listeners.add(l);
                addresses.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), l.getLocalPort()));
            }
            Exception[] failures = new Exception[ranks];
            long[] failedAt = new long[ranks];
            List<Thread> threads = new ArrayList<>();
            for (int r = 0; r < ranks; r++) {
                int rank = r;
                threads.add(Thread.ofPlatform().name("addernet-rank-" + r).start(() -> {
                    TcpRing ring = null;
                    try {
                        ring = TcpRing.connect(rank, addresses, listeners.get(rank), timeout);
                        body.run(ring);
                    } catch (Exception e) {
                        // the time before the connections close, which is what makes the others fail
                        failedAt[rank] = System.nanoTime();
                        failures[rank] = e;
                    } finally {
                        TcpRing.closeQuietly(ring);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            // a rank's own error first, else the earliest failure: the others are the dropped connections that followed
            Exception first = null;
            long at = 0;
            for (int r = 0; r < ranks; r++) {
                Exception e = failures[r];
                if (e == null) continue;
                boolean better = first == null || (first instanceof RankFailure && !(e instanceof RankFailure))
                        || (first instanceof RankFailure == e instanceof RankFailure && failedAt[r] < at);
                if (better) {
                    first = e;
                    at = failedAt[r];
                }
            }
            if (first != null) throw first;
        } finally {
            listeners.forEach(TcpRing::closeQuietly);
        }
    }
}
