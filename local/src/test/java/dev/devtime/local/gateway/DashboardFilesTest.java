package dev.devtime.local.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboard the jar serves is exactly the built {@code web/dist}: the build's file names are hashed, so a file
 * of an earlier build left in the classes folder would be shipped in the jar for nothing.
 */
class DashboardFilesTest {

    @Test
    void theServedFolderHoldsTheBuiltDashboardAndNothingElse() throws IOException, URISyntaxException {
        Path dist = Paths.get("..", "web", "dist");
        assumeTrue(Files.isDirectory(dist), "the dashboard is not built (web/dist), so there is nothing to compare");
        URL index = StaticSite.class.getResource("/web/index.html");
        assumeTrue(index != null && "file".equals(index.getProtocol()), "the classes' web folder is not a directory");
        Path served = Paths.get(index.toURI()).getParent();
        assertEquals(files(dist), files(served), "the classes' web folder against web/dist (" + served + ")");
    }

    private static Set<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            Set<String> out = new TreeSet<>();
            s.filter(Files::isRegularFile)
                    .forEach(p -> out.add(root.relativize(p).toString()));
            return out;
        }
    }
}
