package org.aioemu.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.aioemu.cli.TcpLoopback;
import org.aioemu.core.host.HostIo;

/**
 * {@code n} TCP connections on 127.0.0.1: the server ends, where the reads wait, live here; the
 * peers that write either live here too ({@link Placement#LOCAL}) or in a child process
 * ({@link Placement#CHILD}, see {@link PeerProcess}) when this process's open-file limit cannot hold
 * both ends. Connection i is the i-th accepted one; its peer writes byte {@link #expected}(i).
 */
final class LoopbackPairs implements AutoCloseable {
    enum Placement { LOCAL, CHILD }

    private static final int TIMEOUT_MS = 30_000;

    final int[] servers;
    private final int[] clients;   // LOCAL peers
    private final Process child;   // CHILD peers
    private final BufferedReader childOut;
    private final Writer childIn;
    private int made;

    private LoopbackPairs(int n, Process child) {
        servers = new int[n];
        clients = child == null ? new int[n] : null;
        this.child = child;
        this.childOut = child == null ? null : new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        this.childIn = child == null ? null : new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
    }

    static LoopbackPairs connect(TcpLoopback listener, int n, Placement placement) throws Exception {
        LoopbackPairs p = new LoopbackPairs(n, placement == Placement.CHILD ? startChild(listener.port(), n) : null);
        try {
            for (int i = 0; i < n; i++) {
                if (p.child == null) {
                    int[] pair = listener.connectPair();
                    p.clients[i] = pair[0];
                    p.servers[i] = pair[1];
                } else {
                    p.servers[i] = listener.accept(TIMEOUT_MS);
                }
                p.made++;
            }
            if (p.child != null) p.expectFromChild("connected " + n);
            return p;
        } catch (Exception e) {
            p.close();
            throw new IllegalStateException("connection " + (p.made + 1) + " of " + n + ": " + e.getMessage(), e);
        }
    }

    int size() {
        return made;
    }

    Placement placement() {
        return child == null ? Placement.LOCAL : Placement.CHILD;
    }

    /** The program closed server end i itself (a request may still hold the core's own reference). */
    void closedServer(int i) {
        servers[i] = -1;
    }

    /** Every peer writes its one byte. */
    void writeFromPeers() throws IOException {
        if (child != null) {
            childIn.write("write\n");
            childIn.flush();
            expectFromChild("written");
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(1);
            for (int i = 0; i < made; i++) {
                b.set(ValueLayout.JAVA_BYTE, 0, expected(i));
                long rc = HostIo.write(clients[i], b, 1);
                if (rc != 1) throw new IOException("peer write on connection " + i + ": " + rc);
            }
        }
    }

    static byte expected(int i) {
        return (byte) (i * 31 + 7);
    }

    private static Process startChild(int port, int n) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xss256k",
                "-cp", System.getProperty("java.class.path"), PeerProcess.class.getName(),
                Integer.toString(port), Integer.toString(n)))
                .redirectErrorStream(true)
                .start();
    }

    private void expectFromChild(String line) throws IOException {
        String got = childOut.readLine();
        if (!line.equals(got)) throw new IOException("peer process said " + (got == null ? "nothing (it ended)" : "'" + got + "'") + ", not '" + line + "'");
    }

    /**
     * Closes the server ends first, so the TIME_WAIT state stays on the listener's side and the
     * peers' ephemeral ports are free for the next run at once; then the peers.
     */
    @Override
    public void close() {
        for (int i = 0; i < made; i++) if (servers[i] >= 0) HostIo.close(servers[i]);
        if (clients != null) for (int i = 0; i < made; i++) HostIo.close(clients[i]);
        if (child != null) {
            try {
                childIn.write("close\n");
                childIn.close();
                if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
            } catch (IOException | InterruptedException e) {
                child.destroyForcibly();
            }
        }
        made = 0;
    }
}
