package dev.devtime.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.devtime.model.deploy.LambdaFunction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * This module's pom builds one shaded jar per function of the function table ({@code LambdaFunction}),
 * named as the CDK app, the local deployment and the cold-start harness look for it, and holding that
 * function's handler: the pom is the one place the table cannot be read from.
 */
class DeploymentJarsTest {

    @Test
    void oneShadeExecutionPerFunctionWithItsJarAndHandler() throws Exception {
        Map<String, Element> executions = shadeExecutions(Path.of("pom.xml"));
        assertEquals(
                Arrays.stream(LambdaFunction.values())
                        .map(LambdaFunction::id)
                        .sorted()
                        .toList(),
                List.copyOf(executions.keySet()),
                "shade executions of functions/pom.xml against LambdaFunction");
        for (LambdaFunction f : LambdaFunction.values()) {
            Element e = executions.get(f.id());
            assertEquals("package", text(e, "phase"), f.id());
            assertEquals(List.of("shade"), texts(e, "goal"), f.id());
            assertEquals("${project.build.directory}/" + f.jarName(), text(e, "outputFile"), f.id());
            assertEquals(List.of(f.handlerClass()), texts(e, "entryPoint"), f.id());
        }
    }

    @Test
    void everyHandlerOfTheTableIsALambdaHandlerHere() throws Exception {
        for (LambdaFunction f : LambdaFunction.values()) {
            Class<?> handler = Class.forName(f.handlerClass());
            assertTrue(RequestHandler.class.isAssignableFrom(handler), f.handlerClass());
        }
    }

    private static Map<String, Element> shadeExecutions(Path pom) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        Map<String, Element> out = new TreeMap<>();
        for (Element plugin : elements(doc.getDocumentElement(), "plugin")) {
            if (!"maven-shade-plugin".equals(text(plugin, "artifactId"))) {
                continue;
            }
            for (Element execution : elements(plugin, "execution")) {
                out.put(text(execution, "id"), execution);
            }
        }
        return out;
    }

    private static List<Element> elements(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        var nodes = parent.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    /** The text of the first {@code tag} below {@code parent}, or null. */
    private static String text(Element parent, String tag) {
        List<String> all = texts(parent, tag);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<String> texts(Element parent, String tag) {
        List<String> out = new ArrayList<>();
        for (Element e : elements(parent, tag)) {
            out.add(e.getTextContent().trim());
        }
        return out;
    }
}
