package io.dmjava.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out loopback TCP ports for servers the harness is about to start.
 *
 * <p>Ports are drawn at random from {@value #LOW}..{@value #HIGH}, below Linux's default ephemeral
 * range (32768+), so that outgoing client connections made by the tests themselves cannot grab a port
 * between its allocation and the server binding it. A port is never handed out twice in one JVM
 * (a restarted server must find its port still free), and concurrently running JVMs coordinate through
 * the {@link ProcessRegistry}'s port locks.
 */
public final class FreePorts {

    static final int LOW = 20000;
    static final int HIGH = 32000;
    private static final int MAX_ATTEMPTS = 2000;

    private FreePorts() {
    }

    /** A port on 127.0.0.1 that is free right now and was not returned before in this JVM. */
    public static int allocate() {
        ProcessRegistry registry = ProcessRegistry.get();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int port = random.nextInt(LOW, HIGH);
            if (canBind(port) && registry.reservePort(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 in " + LOW + ".." + HIGH + " after "
                + MAX_ATTEMPTS + " attempts");
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Servers set SO_REUSEADDR too, so a port held only by TIME_WAIT sockets is usable for them.
            socket.setReuseAddress(true);
            // A literal IPv4 address: the servers bind 127.0.0.1, while getLoopbackAddress() may be ::1.
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
