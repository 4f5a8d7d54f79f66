package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every socket the running stack listens on (the gateway, the sign-in issuer, DynamoDB Local, ElasticMQ)
 * is bound to a loopback address, so nobody else on the network can reach the table or the queue. The
 * listeners are this process's own, read from the kernel (/proc), not from what the components report.
 */
class LoopbackListenersTest {

    @Test
    void everyListenerOfTheStackIsOnLoopback(@TempDir Path dataDir) throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/net/tcp")), "needs Linux's /proc");
        try (LocalDeployment stack = LocalDeployment.start(DeploymentExtension.options(dataDir))) {
            Map<Integer, InetAddress> listeners = listeners();
            for (String endpoint : List.of(
                    stack.baseUrl(),
                    stack.issuer.issuer(),
                    stack.backend.dynamoEndpoint(),
                    stack.backend.sqsEndpoint())) {
                int port = URI.create(endpoint).getPort();
                assertTrue(
                        listeners.containsKey(port), endpoint + " is not among this process's listeners " + listeners);
            }
            listeners.forEach((port, address) -> assertTrue(
                    address.isLoopbackAddress(),
                    "port " + port + " listens on " + address.getHostAddress() + ", not on loopback: " + listeners));
            assertTrue(listeners.size() >= 4, listeners.toString());
        }
    }

    /** This process's listening TCP sockets (IPv4 and IPv6), by port. */
    static Map<Integer, InetAddress> listeners() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // The fd was closed while listing.
                }
            });
        }
        Map<Integer, InetAddress> out = new TreeMap<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line :
                    Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                // f[1] local "ADDR:PORT" in hex, f[3] state (0A = LISTEN), f[9] inode.
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    out.put(Integer.parseInt(local[1], 16), address(local[0]));
                }
            }
        }
        return out;
    }

    /** /proc prints addresses as 32-bit words in host byte order (little-endian on x86 and arm64). */
    static InetAddress address(String hex) throws IOException {
        byte[] addr = new byte[hex.length() / 2];
        for (int i = 0; i < addr.length; i++) {
            int word = i / 4 * 4;
            addr[word + 3 - i % 4] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return InetAddress.getByAddress(addr);
    }

    @Test
    void procAddressesDecode() throws Exception {
        assertEquals("127.0.0.1", address("0100007F").getHostAddress());
        assertEquals("0.0.0.0", address("00000000").getHostAddress());
        assertTrue(address("00000000000000000000000001000000").isLoopbackAddress());
        assertTrue(address("00000000000000000000000000000000").isAnyLocalAddress());
    }
}
