package dev.devtime.model.rollup;

/**
 * Time credited to one combination of attributes on one day. Keeping the combination (instead of one
 * total per dimension) lets any breakdown be filtered by any other: languages within a project, say.
 */
public record DurationRow(
        String tool,
        String project,
        String language,
        String category,
        String editor,
        String machine,
        String branch,
        String os,
        long ms) {

    public static final String UNKNOWN = "unknown";

    public String value(Dimension d) {
        return switch (d) {
            case TOOL -> tool;
            case PROJECT -> project;
            case LANGUAGE -> language;
            case CATEGORY -> category;
            case EDITOR -> editor;
            case MACHINE -> machine;
            case BRANCH -> branch;
            case OS -> os;
        };
    }

    public DurationRow plus(long moreMs) {
        return new DurationRow(tool, project, language, category, editor, machine, branch, os, ms + moreMs);
    }
}
