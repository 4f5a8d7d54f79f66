package dev.devtime.local.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http will not send: any Host header, a body shorter
 * than its Content-Length, a request that never ends.
 */
public final class RawHttp {

    public record Answer(int status, Map<String, String> headers, String body) {}

    private RawHttp() {}

    /** Sends {@code request} as is and reads the answer until the server closes the connection. */
    public static Answer exchange(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(15_000);
            // Written beside the read: a server may answer (413) and close before a long body is sent.
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                } catch (IOException closedEarly) {
                    // the answer is read below
                }
            });
            writer.setDaemon(true);
            writer.start();
            try {
                return parse(readAll(s.getInputStream()));
            } finally {
                writer.interrupt();
            }
        }
    }

    /** A whole request closing the connection after its answer. */
    public static String request(String method, String path, String host, String extraHeaders, String body) {
        return method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n" + extraHeaders
                + (body == null
                        ? ""
                        : "Content-Type: application/json\r\nContent-Length: "
                                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
                + "\r\n" + (body == null ? "" : body);
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
