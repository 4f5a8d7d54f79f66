package dev.devtime.functions.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Items are billed per KB: the JSON of heartbeats and rollups repeats itself and gzip takes that out. */
public final class Gzip {

    private Gzip() {}

    public static byte[] compress(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 3 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] decompress(byte[] compressed) {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return gz.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
