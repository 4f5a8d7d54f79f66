package dev.devtime.model.wakatime;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A coding-time badge: shields.io's endpoint JSON (https://shields.io/badges/endpoint-badge) for people
 * who render through shields.io, and a flat SVG for those who embed DevTime directly.
 */
public record Badge(String label, String message, String color) {

    /** {@code {"schemaVersion":1,"label":...,"message":...,"color":...}}. */
    public ObjectNode shieldsJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("schemaVersion", 1);
        o.put("label", label);
        o.put("message", message);
        o.put("color", color);
        return o;
    }

    /** A flat badge in shields.io's style; widths are estimated from 11 px Verdana's average advance. */
    public String svg() {
        int lw = width(label);
        int mw = width(message);
        int w = lw + mw;
        String l = xml(label);
        String m = xml(message);
        String fill = color.matches("[0-9a-fA-F]{3}|[0-9a-fA-F]{6}") ? "#" + color : xml(color);
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"20\" role=\"img\" aria-label=\""
                + l + ": " + m + "\"><title>" + l + ": " + m + "</title>"
                + "<linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/>"
                + "<stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>"
                + "<clipPath id=\"r\"><rect width=\"" + w + "\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>"
                + "<g clip-path=\"url(#r)\"><rect width=\"" + lw + "\" height=\"20\" fill=\"#555\"/>"
                + "<rect x=\"" + lw + "\" width=\"" + mw + "\" height=\"20\" fill=\"" + fill + "\"/>"
                + "<rect width=\"" + w + "\" height=\"20\" fill=\"url(#s)\"/></g>"
                + "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">"
                + "<text x=\"" + lw / 2.0 + "\" y=\"14\">" + l + "</text>"
                + "<text x=\"" + (lw + mw / 2.0) + "\" y=\"14\">" + m + "</text></g></svg>";
    }

    private static int width(String s) {
        return (int) Math.ceil(s.length() * 6.5) + 10;
    }

    static String xml(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
