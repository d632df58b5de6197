package org.aioemu.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers of {@code bench sockets} in a process of their own, so that their fds count against
 * that process's open-file limit and not the benchmark's. Started as
 * {@code java -cp ... PeerProcess PORT N}: it connects N sockets to 127.0.0.1:PORT one after the
 * other (so the listener accepts them in that order), prints {@code connected N}, then obeys
 * commands on stdin: {@code write} sends byte {@link LoopbackPairs#expected}(i) on socket i and
 * prints {@code written}; {@code close} (or the end of stdin) closes everything and exits.
 */
public final class PeerProcess {
    private PeerProcess() {}

    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
        List<Socket> sockets = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                s.setTcpNoDelay(true);
                s.connect(to, 10_000);
                sockets.add(s);
            }
            out.println("connected " + n);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String cmd; (cmd = in.readLine()) != null && !cmd.equals("close"); ) {
                if (!cmd.equals("write")) throw new IllegalArgumentException("unknown command: " + cmd);
                for (int i = 0; i < n; i++) sockets.get(i).getOutputStream().write(LoopbackPairs.expected(i));
                out.println("written");
            }
        } catch (IOException | RuntimeException e) {
            out.println("error " + e);
            System.exit(1);
        } finally {
            for (Socket s : sockets) s.close();
        }
    }
}
