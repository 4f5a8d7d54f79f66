package dev.devtime.local.gateway;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Host header values a local server answers: loopback names and addresses ({@code localhost},
 * {@code *.localhost}, {@code 127.x.x.x}, {@code [::1]}) with any port, and the hosts the user names. It
 * defeats DNS rebinding, as Jupyter's and Vite's dev server do: a web page whose DNS name is made to point
 * at 127.0.0.1 reaches the server, but its requests carry that page's name in the Host header.
 */
public final class HostAllowList {

    private final Set<String> extra = ConcurrentHashMap.newKeySet();

    /** Allows {@code host} (a name or an address, without a port); wildcard bind addresses add nothing. */
    public HostAllowList allow(String host) {
        String h = bare(host);
        if (!h.isEmpty() && !h.equals("0.0.0.0") && !h.equals("::")) {
            extra.add(h);
        }
        return this;
    }

    /** @param hostHeader the request's Host header, port included; null when the request had none */
    public boolean allows(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String h = bare(hostHeader.trim());
        return isLoopback(h) || extra.contains(h);
    }

    /** Lower case, without the port and the brackets of an IPv6 literal. */
    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        // One colon: name:port. More: a bare IPv6 address (as given to allow()).
        if (colon >= 0 && colon == h.lastIndexOf(':')) {
            h = h.substring(0, colon);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean isLoopback(String h) {
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || isLoopbackV4(h);
    }

    private static boolean isLoopbackV4(String h) {
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
